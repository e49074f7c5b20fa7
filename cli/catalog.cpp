// galley catalog: what the catalog knows: criteria values, components, overlays and leaves.
#include <map>
#include <sstream>

#include "cli/common.hpp"
#include "core/error.hpp"
#include "resolver/resolver.hpp"

namespace galley::cli {

namespace {
struct CatalogOptions {
  Format format = Format::table;
  bool stats = false;
  std::map<std::string, std::string> filter;  // --service, --accelerator, --os, --intent, --platform
  const CLI::App* leaves = nullptr;            // the `catalog leaves` subcommand
};

// The criteria of an overlay as the flags that select it ("--service eks --intent training").
std::string as_flags(const core::Json& criteria) {
  std::string flags;
  for (const auto& [k, v] : criteria.items()) {
    flags += (flags.empty() ? "" : " ") + criteria_flag(k) + " " + v.get<std::string>();
  }
  return flags;
}

std::string leaves_table(const core::Json& leaves) {
  std::vector<std::vector<std::string>> rows{{"LEAF", "MATURITY", "CRITERIA"}};
  for (const auto& l : leaves) {
    rows.push_back({l["name"].get<std::string>(), l["maturity"].get<std::string>(), as_flags(l["criteria"])});
  }
  return aligned(rows, "") + std::to_string(leaves.size()) + " leaves\n";
}

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
    out << "  " << o["name"].get<std::string>() << " [" << o["maturity"].get<std::string>() << "]: " << as_flags(o["criteria"])
        << '\n';
    for (const auto& e : o["evidence"]) {
      out << "      checked: " << e.get<std::string>() << '\n';
    }
  }
  out << "digest " << c["digest"].get<std::string>() << '\n';
  return out.str();
}

int run_catalog(const CatalogOptions& o, Context& ctx) {
  auto catalog = load_catalog(ctx);
  resolver::Criteria filter;
  filter.fields = o.filter;
  int width = o.format == Format::table ? ctx.io.width : 0;  // a table fits the terminal; documents are whole
  if (o.leaves->parsed()) {
    ctx.io.out << fit_width(render_or_table(resolver::catalog_leaves(*catalog, filter), o.format, leaves_table), width);
  } else if (o.stats) {
    if (!o.filter.empty()) {
      throw core::Error(core::Exit::bad_input, "--stats covers every leaf; give the filters to galley catalog leaves");
    }
    ctx.io.out << fit_width(render_or_table(resolver::leaf_stats(*catalog), o.format, stats_table), width);
  } else {
    ctx.io.out << fit_width(render_or_table(resolver::describe_catalog(*catalog, filter), o.format, as_table), width);
  }
  return 0;
}
}  // namespace

void add_catalog(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<CatalogOptions>(app, "catalog", "list criteria values, components with versions, and leaf overlays",
      R"(Examples:
  galley catalog
  galley catalog --stats     # components and configuration values per leaf, and its possible pool peers
  galley catalog --service eks --accelerator h100     # only the overlays that fit
  galley catalog leaves --intent inference --format json
  galley --data ./my-catalog catalog --format json)");
  sub->add_flag("--stats", opts->stats, "per leaf: number of components and of configuration values, and the accelerators it can share a cluster with as pools (--pool)");
  add_criteria_fields(*sub, opts->filter, {"service", "accelerator", "os", "intent", "platform"}, "Filters");
  CLI::App* leaves = sub->add_subcommand("leaves", "list the leaf overlays (complete recipes) with their criteria");
  leaves->fallthrough();  // the filters and --format belong to catalog and may follow `leaves`
  opts->leaves = leaves;
  add_format_flag(*sub, opts->format, {Format::table, Format::yaml, Format::json});
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
