// galley diff: what changes between two recipes (or two criteria files, resolved first).
#include <algorithm>
#include <sstream>

#include "cli/common.hpp"
#include "core/error.hpp"
#include "core/schema.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::cli {

namespace {
struct DiffOptions {
  std::string a;
  std::string b;
  Format format = Format::table;
  bool allow_partial = false;
};

core::Json recipe_or_resolve(const Context& ctx, const std::string& path, bool allow_partial) {
  core::Document doc = read_document(path);
  std::string kind = core::check_document(doc, {"Recipe", "Criteria"});
  if (kind == "Recipe") {
    resolver::check_recipe(doc);
    return doc.value;
  }
  auto catalog = load_catalog(ctx);
  return resolver::resolve(*catalog, resolver::read_criteria(doc), resolver::ResolveOptions{allow_partial});
}

std::string cell(const core::Json& v) { return v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : v.dump(); }

std::string as_table(const core::Json& d) {
  std::ostringstream out;
  const auto& c = d["components"];
  out << "components (" << d["from"].get<std::string>() << " -> " << d["to"].get<std::string>() << ")\n";
  for (const auto& x : c["added"]) {
    out << "  + " << x["name"].get<std::string>() << " " << x["version"].get<std::string>() << '\n';
  }
  for (const auto& x : c["removed"]) {
    out << "  - " << x["name"].get<std::string>() << " " << x["version"].get<std::string>() << '\n';
  }
  for (const auto& x : c["changed"]) {
    out << "  ~ " << x["name"].get<std::string>() << " " << x["from"].get<std::string>() << " -> "
        << x["to"].get<std::string>() << '\n';
  }
  out << "values (" << d["values"].size() << " differ)\n";
  for (const auto& v : d["values"]) {
    out << "  " << v["path"].get<std::string>() << ": " << cell(v["from"]) << " -> " << cell(v["to"]) << '\n';
  }
  out << "other fields (" << d["fields"].size() << " differ)\n";
  for (const auto& v : d["fields"]) {
    out << "  " << v["path"].get<std::string>() << ": " << cell(v["from"]) << " -> " << cell(v["to"]) << '\n';
  }
  return out.str();
}

// The table with additions green, removals red and changes yellow (ANSI colours), for a terminal.
std::string coloured(const std::string& table) {
  std::string out;
  for (size_t start = 0; start < table.size();) {
    size_t end = std::min(table.find('\n', start), table.size());
    std::string line = table.substr(start, end - start);
    const char* colour = line.starts_with("  + ") ? "\033[32m" : line.starts_with("  - ") ? "\033[31m"
                         : line.starts_with("  ~ ") ? "\033[33m" : nullptr;
    out += colour == nullptr ? line : colour + line + "\033[0m";
    out += end < table.size() ? "\n" : "";
    start = end + 1;
  }
  return out;
}

int run_diff(const DiffOptions& o, Context& ctx) {
  core::Json d = resolver::diff(recipe_or_resolve(ctx, o.a, o.allow_partial), recipe_or_resolve(ctx, o.b, o.allow_partial));
  std::string text = render_or_table(d, o.format, as_table);
  bool colour = o.format == Format::table && ctx.io.out_tty && !ctx.globals.no_color;
  ctx.io.out << (colour ? coloured(text) : text);
  return d["differ"].get<bool>() ? 1 : 0;  // as diff(1): 1 when they differ
}
}  // namespace

void add_diff(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<DiffOptions>(app, "diff", "compare two recipes, or two criteria files resolved",
      R"(Examples:
  galley diff recipe-a.yaml recipe-b.yaml
  galley diff examples/criteria/eks-h100-training.yaml examples/criteria/gke-gb200-inference.yaml --format json
Exit codes: 0 when the recipes are the same, 1 when they differ (as diff(1)), 2 and above for errors.)");
  sub->add_option("A", opts->a, "a Recipe or Criteria file")->required();
  sub->add_option("B", opts->b, "a Recipe or Criteria file")->required();
  add_format_flag(*sub, opts->format, {Format::table, Format::yaml, Format::json});
  sub->add_flag("--allow-partial", opts->allow_partial, "accept criteria files the catalog does not fully cover");
  run = [opts](Context& ctx) { return run_diff(*opts, ctx); };
}

}  // namespace galley::cli
