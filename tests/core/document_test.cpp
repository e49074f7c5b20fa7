#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/error.hpp"

using galley::core::Error;
using galley::core::parse_yaml;

TEST_CASE("YAML scalars follow the core schema", "[core][document]") {
  auto d = parse_yaml("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: v25.10\ng: yes\nh: 0x1f\n", "t.yaml");
  CHECK(d.value["a"] == 1);
  CHECK(d.value["b"] == 1.5);
  CHECK(d.value["c"] == true);
  CHECK(d.value["d"].is_null());
  CHECK(d.value["e"] == "1");
  CHECK(d.value["f"] == "v25.10");
  CHECK(d.value["g"] == "yes");
  CHECK(d.value["h"] == 31);
}

TEST_CASE("every field path records its line", "[core][document]") {
  auto d = parse_yaml("spec:\n  refs:\n    - name: a\n    - name: b\n      version: \"1\"\n", "t.yaml");
  CHECK(d.line_of("spec.refs[1].version") == 5);
  CHECK(d.line_of("spec.refs[0].name") == 3);
  CHECK(d.line_of("spec.refs[1].missing") == 4);
}

TEST_CASE("malformed YAML names file and line", "[core][document]") {
  CHECK_THROWS_WITH(parse_yaml("a: 1\nb: [1, 2\n", "bad.yaml"), Catch::StartsWith("bad.yaml:"));
  try {
    parse_yaml("a: 1\nb: [1, 2\n", "bad.yaml");
  } catch (const Error& e) {
    CHECK(e.exit() == galley::core::Exit::bad_input);
  }
}

TEST_CASE("duplicate keys are errors", "[core][document]") {
  CHECK_THROWS_WITH(parse_yaml("a: 1\nb: 2\na: 3\n", "d.yaml"), "d.yaml:3: a: duplicate key");
}

TEST_CASE("more than one document is an error", "[core][document]") {
  CHECK_THROWS_WITH(parse_yaml("a: 1\n---\nb: 2\n", "m.yaml"), Catch::Contains("expected one YAML document, found 2"));
}

TEST_CASE("an alias bomb stops at the node limit quickly", "[core][document]") {
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string name(1, c);
    bomb += name + ": &" + name + " [";
    for (int i = 0; i < 9; ++i) {
      bomb += (i ? ",*" : "*") + prev;
    }
    bomb += "]\n";
    prev = name;
  }
  CHECK(bomb.size() < 4096);
  CHECK_THROWS_WITH(parse_yaml(bomb, "bomb.yaml"), Catch::Contains("alias bomb"));
}

TEST_CASE("deep nesting is refused", "[core][document]") {
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  CHECK_THROWS_AS(parse_yaml(deep, "deep.yaml"), Error);
  std::string moderate = "a: " + std::string(200, '[') + std::string(200, ']') + "\n";
  CHECK_THROWS_WITH(parse_yaml(moderate, "deep.yaml"), Catch::Contains("nesting deeper than 128 levels"));
}

TEST_CASE("invalid UTF-8 is refused with its line", "[core][document]") {
  CHECK_THROWS_WITH(parse_yaml("a: 1\nb: \"\xff\"\n", "u.yaml"), "u.yaml:2: text is not valid UTF-8");
}

TEST_CASE("oversized text is refused before parsing", "[core][document]") {
  galley::core::ReadLimits limits;
  limits.max_bytes = 10;
  CHECK_THROWS_WITH(parse_yaml("a: 12345678901\n", "big.yaml", limits), Catch::Contains("the limit is 10"));
}

TEST_CASE("merge keys and unknown tags are refused", "[core][document]") {
  CHECK_THROWS_WITH(parse_yaml("a: &x {b: 1}\nc:\n  <<: *x\n", "k.yaml"), Catch::Contains("merge keys"));
  CHECK_THROWS_WITH(parse_yaml("a: !foo 1\n", "t.yaml"), Catch::Contains("unsupported tag"));
}

TEST_CASE("paths quote keys with dots", "[core][document]") {
  CHECK(galley::core::child("a", "nvidia.com/gpu") == "a[\"nvidia.com/gpu\"]");
  CHECK(galley::core::child("", "spec") == "spec");
  CHECK(galley::core::index("spec.refs", 2) == "spec.refs[2]");
}

TEST_CASE("a stream holds several manifests", "[core][document]") {
  auto docs = galley::core::parse_yaml_stream("kind: A\n---\nkind: B\n", "m.yaml");
  REQUIRE(docs.size() == 2);
  CHECK(docs[1]["kind"] == "B");
}
