#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/error.hpp"
#include "core/yaml_emit.hpp"
#include "resolver/recipe_doc.hpp"
#include "test_catalog.hpp"

using namespace galley;
using core::Json;

namespace {
Json eks_recipe() {
  return resolver::resolve(*test::load(test::small_catalog()),
                           test::criteria({{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.34"}}));
}
}  // namespace

TEST_CASE("the same inputs give a byte-identical recipe", "[resolver][recipe]") {
  CHECK(core::to_yaml(eks_recipe()) == core::to_yaml(eks_recipe()));
}

TEST_CASE("file order in the catalog does not change the recipe", "[resolver][recipe]") {
  // CatalogSource is a sorted map, so build a second one from the same files inserted backwards.
  auto src = test::small_catalog();
  resolver::CatalogSource reversed;
  reversed.root = src.root;
  for (auto it = src.files.rbegin(); it != src.files.rend(); ++it) {
    reversed.files.emplace(it->first, it->second);
  }
  auto c = test::criteria({{"service", "eks"}, {"kubernetes", "1.34"}});
  CHECK(resolver::resolve(*test::load(reversed), c) == resolver::resolve(*test::load(src), c));
}

TEST_CASE("the recipe digest covers the content and is checked on read", "[resolver][recipe]") {
  Json r = eks_recipe();
  std::string text = core::to_yaml(r);
  auto doc = core::parse_yaml(text, "r.yaml");
  CHECK_NOTHROW(resolver::check_recipe(doc));
  auto pos = text.find("580.95.05");
  REQUIRE(pos != std::string::npos);
  text.replace(pos, 9, "580.95.06");
  CHECK_THROWS_WITH(resolver::check_recipe(core::parse_yaml(text, "r.yaml")),
                    Catch::Contains("does not match the recipe's content"));
}

TEST_CASE("the recipe lists what an engineer needs", "[resolver][recipe]") {
  Json r = eks_recipe();
  CHECK(r["metadata"]["name"] == "eks-training");
  CHECK(r["spec"]["overlays"] == Json{"base", "eks", "eks-training"});
  CHECK(r["spec"]["deploymentOrder"] == Json{"cert-manager", "gpu-operator", "karpenter", "nvidia-dra-driver-gpu"});
  CHECK(r["spec"]["constraints"][0] ==
        Json{{"name", "kubernetes.version"}, {"value", ">=1.30"}, {"source", "cat/overlays/eks.yaml:10"}});
  auto gpu = *resolver::select(r, "components.gpu-operator");
  CHECK(gpu["dependencies"] == Json{"cert-manager"});
  CHECK(gpu["repository"] == "https://helm.ngc.nvidia.com/nvidia");
  auto cm = *resolver::select(r, "components.cert-manager.healthChecks");
  CHECK(cm[0] == Json{{"kind", "Deployment"}, {"name", "cert-manager"}, {"namespace", "cert-manager"}});
  CHECK_FALSE(cm[1].contains("namespace"));
}

TEST_CASE("criteria no overlay uses are reported", "[resolver][recipe]") {
  Json r = resolver::resolve(*test::load(test::small_catalog()),
                             test::criteria({{"service", "eks"}, {"os", "ubuntu"}, {"kubernetes", "1.34"}}));
  CHECK(r["spec"]["unmatchedCriteria"] == Json{"os"});
}

TEST_CASE("unknown criteria values list the allowed ones and the closest", "[resolver][criteria]") {
  CHECK_THROWS_WITH(resolver::resolve(*test::load(test::small_catalog()), test::criteria({{"service", "ekss"}})),
                    "criteria: service: unknown value \"ekss\"; allowed: eks, gke; did you mean \"eks\"?");
  CHECK_THROWS_WITH(resolver::resolve(*test::load(test::small_catalog()), test::criteria({{"kubernetes", "v1.x"}})),
                    Catch::Contains("\"v1.x\" is not a Kubernetes version"));
}

TEST_CASE("criteria matching only catalog-wide overlays find no recipe", "[resolver][criteria]") {
  try {
    resolver::resolve(*test::load(test::small_catalog()), test::criteria({{"intent", "inference"}}));
    FAIL("resolved");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::not_found);
  }
}

TEST_CASE("select, explain and diff read the recipe by path", "[resolver][recipe]") {
  Json r = eks_recipe();
  CHECK(*resolver::select(r, "criteria.service") == "eks");
  CHECK(*resolver::select(r, "deploymentOrder[1]") == "gpu-operator");
  CHECK_FALSE(resolver::select(r, "components.nope.version"));
  CHECK_THROWS_AS(resolver::select(r, "components..x"), core::Error);
  auto e = *resolver::explain(r, "components.gpu-operator.version");
  CHECK(e["selection"]["constraint"] == "*");
  Json other = resolver::resolve(*test::load(test::small_catalog()),
                                 test::criteria({{"service", "gke"}, {"kubernetes", "1.34"}}));
  Json d = resolver::diff(r, other);
  CHECK(d["components"]["removed"].size() == 2);
  CHECK(d["components"]["changed"][0] == Json{{"name", "gpu-operator"}, {"from", "v26.3.0"}, {"to", "v25.10.1"}});
  bool found = false;
  for (const auto& v : d["values"]) {
    if (v["path"] == "components.gpu-operator.values.driver.enabled") {
      found = v["from"] == true && v["to"] == false;
    }
  }
  CHECK(found);
}
