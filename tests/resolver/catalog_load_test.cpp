#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "resolver/catalog.hpp"
#include "test_catalog.hpp"

using namespace galley;
using core::Json;

TEST_CASE("a layer may not redefine an upstream overlay or patch a missing one", "[resolver][layers]") {
  resolver::CatalogSource layer;
  layer.root = "mine";
  layer.files["overlays/eks.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata:\n  name: eks\nspec: {}\n";
  CHECK_THROWS_WITH(resolver::load_catalog({test::small_catalog(), layer}),
                    Catch::Contains("from another catalog layer use kind OverlayPatch"));
  layer.files["overlays/eks.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: OverlayPatch\nmetadata:\n  name: aks\nspec: {}\n";
  layer.files.emplace("overlays/aks.yaml", layer.files["overlays/eks.yaml"]);
  layer.files.erase("overlays/eks.yaml");
  CHECK_THROWS_WITH(resolver::load_catalog({test::small_catalog(), layer}),
                    Catch::Contains("names overlay \"aks\", which does not exist"));
}

TEST_CASE("a values path escaping the catalog root is refused", "[resolver][catalog]") {
  auto src = test::small_catalog();
  src.files["overlays/gke.yaml"] = test::document("Overlay", "gke", R"(  criteria: {service: gke}
  componentRefs:
    - name: gpu-operator
      valuesFiles: [../../etc/passwd]
)");
  CHECK_THROWS_WITH(test::load(src),
                    "cat/overlays/gke.yaml:9: spec.componentRefs[0].valuesFiles[0]: path \"../../etc/passwd\" escapes "
                    "the catalog root");
}

TEST_CASE("unknown components in overlays suggest the closest name", "[resolver][catalog]") {
  auto src = test::small_catalog();
  src.files["overlays/gke.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata:\n  name: gke\nspec:\n  componentRefs:\n"
      "    - name: gpu-operater\n";
  CHECK_THROWS_WITH(test::load(src), "cat/overlays/gke.yaml:7: spec.componentRefs[0].name: unknown component "
                                     "\"gpu-operater\"; did you mean \"gpu-operator\"?");
}

TEST_CASE("a --data layer adds components, overlays and criteria values", "[resolver][merge][layers]") {
  resolver::CatalogSource layer;
  layer.root = "mine";
  layer.files["registry.yaml"] = test::document("Registry", "mine", R"(  criteria:
    service: [{name: onprem, description: our racks}]
)");
  layer.files["components/kueue.yaml"] = test::document("Component", "kueue", R"(  type: helm
  chart: kueue
  repository: oci://registry.k8s.io/kueue/charts/kueue
  namespace: kueue-system
  versions: [{version: "0.19.2"}]
)");
  layer.files["overlays/onprem.yaml"] = test::document("Overlay", "onprem", R"(  base: base
  criteria: {service: onprem}
  componentRefs: [{name: kueue}]
)");
  auto cat = resolver::load_catalog({test::small_catalog(), layer});
  Json r = resolver::resolve(*cat, test::criteria({{"service", "onprem"}}));
  CHECK(r["spec"]["deploymentOrder"] == Json{"cert-manager", "gpu-operator", "kueue"});
}
