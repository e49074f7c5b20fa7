// Tests of attest/read.cpp: the documents of a bundle read fast when galley wrote them.
#include <catch2/catch.hpp>

#include <filesystem>

#include "attest/internal/read.hpp"
#include "core/document.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::attest_test;
using core::Exit;
using core::Json;
namespace fs = std::filesystem;

TEST_CASE("the fast YAML reader agrees with core::parse_yaml, or declines") {
  // Every recipe galley writes (the golden files and every leaf), and a rendered bundle's files.
  size_t compared = 0;
  for (const auto& entry : fs::recursive_directory_iterator("tests/golden")) {
    if (entry.path().extension() != ".yaml") {
      continue;
    }
    std::string text = read(entry.path().string());
    INFO(entry.path().string());
    auto fast = attest::read_yaml_fast(text);
    REQUIRE(fast);
    CHECK(*fast == core::parse_yaml(text, "x").value);
    ++compared;
  }
  CHECK(compared >= 3);
  for (const auto& [path, file] : rendered().files) {
    if (path.ends_with(".yaml")) {
      INFO(path);
      auto fast = attest::read_yaml_fast(file.bytes);
      if (fast) {
        CHECK(*fast == core::parse_yaml(file.bytes, "x").value);
      }
    }
  }
  CHECK(attest::read_yaml_fast(rendered().files.at("recipe.yaml").bytes));
  CHECK(attest::read_yaml_fast(rendered().files.at("bundle.yaml").bytes));

  // Scalars of every style resolve as the core schema says.
  const char* agree[] = {
      "a: 1\nb: 1.5\nc: -2\nd: 0x1F\ne: 1e3\nf: .inf\ng: .nan\n",
      "a: true\nb: false\nc: True\nd: yes\ne: no\nf: on\ng: null\nh: ~\ni:\nj: Null\n",
      "a: \"1\"\nb: '2'\nc: \"true\"\nd: 'null'\ne: \"\"\nf: ''\ng: \"a\\tb\\u00e9\"\n",
      "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\nc: |+\n  kept\n\n",
      "list:\n  - 1\n  - two\n  - [3, four, \"5\"]\n  - {k: v, n: 1}\n  - []\n  - {}\n",
      "'quoted key': 1\n\"1\": one\ntrue: yes\n3: three\n",
      "plain: a multi\n  line plain\nunicode: \"\xc3\xa9t\xc3\xa9\"\nurl: http://x.example/a:b#c\n",
      "- a\n- b: 1\n  c: [x]\n",
      "just a scalar\n",
      "{\"json\": [1, 2.5, \"x\", null, true], \"nested\": {\"a\": {}}}\n",
      "version: 1.10\nsemver: v1.2.3\nk8s: 1.34\ndate: 2024-01-01\noctal: 0o17\nzero: 012\n",
  };
  for (const char* text : agree) {
    INFO(text);
    auto fast = attest::read_yaml_fast(text);
    REQUIRE(fast);
    CHECK(*fast == core::parse_yaml(text, "x").value);
  }
  // Anything else is left to core::parse_yaml.
  for (const char* text : {"a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\na: 2\n", "--- 1\n--- 2\n", "<<: {a: 1}\n",
                           "a: [1\n", "", "? [a]\n: 1\n", "a: !custom x\n"}) {
    INFO(text);
    CHECK_FALSE(attest::read_yaml_fast(text));
  }
}
