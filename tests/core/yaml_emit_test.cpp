#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/yaml_emit.hpp"

using galley::core::Json;

namespace {
Json round_trip(const Json& v) { return galley::core::parse_yaml(galley::core::to_yaml(v), "rt.yaml").value; }
}  // namespace

TEST_CASE("strings that look like other types are quoted", "[core][yaml]") {
  Json v = {{"a", "1"}, {"b", "true"}, {"c", "yes"}, {"d", "null"}, {"e", ""}, {"f", "- x"}, {"g", "a: b"},
            {"h", "v1.2"}, {"i", "1.5"}, {"j", "#x"}, {"k", " lead"}, {"l", "0x10"}, {"m", "off"}};
  CHECK(round_trip(v) == v);
  CHECK(galley::core::to_yaml(Json{{"h", "v1.2"}}) == "h: v1.2\n");
  CHECK(galley::core::to_yaml(Json{{"a", "1"}}) == "a: \"1\"\n");
}

TEST_CASE("nested maps and lists round-trip", "[core][yaml]") {
  Json v = Json::parse(R"({"a":{"b":[1,{"c":"d","e":[]},[2,3]],"f":{}},"g":[{"h":{"i":null}}],"x.y":2.5})");
  CHECK(round_trip(v) == v);
}

TEST_CASE("multi-line text becomes a literal block and round-trips", "[core][yaml]") {
  for (std::string s : {"a\nb\n", "a\nb", "a\n\nb\n\n", "kind: X\n  indented: y\n", "x\n  \ny\n"}) {
    Json v = {{"content", s}};
    CHECK(round_trip(v) == v);
  }
  CHECK(galley::core::to_yaml(Json{{"c", "a\nb\n"}}) == "c: |\n  a\n  b\n");
}

TEST_CASE("output is stable key order and byte-identical", "[core][yaml]") {
  Json v = Json::parse(R"({"z":1,"a":{"x":2,"b":3}})");
  CHECK(galley::core::to_yaml(v) == "a:\n  b: 3\n  x: 2\nz: 1\n");
  CHECK(galley::core::canonical_json(v) == R"({"a":{"b":3,"x":2},"z":1})");
}
