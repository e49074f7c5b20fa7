#include <catch2/catch.hpp>

#include "resolver/resolver.hpp"
#include "test_catalog.hpp"

using namespace galley;

TEST_CASE("lint reports values keys the upstream chart does not have, with file and line", "[resolver][lint]") {
  auto problems = resolver::lint_catalog(*test::load(test::small_catalog()));
  CHECK(problems == std::vector<std::string>{
                        "cat/overlays/eks.yaml:17: spec.componentRefs[1].values.tolerations: key \"tolerations\" does "
                        "not exist in gpu-operator's upstream values.yaml",
                        "cat/overlays/eks-h100-training.yaml:16: spec.componentRefs[0].values.tolerations: key "
                        "\"tolerations\" does not exist in gpu-operator's upstream values.yaml"});
}

TEST_CASE("lint reports leaves that do not resolve and ranges matching no version", "[resolver][lint]") {
  auto src = test::small_catalog();
  src.files["overlays/gke.yaml"] = test::document("Overlay", "gke", R"(  base: base
  criteria:
    service: gke
  componentRefs:
    - name: gpu-operator
      version: ">=30"
)");
  auto problems = resolver::lint_catalog(*test::load(src));
  REQUIRE(problems.size() == 4);
  CHECK(problems[2] == "cat/overlays/gke.yaml:11: spec.componentRefs[0].version: \">=30\" matches none of the "
                       "versions the catalog lists for gpu-operator");
  CHECK(problems[3].starts_with("cat/overlays/gke.yaml: leaf gke does not resolve: cannot choose a version of "
                                "gpu-operator:"));
}

TEST_CASE("the embedded catalog is lint-clean", "[resolver][lint][embedded]") {
  auto catalog = resolver::load_catalog({resolver::embedded_source()});
  CHECK(resolver::lint_catalog(*catalog) == std::vector<std::string>{});
}

TEST_CASE("lint refuses a leaf with two providers of nvidia.com/gpu (DRA driver and device plugin)",
          "[resolver][lint][embedded]") {
  resolver::CatalogSource layer;
  layer.root = "site";
  layer.files["overlays/kind-b200-training.yaml"] =
      test::values_patch("kind-b200-training", "gpu-operator", "devicePlugin:\n  enabled: true\n");
  auto catalog = resolver::load_catalog({resolver::embedded_source(), layer});
  auto problems = resolver::lint_catalog(*catalog);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].starts_with("recipes/overlays/kind-b200-ubuntu-training-kubeflow.yaml: leaf "
                                "kind-b200-ubuntu-training-kubeflow does not resolve: two providers of nvidia.com/gpu on "
                                "one node pool: gpu-operator (device plugin, devicePlugin.enabled = true at "
                                "site/overlays/kind-b200-training.yaml:10; recipes/components/gpu-operator.yaml:"));
  CHECK(problems[0].find("nvidia-dra-driver-gpu (DRA driver, resources.gpus.enabled = true at "
                         "recipes/values/nvidia-dra-driver-gpu/gpus.yaml:7") != std::string::npos);
  CHECK(problems[0].find("rule: a node pool has one provider of each capability") != std::string::npos);
}
