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

TEST_CASE("lint refuses a leaf whose DRA driver allocates GPUs while the device plugin is on",
          "[resolver][lint][embedded]") {
  resolver::CatalogSource layer;
  layer.root = "site";
  layer.files["overlays/kind-b200-training.yaml"] =
      test::values_patch("kind-b200-training", "gpu-operator", "devicePlugin:\n  enabled: true\n");
  auto catalog = resolver::load_catalog({resolver::embedded_source(), layer});
  auto problems = resolver::lint_catalog(*catalog);
  CHECK(problems == std::vector<std::string>{
                        "recipes/overlays/kind-b200-ubuntu-training-kubeflow.yaml: leaf kind-b200-ubuntu-training-kubeflow: "
                        "nvidia-dra-driver-gpu allocates GPUs (resources.gpus.enabled: true) while the gpu-operator device "
                        "plugin is on; they are mutually exclusive per node pool (set devicePlugin.enabled: false)"});
}
