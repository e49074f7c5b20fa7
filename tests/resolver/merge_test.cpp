#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "resolver/internal/steps.hpp"
#include "resolver/recipe_doc.hpp"
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
  layer.files["overlays/eks.yaml"] = test::values_patch("eks", "gpu-operator", "driver:\n  version: \"580.105.08\"\n");
  auto cat = resolver::load_catalog({test::small_catalog(), layer});
  Json r = resolver::resolve(*cat, test::criteria({{"service", "eks"}, {"kubernetes", "1.33"}}));
  CHECK(*resolver::select(r, "components.gpu-operator.values.driver.version") == "580.105.08");
  CHECK(*resolver::select(r, "components.gpu-operator.values.driver.enabled") == true);
  CHECK(r["spec"]["provenance"]["components.gpu-operator.values.driver.version"][0]["source"] ==
        "mine/overlays/eks.yaml:10");
}

TEST_CASE("an empty map in an overlay changes nothing, as with helm -f; null deletes with provenance",
          "[resolver][merge]") {
  Json target = Json::parse(R"({"driver": {"enabled": true}, "dcgm": {"enabled": true}})");
  resolver::Provenance provenance;
  resolver::merge_values(target, Json::parse(R"({"driver": {}, "dcgm": null, "mig": {}})"), "v", resolver::Origin{},
                         provenance);
  CHECK(target == Json::parse(R"({"driver": {"enabled": true}, "mig": {}})"));
  CHECK(provenance == resolver::Provenance{{"v.dcgm", {Json{{"value", nullptr}, {"source", ""}}}},
                                           {"v.mig", {Json{{"value", Json::object()}, {"source", ""}}}}});
}
