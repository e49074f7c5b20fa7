#include <catch2/catch.hpp>

#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("identifying values are hashed by default and kept with full privacy off", "[validate][snapshot][privacy]") {
  Json s = node_snapshot();
  const Json& gpu = s["spec"]["node"]["gpus"]["devices"][0];
  CHECK(gpu["uuid"] == v::pseudonym("GPU-857fb23f-c0d4-29ec-c287-cde5785819b9", "galley-snapshot-v1"));
  CHECK(gpu["serial"].get<std::string>().size() == 23);
  CHECK(s["spec"]["node"]["hostname"] == v::pseudonym("vm", "galley-snapshot-v1"));
  CHECK(s["spec"]["node"]["cmdline"]["value"].get<std::string>().find("0.0.0.0") == std::string::npos);
  Json c = cluster_snapshot();
  const Json& n = c["spec"]["cluster"]["nodes"][0];
  CHECK(n["name"] == v::pseudonym("ip-10-0-1-17.ec2.internal", "galley-snapshot-v1"));
  CHECK(n["labels"]["kubernetes.io/hostname"] == n["name"]);
  CHECK(n["providerID"].get<std::string>().starts_with("sha256:"));
  CHECK(n["providerScheme"] == "aws");
  CHECK(n["addresses"][0]["address"] == v::pseudonym("10.0.1.17", "galley-snapshot-v1"));
  CHECK(v::pseudonym("x", "a") != v::pseudonym("x", "b"));
  CHECK(v::pseudonym("sha256:0123456789abcdef", "a") == "sha256:0123456789abcdef");
}
