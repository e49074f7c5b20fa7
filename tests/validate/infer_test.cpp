#include <catch2/catch.hpp>

#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("criteria are inferred from cluster labels, GPU product, os-release and server version", "[validate][infer]") {
  auto inf = v::infer_criteria(cluster_snapshot());
  CHECK(inf.fields["service"] == "eks");
  CHECK(inf.fields["accelerator"] == "h100");
  CHECK(inf.fields["os"] == "ubuntu");
  CHECK(inf.fields["osVersion"] == "24.04");
  CHECK(inf.fields["kubernetes"] == "v1.33.4-eks-1a2b3c4");
}

TEST_CASE("a node-only snapshot cannot give service or kubernetes; flags fill them in", "[validate][infer]") {
  std::vector<std::string> notes;
  galley::resolver::Criteria given;
  CHECK_THROWS_WITH(v::criteria_from_snapshot(node_snapshot(), given, notes),
                    "cannot infer every criterion from the snapshot: missing intent (a snapshot never shows the "
                    "workload intent), kubernetes (no cluster server version in the snapshot), service (no cluster "
                    "nodes in the snapshot); give them as criteria");
  given.fields = {{"service", "gke"}, {"kubernetes", "1.34"}, {"intent", "training"}, {"accelerator", "h200"}};
  auto c = v::criteria_from_snapshot(node_snapshot(), given, notes);
  CHECK(c.fields["accelerator"] == "h200");  // the flag overrides the snapshot
  CHECK(c.fields["os"] == "ubuntu");
}
