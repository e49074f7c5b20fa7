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

TEST_CASE("criteria no overlay uses are refused, or reported in a partial recipe when allowed", "[resolver][recipe]") {
  auto cat = test::load(test::small_catalog());
  auto c = test::criteria({{"service", "eks"}, {"os", "ubuntu"}, {"kubernetes", "1.34"}});
  try {
    resolver::resolve(*cat, c);
    FAIL("resolved");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::not_found);
    CHECK_THAT(e.what(), Catch::Contains("no overlay of the catalog covers os ubuntu"));
  }
  Json r = resolver::resolve(*cat, c, resolver::ResolveOptions{true});
  CHECK(r["spec"]["unmatchedCriteria"] == Json{"os"});
  CHECK(r["spec"]["partial"] == Json{{"uncovered", Json{"os"}}});
  CHECK(r["metadata"]["name"] == "eks");  // never claims the OS it did not honour
  CHECK(resolver::uncovered_criteria(r) == std::vector<std::string>{"os"});
  Json full = resolver::resolve(*cat, test::criteria({{"service", "eks"}, {"intent", "training"}}));
  CHECK_FALSE(full["spec"].contains("partial"));
  CHECK(resolver::uncovered_criteria(full).empty());
}

TEST_CASE("uncovered criteria name the leaves that would match and what each adds", "[resolver][recipe]") {
  auto cat = resolver::load_catalog({resolver::embedded_source()});
  try {
    resolver::resolve(*cat, test::criteria({{"service", "gke"}, {"accelerator", "h100"}, {"intent", "inference"},
                                            {"platform", "dynamo"}}));
    FAIL("resolved");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::not_found);
    CHECK(std::string(e.what()) ==
          "no overlay of the catalog covers platform dynamo with these criteria; leaves that would match: "
          "gke-h100-cos-inference-dynamo: add os cos; gke-h100-ubuntu-inference-dynamo: add os ubuntu");
  }
  CHECK_THROWS_WITH(resolver::resolve(*cat, test::criteria({{"service", "gke"}, {"accelerator", "gb200"}, {"os", "ubuntu"}})),
                    Catch::Contains("covers accelerator gb200, os ubuntu with these criteria; no leaf has them all"));
}

// Every leaf, with any one of its criteria dropped: either not found naming that leaf among the
// candidates, or a recipe honouring every criterion still given.
TEST_CASE("dropping one criterion of a leaf never gives a recipe that ignores the rest", "[resolver][property]") {
  auto cat = resolver::load_catalog({resolver::embedded_source()});
  int refused = 0;
  for (const auto& leaf : resolver::leaf_overlays(*cat)) {
    for (const auto& [drop, value] : cat->overlays.at(leaf).criteria) {
      resolver::Criteria c;
      c.fields = cat->overlays.at(leaf).criteria;
      c.fields.erase(drop);
      INFO("leaf " << leaf << " without " << drop);
      try {
        Json r = resolver::resolve(*cat, c);
        CHECK_FALSE(r["spec"].contains("partial"));
        CHECK(r["spec"]["unmatchedCriteria"].empty());
      } catch (const core::Error& e) {
        ++refused;
        CHECK(e.exit() == core::Exit::not_found);
        CHECK_THAT(e.what(), Catch::Contains(" " + leaf + ": add " + drop + " " + value));
      }
    }
  }
  CHECK(refused > 0);
}

TEST_CASE("criteria matching only catalog-wide overlays find no recipe", "[resolver][criteria]") {
  try {
    resolver::resolve(*test::load(test::small_catalog()), test::criteria({{"intent", "inference"}}));
    FAIL("resolved");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::not_found);
  }
}
