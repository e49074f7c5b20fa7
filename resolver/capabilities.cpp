// What components provide to a node pool (spec.provides) and the rule that a pool has one provider
// of each capability: a node's GPUs are allocated either by a device plugin or by a DRA driver, and
// two device plugins for one resource fight over it.
#include "core/error.hpp"
#include "resolver/internal/steps.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;
using core::Json;

namespace {

// One enabled provider: which component, which of its spec.provides, and why it is on.
struct Provider {
  std::string component;
  std::string mode;
  std::string why;     // "devicePlugin.enabled = true at FILE:LINE", or "always"
  std::string stated;  // FILE:LINE of the spec.provides entry
};

std::string describe(const Provider& p) {
  return p.component + " (" + p.mode + ", " + p.why + "; " + p.stated + ")";
}

}  // namespace

void check_providers(const Catalog& catalog, const std::map<std::string, MergedComponent>& enabled,
                     const Provenance& provenance) {
  std::map<std::string, std::vector<Provider>> by_capability;
  for (const auto& [name, mc] : enabled) {
    const Component& comp = catalog.components.at(name);
    const Json& provides = comp.spec.value("provides", Json::array());
    const core::Document& doc = catalog.documents.at(comp.file);
    ChartDefaults defaults(name);
    for (size_t i = 0; i < provides.size(); ++i) {
      const Json& p = provides[i];
      Provider provider{name, p["mode"].get<std::string>(), "always",
                        Origin{&doc, core::index("spec.provides", i)}.source()};
      if (p.contains("when")) {
        const std::string path = p["when"].get<std::string>();
        if (defaults.value(mc.values, path) != Json(true)) {
          continue;
        }
        std::string full = values_field(name, path);
        auto it = provenance.find(full);
        std::string where = it != provenance.end() && !it->second.empty()
                                ? it->second.back().value("source", "")
                                : "the chart's default";
        provider.why = path + " = true at " + where;
      }
      by_capability[p["capability"].get<std::string>()].push_back(std::move(provider));
    }
  }
  for (const auto& [capability, providers] : by_capability) {
    if (providers.size() > 1) {
      throw Error(Exit::unsatisfiable,
                  "two providers of " + capability + " on one node pool: " + describe(providers[0]) + " and " +
                      describe(providers[1]) + "; rule: a node pool has one provider of each capability " +
                      "(spec.provides), so switch one off for this pool or give it a pool of its own");
    }
  }
}

}  // namespace galley::resolver
