#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/yaml_emit.hpp"
#include "resolver/recipe_doc.hpp"
#include "test_catalog.hpp"

using namespace galley;
using core::Json;

TEST_CASE("the same inputs give a byte-identical recipe", "[resolver][recipe]") {
  CHECK(core::to_yaml(test::eks_training_recipe()) == core::to_yaml(test::eks_training_recipe()));
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

TEST_CASE("the recipe lists what an engineer needs", "[resolver][recipe]") {
  Json r = test::eks_training_recipe();
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

TEST_CASE("criteria matching only catalog-wide overlays find no recipe", "[resolver][criteria]") {
  try {
    resolver::resolve(*test::load(test::small_catalog()), test::criteria({{"intent", "inference"}}));
    FAIL("resolved");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::not_found);
  }
}
