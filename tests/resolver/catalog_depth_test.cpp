// The embedded catalog's coverage and depth: what issue 3 promises every leaf holds.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "resolver/catalog.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/resolver.hpp"

using namespace galley;

namespace {

const resolver::Catalog& embedded() {
  static auto cat = resolver::load_catalog({resolver::embedded_source()});
  return *cat;
}

core::Json resolve_leaf(const std::string& leaf) {
  resolver::Criteria c;
  c.fields = embedded().overlays.at(leaf).criteria;
  return resolver::resolve(embedded(), c);
}

std::string key(const std::map<std::string, std::string>& criteria, const std::string& field) {
  auto it = criteria.find(field);
  return it == criteria.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("every leaf sets every criterion and holds at least 15 components and 250 values",
          "[resolver][embedded][catalog]") {
  auto stats = resolver::leaf_stats(embedded());
  REQUIRE(stats.size() >= 40);
  for (const auto& leaf : stats) {
    const std::string name = leaf["name"];
    INFO("leaf " << name << ": " << leaf.dump());
    const auto& criteria = embedded().overlays.at(name).criteria;
    for (const char* field : {"service", "accelerator", "os", "intent", "platform"}) {
      CHECK(criteria.contains(field));
    }
    CHECK(leaf["components"].get<int>() >= 15);
    CHECK(leaf["values"].get<int>() >= 250);
    CHECK(std::set<std::string>{"preview", "stable", "deprecated"}.contains(leaf["maturity"].get<std::string>()));
  }
}

TEST_CASE("coverage: services, accelerators, operating systems and platforms the catalog promises",
          "[resolver][embedded][catalog]") {
  std::set<std::string> service_accel, service_os, combos;
  for (const auto& leaf : resolver::leaf_overlays(embedded())) {
    const auto& c = embedded().overlays.at(leaf).criteria;
    service_accel.insert(key(c, "service") + "/" + key(c, "accelerator"));
    service_os.insert(key(c, "service") + "/" + key(c, "os"));
    combos.insert(key(c, "service") + "/" + key(c, "accelerator") + "/" + key(c, "os") + "/" +
                  key(c, "intent") + "/" + key(c, "platform"));
  }
  for (const char* service : {"eks", "gke", "aks", "oke", "kind"}) {
    INFO(service);
    CHECK(service_accel.contains(std::string(service) + "/h100"));
  }
  for (const char* service : {"eks", "gke", "aks"}) {
    INFO(service);
    CHECK(service_accel.contains(std::string(service) + "/gb200"));
  }
  CHECK(service_os.contains("eks/al2023"));
  CHECK(service_os.contains("gke/cos"));
  CHECK(service_os.contains("eks/ubuntu"));
  // Every cloud/accelerator/OS triple offers training on Kubeflow and inference on llm-d; NVIDIA triples
  // also on Dynamo (NVIDIA-only). OpenShift owns the Gateway API CRDs, which llm-d-infra requires from
  // the catalog, so llm-d is not offered there.
  const std::set<std::string> not_nvidia = {"mi300x", "tpu"};
  for (const auto& combo : combos) {
    auto triple = combo.substr(0, combo.find('/', combo.find('/', combo.find('/') + 1) + 1));
    auto service = triple.substr(0, triple.find('/'));
    auto accelerator = triple.substr(service.size() + 1, triple.find('/', service.size() + 1) - service.size() - 1);
    INFO(triple);
    CHECK(combos.contains(triple + "/training/kubeflow"));
    if (!not_nvidia.contains(accelerator)) {
      CHECK(combos.contains(triple + "/inference/dynamo"));
    }
    if (service != "ocp") {
      CHECK(combos.contains(triple + "/inference/llm-d"));
    }
  }
  // Issue 17: the new accelerators, services and platforms each hold at least one leaf.
  for (const char* pair : {"eks/a100", "eks/l40s", "generic/rtx-pro-6000", "eks/gb300", "generic/gb300",
                           "oke/mi300x", "aks/mi300x", "gke/tpu", "ocp/h100"}) {
    INFO(pair);
    CHECK(service_accel.contains(pair));
  }
  CHECK(service_os.contains("ocp/rhcos"));
  bool nim = false;
  bool slurm = false;
  for (const auto& combo : combos) {
    nim = nim || combo.ends_with("/inference/nim");
    slurm = slurm || combo.ends_with("/training/slurm");
  }
  CHECK(nim);
  CHECK(slurm);
}

TEST_CASE("training -> inference on the same cloud, accelerator and OS swaps >= 5 components and >= 40 settings",
          "[resolver][embedded][catalog]") {
  int pairs = 0;
  for (const auto& leaf : resolver::leaf_overlays(embedded())) {
    const auto& c = embedded().overlays.at(leaf).criteria;
    if (key(c, "intent") != "training") {
      continue;
    }
    const auto training = resolve_leaf(leaf);
    for (const auto& other : resolver::leaf_overlays(embedded())) {
      const auto& o = embedded().overlays.at(other).criteria;
      if (key(o, "intent") != "inference" || key(o, "service") != key(c, "service") ||
          key(o, "accelerator") != key(c, "accelerator") || key(o, "os") != key(c, "os")) {
        continue;
      }
      ++pairs;
      auto d = resolver::diff(training, resolve_leaf(other));
      INFO(leaf << " -> " << other << ": added " << d["components"]["added"].dump() << ", removed "
                << d["components"]["removed"].dump() << ", " << d["values"].size() << " settings");
      CHECK(d["components"]["added"].size() + d["components"]["removed"].size() >= 5);
      CHECK(d["values"].size() >= 40);
    }
  }
  CHECK(pairs >= 20);
}

TEST_CASE("every component declares the health checks that show it works after deploy",
          "[resolver][embedded][catalog]") {
  for (const auto& [name, component] : embedded().components) {
    INFO(name);
    CHECK_FALSE(component.spec.value("healthChecks", core::Json::array()).empty());
  }
}
