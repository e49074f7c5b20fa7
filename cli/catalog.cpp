// galley catalog: what the catalog knows: criteria values, components, overlays and leaves.
#include <sstream>

#include "cli/common.hpp"
#include "resolver/resolver.hpp"

namespace galley::cli {

namespace {
struct CatalogOptions {
  std::string format = "table";
};

std::string as_table(const core::Json& c) {
  std::ostringstream out;
  out << "criteria\n";
  for (const auto& [k, values] : c["criteria"].items()) {
    std::string list;
    for (const auto& v : values) {
      list += (list.empty() ? "" : ", ") + v.get<std::string>();
    }
    out << "  " << k << ": " << list << '\n';
  }
  out << "components\n";
  for (const auto& comp : c["components"]) {
    std::string list;
    for (const auto& v : comp["versions"]) {
      list += (list.empty() ? "" : ", ") + v.get<std::string>();
    }
    out << "  " << comp["name"].get<std::string>() << ": " << list << '\n';
  }
  out << "leaf overlays\n";
  for (const auto& o : c["overlays"]) {
    if (!o["leaf"].get<bool>()) {
      continue;
    }
    std::string crit;
    for (const auto& [k, v] : o["criteria"].items()) {
      crit += (crit.empty() ? "" : " ") + ("--" + (k == "osVersion" ? std::string("os-version") : k)) + " " +
              v.get<std::string>();
    }
    out << "  " << o["name"].get<std::string>() << ": " << crit << '\n';
  }
  out << "digest " << c["digest"].get<std::string>() << '\n';
  return out.str();
}

int run_catalog(const CatalogOptions& o, Context& ctx) {
  core::Json c = resolver::describe_catalog(*load_catalog(ctx));
  ctx.io.out << (o.format == "table" ? as_table(c) : render(c, o.format == "json" ? Format::json : Format::yaml));
  return 0;
}
}  // namespace

void add_catalog(CLI::App& app, Run& run) {
  auto opts = std::make_shared<CatalogOptions>();
  auto* sub = app.add_subcommand("catalog", "list criteria values, components with versions, and leaf overlays");
  sub->footer("Examples:\n  galley catalog\n  galley --data ./my-catalog catalog --format json");
  sub->add_option("--format", opts->format, "table, yaml or json")->check(CLI::IsMember({"table", "yaml", "json"}));
  run = [opts](Context& ctx) { return run_catalog(*opts, ctx); };
}

void add_version(CLI::App& app, Run& run) {
  app.add_subcommand("version", "print galley's version");
  run = [](Context& ctx) {
    ctx.io.out << "galley " << GALLEY_VERSION << '\n';
    return 0;
  };
}

}  // namespace galley::cli
