#include <catch2/catch.hpp>

#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("a cluster part that was not given is absent with the flag that would give it", "[validate][snapshot]") {
  v::CollectOptions o;
  o.skip_node = true;
  o.version_json = k_fixtures + "eks-cluster/version.json";
  o.collected_at = "2026-11-22T11:14:34Z";
  Json c = v::collect_snapshot(o)["spec"]["cluster"];
  CHECK(c["serverVersion"] == "v1.33.4-eks-1a2b3c4");
  CHECK(c["objects"] == Json({{"state", "absent"}, {"reason", "no --objects-json file given"}}));
  CHECK(c["featureGates"] == Json({{"state", "absent"}, {"reason", "no --metrics file given"}}));
  CHECK(!c.contains("nodes"));
}
