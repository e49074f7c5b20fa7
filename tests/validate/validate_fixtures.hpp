#pragma once
// Fixtures shared by validate's tests: snapshots collected from tests/fixtures/snapshot, minimal
// recipes, and lookups in check results.
#include <string>

#include "core/document.hpp"
#include "validate/validate.hpp"

namespace galley::validate_test {

using core::Json;

// The folder of snapshot fixtures, relative to the source root (tests run there).
extern const std::string k_fixtures;

// The text of a fixture file under k_fixtures.
std::string fixture(const std::string& path);

// A minimal valid Recipe with the given constraints, components and advisories, digest set.
core::Document recipe(Json constraints, Json components = Json::array(), Json advisories = Json::array());

// One spec.constraints entry.
Json constraint(const std::string& name, const std::string& value);

// One Helm spec.components entry, with health checks or none.
Json helm_component(const std::string& name, const std::string& version, const std::string& ns);
Json health_component(const std::string& name, const std::string& version, const std::string& ns, Json checks);

// The snapshot of the real H100 node (files under its root) and of the EKS cluster fixture.
Json node_snapshot();
Json cluster_snapshot();

// The result named `name` in one check_snapshot entry; fails the test when absent.
const Json& find_result(const Json& entry, const std::string& name);

// Options judging at `date`, could-not-verify not allowed.
validate::ValidateOptions as_of(const std::string& date);

}  // namespace galley::validate_test
