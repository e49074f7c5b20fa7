#include <catch2/catch.hpp>

#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("a snapshot of the real H100 node records OS, kernel, GPUs, and tools as absent with a reason", "[validate][snapshot]") {
  Json s = node_snapshot();
  const Json& node = s["spec"]["node"];
  CHECK(node["os"]["id"] == "ubuntu");
  CHECK(node["os"]["versionId"] == "24.04");
  CHECK(node["kernel"]["release"] == "6.18.44-fc-v657-gpu");
  CHECK(node["cpu"]["count"] == 16);
  CHECK(node["memory"]["totalBytes"] == 135148564480LL);
  CHECK(node["modules"]["names"] == Json({"nvidia", "nvidia_uvm"}));
  CHECK(node["sysctls"]["values"]["vm.max_map_count"] == "8249672");
  CHECK(node["containerd"] == Json({{"state", "absent"}, {"reason", "not run: --root given"}}));
  CHECK(s["spec"]["cluster"]["state"] == "absent");
}
