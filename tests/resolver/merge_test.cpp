#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/steps.hpp"
#include "test_catalog.hpp"

using namespace galley;
using core::Json;

namespace {
Json h100_recipe(const resolver::CatalogSource& src) {
  auto cat = test::load(src);
  return resolver::resolve(*cat, test::criteria({{"service", "eks"}, {"accelerator", "h100"}, {"intent", "training"},
                                                  {"kubernetes", "1.34"}}));
}
}  // namespace

TEST_CASE("values deep-merge: maps by key, lists replaced whole, null deletes", "[resolver][merge]") {
  Json r = h100_recipe(test::small_catalog());
  auto values = *resolver::select(r, "components.gpu-operator.values");
  CHECK(values["driver"]["enabled"] == true);
  CHECK(values["driver"]["version"] == "580.95.05");
  CHECK(values["mig"]["strategy"] == "single");
  CHECK(values["tolerations"] == Json::array());
  CHECK_FALSE(values.contains("dcgm"));
}

TEST_CASE("every value records who set it and what it replaced", "[resolver][merge]") {
  Json r = h100_recipe(test::small_catalog());
  const Json& history = r["spec"]["provenance"]["components.gpu-operator.values.driver.version"];
  REQUIRE(history.size() == 2);
  CHECK(history[0] == Json{{"value", "580.95.05"}, {"source", "cat/overlays/eks.yaml:16"}});
  CHECK(history[1] == Json{{"value", "570.172.08"}, {"source", "cat/values/gpu-operator/base.yaml:3"}});
  auto e = resolver::explain(r, "components.gpu-operator.values.mig");
  REQUIRE(e);
  CHECK((*e)["history"][0]["source"] == "cat/overlays/eks-h100-training.yaml:15");
  CHECK((*e)["history"][0]["path"] == "components.gpu-operator.values.mig.strategy");
}

TEST_CASE("a --data layer patches one value of an upstream overlay", "[resolver][merge][layers]") {
  resolver::CatalogSource layer;
  layer.root = "mine";
  layer.files["overlays/eks.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: OverlayPatch
metadata:
  name: eks
spec:
  componentRefs:
    - name: gpu-operator
      values:
        driver:
          version: "580.105.08"
)";
  auto cat = resolver::load_catalog({test::small_catalog(), layer});
  Json r = resolver::resolve(*cat, test::criteria({{"service", "eks"}, {"kubernetes", "1.33"}}));
  CHECK(*resolver::select(r, "components.gpu-operator.values.driver.version") == "580.105.08");
  CHECK(*resolver::select(r, "components.gpu-operator.values.driver.enabled") == true);
  CHECK(r["spec"]["provenance"]["components.gpu-operator.values.driver.version"][0]["source"] ==
        "mine/overlays/eks.yaml:10");
}

TEST_CASE("a --data layer adds components, overlays and criteria values", "[resolver][merge][layers]") {
  resolver::CatalogSource layer;
  layer.root = "mine";
  layer.files["registry.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Registry
metadata:
  name: mine
spec:
  criteria:
    service: [{name: onprem, description: our racks}]
)";
  layer.files["components/kueue.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Component
metadata:
  name: kueue
spec:
  type: helm
  chart: kueue
  repository: oci://registry.k8s.io/kueue/charts/kueue
  namespace: kueue-system
  versions: [{version: "0.19.2"}]
)";
  layer.files["overlays/onprem.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Overlay
metadata:
  name: onprem
spec:
  base: base
  criteria: {service: onprem}
  componentRefs: [{name: kueue}]
)";
  auto cat = resolver::load_catalog({test::small_catalog(), layer});
  Json r = resolver::resolve(*cat, test::criteria({{"service", "onprem"}}));
  CHECK(r["spec"]["deploymentOrder"] == Json{"cert-manager", "gpu-operator", "kueue"});
}

TEST_CASE("a layer may not redefine an upstream overlay or patch a missing one", "[resolver][layers]") {
  resolver::CatalogSource layer;
  layer.root = "mine";
  layer.files["overlays/eks.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata:\n  name: eks\nspec: {}\n";
  CHECK_THROWS_WITH(resolver::load_catalog({test::small_catalog(), layer}), Catch::Contains("use kind OverlayPatch"));
  layer.files["overlays/eks.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: OverlayPatch\nmetadata:\n  name: aks\nspec: {}\n";
  layer.files.emplace("overlays/aks.yaml", layer.files["overlays/eks.yaml"]);
  layer.files.erase("overlays/eks.yaml");
  CHECK_THROWS_WITH(resolver::load_catalog({test::small_catalog(), layer}),
                    Catch::Contains("names overlay \"aks\", which does not exist"));
}

TEST_CASE("a values path escaping the catalog root is refused", "[resolver][catalog]") {
  auto src = test::small_catalog();
  src.files["overlays/gke.yaml"] = R"(apiVersion: galley.dev/v1alpha1
kind: Overlay
metadata:
  name: gke
spec:
  criteria: {service: gke}
  componentRefs:
    - name: gpu-operator
      valuesFiles: [../../etc/passwd]
)";
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
