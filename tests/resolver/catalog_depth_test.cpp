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
  // Every cloud/accelerator/OS triple offers training on Kubeflow and inference on Dynamo and llm-d.
  for (const auto& combo : combos) {
    auto triple = combo.substr(0, combo.find('/', combo.find('/', combo.find('/') + 1) + 1));
    INFO(triple);
    CHECK(combos.contains(triple + "/training/kubeflow"));
    CHECK(combos.contains(triple + "/inference/dynamo"));
    CHECK(combos.contains(triple + "/inference/llm-d"));
  }
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
