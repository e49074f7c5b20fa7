#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/error.hpp"
#include "core/yaml_emit.hpp"
#include "resolver/recipe_doc.hpp"
#include "test_catalog.hpp"

using namespace galley;
using core::Json;

TEST_CASE("the recipe digest covers the content and is checked on read", "[resolver][recipe]") {
  Json r = test::eks_training_recipe();
  std::string text = core::to_yaml(r);
  auto doc = core::parse_yaml(text, "r.yaml");
  CHECK_NOTHROW(resolver::check_recipe(doc));
  auto pos = text.find("580.95.05");
  REQUIRE(pos != std::string::npos);
  text.replace(pos, 9, "580.95.06");
  CHECK_THROWS_WITH(resolver::check_recipe(core::parse_yaml(text, "r.yaml")),
                    Catch::Contains("does not match the recipe's content"));
}

TEST_CASE("select, explain and diff read the recipe by path", "[resolver][recipe]") {
  Json r = test::eks_training_recipe();
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

TEST_CASE("diff lists criteria and other spec fields, and says whether the recipes differ", "[resolver][recipe]") {
  Json r = test::eks_training_recipe();
  Json same = resolver::diff(r, r);
  CHECK_FALSE(same["differ"].get<bool>());
  CHECK(same["fields"].empty());
  Json k = r;
  k["spec"]["criteria"]["kubernetes"] = "1.99";
  k["spec"]["provenance"] = Json::object();  // where values came from is not a difference
  Json d = resolver::diff(r, k);
  CHECK(d["differ"].get<bool>());
  CHECK(d["values"].empty());
  CHECK(d["components"]["changed"].empty());
  REQUIRE(d["fields"].size() == 1);
  CHECK(d["fields"][0]["path"] == "criteria.kubernetes");
  CHECK(d["fields"][0]["to"] == "1.99");
  CHECK(d["fields"][0]["change"] == "changed");
}

TEST_CASE("an advisory is worth a warning only when it changed the choice or applies to it", "[resolver][recipe]") {
  Json r = test::eks_training_recipe();
  Json advisory = {{"name", "old-gpu-operator"}, {"summary", "s"}, {"source", "https://example.com"},
                   {"severity", "high"}, {"action", "a"}, {"effect", "excluded gpu-operator v1.0.0"},
                   {"excluded", Json::array({Json{{"component", "gpu-operator"}, {"version", "v1.0.0"}}})}};
  r["spec"]["advisories"] = Json::array({advisory});
  CHECK(resolver::advisories_to_warn(r).empty());  // v26.3.0 was chosen: the exclusion changed nothing
  advisory["excluded"][0]["version"] = "v99.0.0";  // newer than the choice: it decided it
  r["spec"]["advisories"] = Json::array({advisory});
  CHECK(resolver::advisories_to_warn(r) == std::vector<std::string>{"old-gpu-operator"});
  advisory["excluded"] = Json::array();
  advisory["eolDate"] = "2026-01-01";  // end of life: applies to the criteria chosen
  r["spec"]["advisories"] = Json::array({advisory});
  CHECK(resolver::advisories_to_warn(r) == std::vector<std::string>{"old-gpu-operator"});
}
