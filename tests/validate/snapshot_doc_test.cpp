#include <catch2/catch.hpp>

#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("a snapshot of the wrong kind is refused naming file, line and field", "[validate][snapshot][bad]") {
  std::string text = "apiVersion: galley.dev/v1alpha1\nkind: Recipe\nmetadata: {name: x}\n";
  CHECK_THROWS_WITH(v::read_snapshot(text, "s.yaml"),
                    "s.yaml:2: kind: kind \"Recipe\" is not accepted here; expected Snapshot");
}

TEST_CASE("a JSON snapshot with a schema error gets lines from a second, YAML read", "[validate][snapshot][bad]") {
  Json s = node_snapshot();
  s["spec"]["node"]["bogus"] = 1;
  CHECK_THROWS_WITH(v::read_snapshot(s.dump(1), "s.json"), Catch::Contains("s.json:") && Catch::Contains(
                    "spec.node.bogus: unknown field"));
  CHECK_NOTHROW(v::read_snapshot(node_snapshot().dump(), "ok.json"));
}
