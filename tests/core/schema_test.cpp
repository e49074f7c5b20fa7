#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/error.hpp"
#include "core/schema.hpp"

using galley::core::check_document;
using galley::core::check_schema;
using galley::core::Error;
using galley::core::parse_yaml;

namespace {
std::vector<std::string> errors_of(const std::string& yaml, const std::string& kind) {
  try {
    check_schema(parse_yaml(yaml, "eks.yaml"), kind);
  } catch (const Error& e) {
    return e.lines();
  }
  return {};
}
const char* const k_overlay_head = "apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata:\n  name: eks\nspec:\n";
}  // namespace

TEST_CASE("every document kind has an embedded schema", "[core][schema]") {
  for (const char* kind : {"Registry", "Component", "Overlay", "OverlayPatch", "Advisory", "Criteria", "Recipe"}) {
    CHECK(galley::core::has_schema(kind));
  }
  CHECK_FALSE(galley::core::has_schema("Bogus"));
}

TEST_CASE("unknown fields are named with their line", "[core][schema]") {
  auto e = errors_of(std::string(k_overlay_head) + "  componentRefs:\n    - name: a\n      vrsion: \"1\"\n", "Overlay");
  CHECK(e == std::vector<std::string>{"eks.yaml:8: spec.componentRefs[0].vrsion: unknown field"});
}

TEST_CASE("every bad field of a file is reported at once", "[core][schema]") {
  auto e = errors_of(std::string(k_overlay_head) + "  base: Not_A_Name\n  bogus: 1\n  criteria:\n    service: 7\n",
                     "Overlay");
  CHECK(e.size() == 3);
  CHECK(std::find(e.begin(), e.end(), "eks.yaml:7: spec.bogus: unknown field") != e.end());
  CHECK(std::find(e.begin(), e.end(), "eks.yaml:6: spec.base: \"Not_A_Name\" is not in the expected form") != e.end());
  CHECK(std::find(e.begin(), e.end(), "eks.yaml:9: spec.criteria.service: 7 has the wrong type") != e.end());
}

TEST_CASE("apiVersion and kind are enforced", "[core][schema]") {
  CHECK(errors_of("apiVersion: galley.dev/v1\nkind: Overlay\nmetadata: {name: a}\nspec: {}\n", "Overlay") ==
        std::vector<std::string>{"eks.yaml:1: apiVersion: \"galley.dev/v1\" is not supported; expected "
                                 "\"galley.dev/v1alpha1\""});
  CHECK(errors_of("apiVersion: galley.dev/v1alpha1\nkind: Component\nmetadata: {name: a}\nspec: {}\n", "Overlay") ==
        std::vector<std::string>{"eks.yaml:2: kind: \"Component\": expected Overlay"});
  CHECK_THROWS_WITH(check_document(parse_yaml("apiVersion: galley.dev/v1alpha1\nkind: Snap\n", "x.yaml"), {"Criteria"}),
                    "x.yaml:2: kind: kind \"Snap\" is not accepted here; expected Criteria");
}

TEST_CASE("missing required fields are named", "[core][schema]") {
  auto e = errors_of("apiVersion: galley.dev/v1alpha1\nkind: Component\nmetadata: {name: a}\nspec:\n  type: helm\n"
                     "  namespace: x\n  versions: [{version: \"1\"}]\n",
                     "Component");
  CHECK(std::find(e.begin(), e.end(), "eks.yaml:4: spec.chart: required field is missing") != e.end());
}

TEST_CASE("a document that is not a map is refused", "[core][schema]") {
  CHECK_THROWS_WITH(check_schema(parse_yaml("- a\n", "l.yaml"), "Overlay"), Catch::Contains("expected a YAML map"));
}

TEST_CASE("schema_problems checks a value against any JSON Schema, by field path", "[core][schema]") {
  namespace core = galley::core;
  core::Json schema = core::Json::parse(R"({"type": "object", "properties": {"replicaCount": {"type": "integer"}}})");
  CHECK(core::schema_problems(schema, core::Json::parse(R"({"replicaCount": 2})")).empty());
  auto problems = core::schema_problems(schema, core::Json::parse(R"({"replicaCount": "two"})"));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].first == "replicaCount");
  CHECK(problems[0].second == "\"two\" has the wrong type");
}

TEST_CASE("format date, time and date-time hold on long outside strings (valijson's std::regex recursed per character)",
          "[core][schema]") {
  namespace core = galley::core;
  auto schema = core::Json::parse(R"({"type": "object", "properties": {
      "day": {"type": "string", "format": "date"}, "at": {"type": "string", "format": "date-time"},
      "clock": {"type": "string", "format": "time"}}})");
  std::string digits(300000, '1');
  for (const char* field : {"day", "at", "clock"}) {
    auto problems = core::schema_problems(schema, core::Json{{field, digits}});
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].first == field);
  }
  CHECK(core::schema_problems(schema, core::Json::parse(R"({"day": "2024-02-29", "at": "2024-07-18T16:52:45.5+02:00",
      "clock": "16:52:45Z"})")).empty());
  CHECK(core::schema_problems(schema, core::Json::parse(R"({"day": "2024-02-30"})")).size() == 1);
  CHECK(core::schema_problems(schema, core::Json::parse(R"({"day": "2024-04-31"})")).size() == 1);
  CHECK(core::schema_problems(schema, core::Json::parse(R"({"at": "2024-07-18 16:52:45Z"})")).size() == 1);
}
