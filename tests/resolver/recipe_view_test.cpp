#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/recipe_view.hpp"

using galley::core::Json;
namespace resolver = galley::resolver;

TEST_CASE("a recipe file reads into a typed view, field for field", "[resolver][recipe_view]") {
  galley::core::Document doc = resolver::read_recipe("tests/golden/eks-training.yaml");
  resolver::RecipeView view = resolver::read_recipe_view(doc.value);
  const Json& spec = doc.value["spec"];
  CHECK(view.name == doc.value["metadata"]["name"]);
  CHECK(view.digest == doc.value["metadata"]["digest"]);
  CHECK(view.criteria.fields.at("service") == "eks");
  CHECK(resolver::criteria_json(view.criteria) == spec["criteria"]);
  CHECK(view.catalog_digest == spec["catalogDigest"]);
  CHECK(view.overlays == spec["overlays"].get<std::vector<std::string>>());
  CHECK(view.deployment_order == spec["deploymentOrder"].get<std::vector<std::string>>());
  REQUIRE(view.constraints.size() == spec["constraints"].size());
  CHECK(view.constraints[0].name == spec["constraints"][0]["name"]);
  REQUIRE(view.components.size() == spec["components"].size());
  for (size_t i = 0; i < view.components.size(); ++i) {
    const Json& c = spec["components"][i];
    const resolver::RecipeComponent& rc = view.components[i];
    CHECK(rc.name == c["name"]);
    CHECK(rc.version == c["version"]);
    CHECK(rc.ns == c["namespace"]);
    CHECK(rc.type == c["type"]);
    CHECK(rc.chart_name() == c.value("chart", c["name"].get<std::string>()));
    CHECK(rc.values == c["values"]);
    CHECK(rc.health_checks.size() == c["healthChecks"].size());
    CHECK(view.component(rc.name) == &rc);
    CHECK(view.versions().at(rc.name) == rc.version);
  }
  CHECK(view.component("no-such-component") == nullptr);
  // The solver's exclusion, as a field next to the English effect.
  REQUIRE(view.advisories.size() == 1);
  const resolver::RecipeAdvisory& a = view.advisories[0];
  CHECK(a.name == "karpenter-1-11-0-cpu-regression");
  CHECK(a.effect == "excluded karpenter 1.11.0");
  REQUIRE(a.excluded.size() == 1);
  CHECK(a.excluded[0].component == "karpenter");
  CHECK(a.excluded[0].version == "1.11.0");
  CHECK_FALSE(a.eol_date);
}

TEST_CASE("an end-of-life advisory carries its dates as fields", "[resolver][recipe_view]") {
  Json recipe = {{"metadata", {{"name", "r"}, {"digest", "sha256:0"}}},
                 {"spec",
                  {{"criteria", {{"os", "ubuntu"}, {"nodes", 4}}},
                   {"catalogDigest", "sha256:1"},
                   {"overlays", {"base"}},
                   {"unmatchedCriteria", Json::array()},
                   {"constraints", Json::array()},
                   {"components", Json::array()},
                   {"deploymentOrder", Json::array()},
                   {"advisories",
                    {{{"name", "eol"}, {"summary", "s"}, {"source", "https://x"}, {"severity", "low"},
                      {"action", "a"}, {"effect", "end of life on 2028-04-30; warnings from 2027-06-30"},
                      {"excluded", Json::array()}, {"eolDate", "2028-04-30"}, {"warnFrom", "2027-06-30"}}}},
                   {"provenance", Json::object()}}}};
  resolver::RecipeView view = resolver::read_recipe_view(recipe);
  CHECK(view.criteria.nodes == 4);
  CHECK(resolver::criteria_json(view.criteria) == recipe["spec"]["criteria"]);
  CHECK(view.criteria.fields.at("os") == "ubuntu");
  REQUIRE(view.advisories.size() == 1);
  CHECK(view.advisories[0].eol_date == "2028-04-30");
  CHECK(view.advisories[0].warn_from == "2027-06-30");
  CHECK(view.advisories[0].excluded.empty());
}
