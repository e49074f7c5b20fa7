// Limits enforced while reading (issue 16): each case is a reproduction that crashed, hung or
// exhausted memory before.
#include <catch2/catch.hpp>

#include <string>

#include "core/document.hpp"
#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/text.hpp"

using galley::core::Error;
using galley::core::parse_json;
using galley::core::parse_yaml;

TEST_CASE("YAML nested 100,000 deep is refused by the streaming check, not the stack", "[core][limits]") {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_THROWS_WITH(parse_yaml(deep, "deep.yaml"), Catch::Contains("nesting deeper than 128 levels"));
  std::string maps;
  for (int i = 0; i < 100000; ++i) {
    maps += "{a: ";
  }
  CHECK_THROWS_WITH(parse_yaml(maps, "deep.yaml"), Catch::Contains("nesting deeper than 128"));
}

TEST_CASE("a flow list over the node limit is refused before a tree is built", "[core][limits]") {
  galley::core::ReadLimits limits;
  limits.max_nodes = 1000;
  std::string list = "[";
  for (int i = 0; i < 5000; ++i) {
    list += "1,";
  }
  list += "1]";
  CHECK_THROWS_WITH(parse_yaml(list, "flow.yaml", limits), Catch::Contains("more than 1000 nodes"));
}

TEST_CASE("an alias counts the nodes it repeats", "[core][limits]") {
  galley::core::ReadLimits limits;
  limits.max_nodes = 100;
  std::string bomb = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b]\n";
  CHECK_THROWS_WITH(parse_yaml(bomb, "bomb.yaml", limits), Catch::Contains("nodes"));
}

TEST_CASE("keys per map, key length and value length are bounded", "[core][limits]") {
  galley::core::ReadLimits limits;
  limits.max_keys = 100;
  std::string many;
  for (int i = 0; i < 300; ++i) {
    many += "k" + std::to_string(i) + ": 1\n";
  }
  CHECK_THROWS_WITH(parse_yaml(many, "values.yaml", limits), Catch::Contains("more than 100 keys"));
  // An implicit key over 1,024 characters is already a syntax error; an explicit one is bounded too.
  CHECK_THROWS_WITH(parse_yaml("\"" + std::string(200000, 'k') + "\": 1\n", "k.yaml"), Catch::StartsWith("k.yaml:1:"));
  CHECK_THROWS_WITH(parse_yaml("? " + std::string(200000, 'k') + "\n: 1\n", "k.yaml"), Catch::Contains("map key of 200000 bytes"));
  limits = {};
  limits.max_string = 1000;
  CHECK_THROWS_WITH(parse_yaml("a: " + std::string(5000, 'x') + "\n", "s.yaml", limits), Catch::Contains("value of 5000 bytes"));
}

TEST_CASE("YAML tags beyond the core schema are refused, on maps and lists too", "[core][limits]") {
  CHECK_THROWS_WITH(parse_yaml("a: !!python/object:os.system {b: 1}\n", "v.yaml"), Catch::Contains("unsupported tag"));
  CHECK_THROWS_WITH(parse_yaml("a: !custom [1]\n", "v.yaml"), Catch::Contains("unsupported tag"));
  CHECK(parse_yaml("a: !!str 1\nb: !!map {c: 1}\n", "v.yaml").value["a"] == "1");
}

TEST_CASE("JSON: depth, numbers out of range, long names and keys named", "[core][limits]") {
  std::string deep;
  for (int i = 0; i < 100000; ++i) {
    deep += "{\"a\":";
  }
  CHECK_THROWS_WITH(parse_json(deep, "kubectl.json"), Catch::Contains("kubectl.json: nesting deeper than 128"));
  try {
    parse_json("{\"items\": [\n{\"a\": 1e999}]}", "nodes.json");
    FAIL("accepted 1e999");
  } catch (const Error& e) {
    CHECK(e.exit() == galley::core::Exit::bad_input);
    CHECK_THAT(e.what(), Catch::Contains("nodes.json:2") && Catch::Contains("out of range"));
  }
  CHECK_THROWS_WITH(parse_json("{\"" + std::string(200000, 'n') + "\": 1}", "k.json"), Catch::Contains("map key of 200000"));
  CHECK_THROWS_WITH(parse_json("{\"a\": \"" + std::string(2u << 20, 'n') + "\"}", "k.json"), Catch::Contains("the limit is"));
}

TEST_CASE("JSON syntax errors never echo the input (it may be a credential)", "[core][limits]") {
  try {
    parse_json("{\"auths\": {\"r\": {\"auth\": \"c2VjcmV0OnBhc3N3b3Jk", "config.json");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), !Catch::Contains("c2VjcmV0"));
  }
}

TEST_CASE("a 200,000-character name is checked against its pattern without recursion", "[core][limits]") {
  std::string name(200000, 'a');
  auto doc = parse_yaml("apiVersion: galley.dev/v1alpha1\nkind: Criteria\nmetadata:\n  name: " + name + "\nspec:\n  service: eks\n",
                        "c.yaml");
  CHECK_THROWS_AS(galley::core::check_document(doc, {"Criteria"}), Error);
  auto problems = galley::core::schema_problems(galley::core::Json::parse(R"({"type": "string", "pattern": "^([a-z]+)*$"})"),
                                                galley::core::Json(std::string(200000, 'a') + "!"));
  CHECK(problems.size() == 1);
}

TEST_CASE("secrets are redacted from messages", "[core][limits]") {
  using galley::core::redact_secrets;
  CHECK(redact_secrets("pulling oci://user:pass@reg.example.com/x:v1 failed") ==
        "pulling oci://***@reg.example.com/x:v1 failed");
  CHECK(redact_secrets("\"https://tok@git.example.com/a.git\": 401") == "\"https://***@git.example.com/a.git\": 401");
  CHECK(redact_secrets("no url here") == "no url here");
  CHECK(redact_secrets("http://host/a@b") == "http://host/a@b");
  std::string pem = "\"-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIGhJ\"";
  CHECK(redact_secrets(pem).find("MC4CAQ") == std::string::npos);
}

TEST_CASE("names are quoted so that they cannot forge lines or break JSON", "[core][limits]") {
  using galley::core::quote_name;
  CHECK(quote_name("a.yaml") == "\"a.yaml\"");
  CHECK(quote_name("x\nVERIFIED") == "\"x\\nVERIFIED\"");
  CHECK(quote_name("bad\xffname") == "\"bad\\xffname\"");
  CHECK(quote_name("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(quote_name("q\"\\\x1b") == "\"q\\\"\\\\\\u001b\"");
  CHECK(quote_name("\xe2\x82") == "\"\\xe2\\x82\"");
}

TEST_CASE("a syntax error libyaml finds is named, never handed to yaml-cpp (a lone comma hung it)", "[core][limits]") {
  CHECK_THROWS_WITH(parse_yaml(",", "comma.yaml"), Catch::StartsWith("comma.yaml:1: invalid YAML"));
  CHECK_THROWS_WITH(galley::core::parse_yaml_stream("a: 1\n---\n,\n", "s.yaml"), Catch::Contains("invalid YAML"));
}

TEST_CASE("an anchor glued to more text is refused (yaml-cpp spun forever on &u?,)", "[core][limits]") {
  CHECK_THROWS_WITH(parse_yaml("&u?,", "a.yaml"), Catch::Contains("followed by a space"));
  CHECK_THROWS_WITH(parse_yaml("a: &x?y,\n", "a.yaml"), Catch::Contains("followed by a space"));
  CHECK(parse_yaml("a: &x 1\nb: *x\nc: [&y 2, *y]\n", "a.yaml").value["c"][1] == 2);
}
