// galley catalog: what the catalog knows: criteria values, components, overlays and leaves.
#include <sstream>

#include "cli/common.hpp"
#include "resolver/resolver.hpp"

namespace galley::cli {

namespace {
struct CatalogOptions {
  std::string format = "table";
  bool stats = false;
};

std::string stats_table(const core::Json& stats) {
  std::ostringstream out;
  out << "leaf                                  components  values  maturity  pools with\n";
  for (const auto& s : stats) {
    std::string name = s["name"].get<std::string>();
    out << name << std::string(name.size() < 38 ? 38 - name.size() : 1, ' ') << std::string(10 - std::min<size_t>(10, std::to_string(s["components"].get<size_t>()).size()), ' ')
        << s["components"].get<size_t>() << "  " << std::string(6 - std::min<size_t>(6, std::to_string(s["values"].get<size_t>()).size()), ' ')
        << s["values"].get<size_t>() << "  " << s["maturity"].get<std::string>();
    std::string peers;
    for (const auto& p : s["poolsWith"]) {
      peers += (peers.empty() ? "" : ",") + p.get<std::string>();
    }
    out << std::string(s["maturity"].get<std::string>().size() < 8 ? 10 - s["maturity"].get<std::string>().size() : 2, ' ')
        << (peers.empty() ? "-" : peers) << '\n';
  }
  return out.str();
}

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
      crit += (crit.empty() ? "" : " ") + criteria_flag(k) + " " + v.get<std::string>();
    }
    out << "  " << o["name"].get<std::string>() << " [" << o["maturity"].get<std::string>() << "]: " << crit << '\n';
    for (const auto& e : o["evidence"]) {
      out << "      checked: " << e.get<std::string>() << '\n';
    }
  }
  out << "digest " << c["digest"].get<std::string>() << '\n';
  return out.str();
}

int run_catalog(const CatalogOptions& o, Context& ctx) {
  auto catalog = load_catalog(ctx);
  ctx.io.out << (o.stats ? render_or_table(resolver::leaf_stats(*catalog), o.format, stats_table)
                         : render_or_table(resolver::describe_catalog(*catalog), o.format, as_table));
  return 0;
}
}  // namespace

void add_catalog(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<CatalogOptions>(app, "catalog", "list criteria values, components with versions, and leaf overlays",
      R"(Examples:
  galley catalog
  galley catalog --stats     # components and configuration values per leaf, and its possible pool peers
  galley --data ./my-catalog catalog --format json)");
  sub->add_flag("--stats", opts->stats, "per leaf: number of components and of configuration values, and the accelerators it can share a cluster with as pools (--pool)");
  one_of(sub->add_option("--format", opts->format, "table, yaml or json"), {"table", "yaml", "json"});
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
