// Tests of core/yaml_fast.cpp: the fast reader agrees with core::parse_yaml on the YAML galley
// writes, declines everything it must leave to parse_yaml, and read_checked falls back for lines.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/document.hpp"
#include "core/error.hpp"
#include "core/yaml_fast.hpp"

using namespace galley;
using core::Json;

TEST_CASE("read_yaml_fast reads galley's own YAML as parse_yaml does", "[core][yaml_fast]") {
  const char* documents[] = {
      "apiVersion: galley.dev/v1alpha1\nkind: Recipe\nmetadata:\n  name: demo\n  digest: \"sha256:11\"\n"
      "spec:\n  criteria:\n    service: eks\n    kubernetes: \"1.34\"\n  components:\n    - name: gpu-operator\n"
      "      version: v25.3.0\n      values:\n        replicas: 2\n        enabled: true\n        ratio: 0.5\n"
      "        empty: null\n        tags: []\n",
      "a:\n  b:\n    c: [1, 2, 3]\n  d: {}\n",
      "text: |\n  first\n  second\n",
      "- 1\n- \"1\"\n- one\n",
  };
  for (const char* text : documents) {
    INFO(text);
    std::optional<Json> fast = core::read_yaml_fast(text);
    REQUIRE(fast);
    CHECK(*fast == core::parse_yaml(text, "x").value);
  }
  std::optional<Json> recipe = core::read_yaml_fast(documents[0]);
  REQUIRE(recipe);
  CHECK((*recipe)["spec"]["criteria"]["kubernetes"] == "1.34");
  CHECK((*recipe)["spec"]["components"][0]["values"]["replicas"] == 2);
  CHECK((*recipe)["spec"]["components"][0]["values"]["empty"].is_null());
}

TEST_CASE("read_yaml_fast declines what parse_yaml must judge", "[core][yaml_fast]") {
  for (const char* text : {"base: &b {x: 1}\nuse: *b\n",    // anchors and aliases
                           "a: !!int \"3\"\n",               // tags
                           "key: 1\nkey: 2\n",               // duplicate keys
                           "a: 1\n---\nb: 2\n",              // several documents
                           "[x]: 1\n",                       // a non-scalar key
                           "a: {b: 1\n",                     // a parse error
                           "a: 1\n\xEF\xBB\xBF" "b: 2\n",        // a byte order mark after the start
                           "a: 1\rb: 2\n",                  // a carriage return alone
                           "\"<<\": 1\n",                    // a merge key, even quoted
                           "?", "~: 1\n", "null: 1\n", "a: {? : 1}\n"}) {  // a null key (found by CI's fuzzing)
    INFO(text);
    CHECK_FALSE(core::read_yaml_fast(text));
  }
  // parse_yaml refuses the duplicate key itself, naming the line.
  CHECK_THROWS_AS(core::parse_yaml("key: 1\nkey: 2\n", "dup.yaml"), core::Error);
  // ... and every null key, which the fast reader now leaves to it; a quoted "~" or "" is a string key.
  for (const char* text : {"?", "~: 1\n", "null: 1\n"}) {
    INFO(text);
    CHECK_THROWS_WITH(core::parse_yaml(text, "null-key.yaml"), Catch::Contains("a map key must be a plain value"));
  }
  CHECK(core::read_yaml_fast("\"~\": 1\n'': 2\n") == core::Json{{"~", 1}, {"", 2}});
}

TEST_CASE("read_checked reads fast, and again slowly when the check refuses", "[core][yaml_fast]") {
  auto needs_name = [](const core::Document& doc) {
    if (!doc.value.contains("name")) {
      throw core::Error(core::Exit::bad_input, core::Where{doc.name, doc.line_of("other"), "name"}, "missing");
    }
  };
  core::Document ok = core::read_checked("name: a\nother: 1\n", "ok.yaml", needs_name);
  CHECK(ok.value == Json{{"name", "a"}, {"other", 1}});
  CHECK(ok.lines.empty());  // read fast: no line table

  CHECK_THROWS_WITH(core::read_checked("x: 1\nother: 2\n", "bad.yaml", needs_name), "bad.yaml:2: name: missing");

  // Above the reread limit the fast read's error stands, without a line.
  core::FastRead no_reread;
  no_reread.reread_limit = 4;
  CHECK_THROWS_WITH(core::read_checked("x: 1\nother: 2\n", "bad.yaml", needs_name, no_reread), "bad.yaml: name: missing");

  // With root_line a fast-read document knows its root's line.
  core::FastRead root;
  root.root_line = true;
  CHECK(core::read_checked("name: a\n", "r.yaml", needs_name, root).line_of("") == 1);

  // Text the fast reader declines goes to parse_yaml, whose lines are kept.
  core::Document slow = core::read_checked("name: &n a\nother: *n\n", "s.yaml", needs_name);
  CHECK(slow.value == Json{{"name", "a"}, {"other", "a"}});
  CHECK(slow.line_of("other") == 2);

  // A fast reader told by the caller.
  core::FastRead never;
  never.read = [](std::string_view) { return std::optional<Json>{}; };
  CHECK(core::read_checked("name: a\n", "n.yaml", needs_name, never).line_of("name") == 1);
}
