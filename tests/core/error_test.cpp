// Tests of core/error.cpp: where a problem is, the Error's lines and exit code, Diagnostics, and the
// closest-candidate and join helpers used in messages.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/error.hpp"

using namespace galley;
using core::Exit;

TEST_CASE("Where names file, line and field, leaving out the absent parts", "[core][error]") {
  CHECK(core::Where{"recipe.yaml", 12, "spec.components[0].name"}.str() == "recipe.yaml:12: spec.components[0].name");
  CHECK(core::Where{"recipe.yaml", 0, "spec"}.str() == "recipe.yaml: spec");
  CHECK(core::Where{"recipe.yaml", 3, ""}.str() == "recipe.yaml:3");
  CHECK(core::Where{"", 3, "spec"}.str() == "spec");  // a line without a file means nothing
  CHECK(core::Where{}.str() == "");
  CHECK(core::to_int(Exit::ok) == 0);
  CHECK(core::to_int(Exit::check_failed) == 1);
  CHECK(core::to_int(Exit::bad_input) == 2);
  CHECK(core::to_int(Exit::not_found) == 3);
  CHECK(core::to_int(Exit::unsatisfiable) == 4);
  CHECK(core::to_int(Exit::io) == 5);
}

TEST_CASE("Error: one line per problem, its exit code, the option it is in", "[core][error]") {
  core::Error at(Exit::bad_input, core::Where{"a.yaml", 4, "spec.x"}, "is not a number");
  CHECK(std::string(at.what()) == "a.yaml:4: spec.x: is not a number");
  CHECK(at.exit() == Exit::bad_input);
  CHECK(at.lines() == std::vector<std::string>{"a.yaml:4: spec.x: is not a number"});
  CHECK(at.option() == "");

  core::Error bare(Exit::io, "cannot connect");
  CHECK(std::string(bare.what()) == "cannot connect");
  CHECK(bare.exit() == Exit::io);

  core::Error nowhere(Exit::not_found, core::Where{}, "nothing here");
  CHECK(std::string(nowhere.what()) == "nothing here");

  core::Error option(Exit::bad_input, core::OptionField{"tsa-url"}, "not http://");
  CHECK(std::string(option.what()) == "tsa-url: not http://");
  CHECK(option.option() == "tsa-url");

  core::Error several(Exit::check_failed, std::vector<std::string>{"first", "second", "third"});
  CHECK(std::string(several.what()) == "first\nsecond\nthird");
  CHECK(several.lines().size() == 3);
  CHECK(std::string(core::Error(Exit::check_failed, std::vector<std::string>{}).what()) == "");
}

TEST_CASE("Diagnostics collects every problem once, in order, and throws them together", "[core][error]") {
  core::Diagnostics none;
  CHECK(none.empty());
  CHECK_NOTHROW(none.throw_if_any(Exit::bad_input));

  core::Diagnostics diags;
  diags.add(core::Where{"p.yaml", 7, "spec.b"}, "unknown field");
  diags.add(core::Where{"p.yaml", 3, "spec.a"}, "missing");
  diags.add(core::Where{"p.yaml", 7, "spec.b"}, "unknown field");  // the same problem again
  CHECK_FALSE(diags.empty());
  try {
    diags.throw_if_any(Exit::bad_input);
    FAIL("throw_if_any did not throw");
  } catch (const core::Error& e) {
    CHECK(e.exit() == Exit::bad_input);
    CHECK(e.lines() == std::vector<std::string>{"p.yaml:7: spec.b: unknown field", "p.yaml:3: spec.a: missing"});
    CHECK(std::string(e.what()) == "p.yaml:7: spec.b: unknown field\np.yaml:3: spec.a: missing");
  }
}

TEST_CASE("closest suggests a near candidate, or nothing", "[core][error]") {
  std::vector<std::string> fields{"service", "accelerator", "intent", "os", "kubernetes"};
  CHECK(core::closest("servce", fields) == "service");
  CHECK(core::closest("acelerator", fields) == "accelerator");
  CHECK(core::closest("kubernets", fields) == "kubernetes");
  CHECK(core::closest("service", fields) == "service");
  CHECK(core::closest("platform", fields) == "");
  CHECK(core::closest("anything", {}) == "");
  // Short words allow two edits: "xs" -> "os" (1), "xyz" is 3 away from "os".
  CHECK(core::closest("xs", fields) == "os");
  CHECK(core::closest("xyz", fields) == "");
  // Of two at the same distance, the first candidate wins.
  CHECK(core::closest("ab", {"ax", "xb"}) == "ax");
}

TEST_CASE("join puts the separator between items only", "[core][error]") {
  CHECK(core::join({}) == "");
  CHECK(core::join({"a"}) == "a");
  CHECK(core::join({"a", "b", "c"}) == "a, b, c");
  CHECK(core::join({"a", "", "c"}, "|") == "a||c");
  CHECK(core::join({"x", "y"}, "") == "xy");
}
