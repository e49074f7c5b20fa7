// galley explain: a value and where it came from, most recent first.
#include <sstream>

#include "cli/common.hpp"
#include "core/error.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::cli {

namespace {
struct ExplainOptions {
  CriteriaFlags criteria;
  std::string recipe;
  std::string path;
  Format format = Format::table;
};

std::string short_value(const core::Json& v) {
  std::string s = v.dump();
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

std::string as_text(const core::Json& e) {
  std::ostringstream out;
  out << e["path"].get<std::string>() << " = " << short_value(e["value"]) << '\n';
  if (e.contains("selection")) {
    const auto& s = e["selection"];
    out << "  chosen: highest version satisfying " << s["constraint"].get<std::string>();
    if (s.contains("source")) {
      out << " (" << s["source"].get<std::string>() << ")";
    }
    out << " and every other requirement\n";
    for (const auto& r : s["rejected"]) {
      out << "  not " << r["version"].get<std::string>() << ": " << r["reason"].get<std::string>() << '\n';
    }
  }
  bool first = true;
  for (const auto& h : e["history"]) {
    out << (first ? "  set by   " : "  replaced ") << h["source"].get<std::string>();
    if (h.contains("path")) {
      out << "  " << h["path"].get<std::string>();
    }
    out << "  " << short_value(h["value"]) << '\n';
    first = false;
  }
  return out.str();
}

int run_explain(const ExplainOptions& o, Context& ctx) {
  core::Json recipe = recipe_from(ctx, o.recipe, o.criteria);
  auto e = resolver::explain(recipe, o.path);
  if (!e) {
    throw core::Error(core::Exit::not_found, "\"" + o.path + "\" is not in the recipe");
  }
  if (o.format == Format::table) {
    ctx.io.out << as_text(*e);
  } else {
    ctx.io.out << render(*e, o.format);
  }
  return 0;
}
}  // namespace

void add_explain(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<ExplainOptions>(app, "explain", "show a value and the provenance chain that produced it",
      R"(Examples:
  galley explain components.gpu-operator.values.driver.enabled --service gke --accelerator gb200 --intent inference
  galley explain components.nvidia-dra-driver-gpu.version --recipe recipe.yaml --format json)");
  sub->add_option("path", opts->path, "the value's path, as for `galley query`")->required();
  sub->add_option("--recipe", opts->recipe, "a recipe file (instead of criteria)")->option_text("FILE");
  add_criteria_flags(*sub, opts->criteria);
  add_format_flag(*sub, opts->format, {Format::table, Format::yaml, Format::json});
  run = [opts](Context& ctx) { return run_explain(*opts, ctx); };
}

}  // namespace galley::cli
