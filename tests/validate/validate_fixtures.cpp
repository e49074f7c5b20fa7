#include "validate_fixtures.hpp"

#include <catch2/catch.hpp>

#include "core/files.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::validate_test {

const std::string k_fixtures = "tests/fixtures/snapshot/";

std::string fixture(const std::string& path) { return core::read_file(k_fixtures + path); }

core::Document recipe(Json constraints, Json components, Json advisories) {
  Json r = {{"apiVersion", "galley.dev/v1alpha1"},
            {"kind", "Recipe"},
            {"metadata", {{"name", "test"}, {"digest", "sha256:" + std::string(64, '0')}}},
            {"spec",
             {{"criteria", {{"service", "eks"}}},
              {"catalogDigest", "sha256:" + std::string(64, '0')},
              {"overlays", {"base"}},
              {"unmatchedCriteria", Json::array()},
              {"constraints", constraints},
              {"components", components},
              {"deploymentOrder", Json::array()},
              {"advisories", advisories},
              {"provenance", Json::object()}}}};
  r["metadata"]["digest"] = resolver::recipe_digest(r);
  return core::Document{"recipe.yaml", r, {{"", 1}}, {}};
}

Json constraint(const std::string& name, const std::string& value) {
  return {{"name", name}, {"value", value}, {"source", "recipes/overlays/base.yaml:9"}};
}

Json helm_component(const std::string& name, const std::string& version, const std::string& ns) {
  return {{"name", name},           {"type", "helm"},        {"chart", name},
          {"version", version},     {"namespace", ns},       {"dependencies", Json::array()},
          {"values", Json::object()}, {"manifests", Json::array()}, {"healthChecks", Json::array()},
          {"selection", {{"constraint", "*"}, {"candidates", {version}}, {"rejected", Json::array()}}}};
}

Json node_snapshot() {
  validate::CollectOptions o;
  o.root = k_fixtures + "h100-node-real/root";
  o.nvidia_smi_xml = k_fixtures + "h100-node-real/nvidia-smi-q-x.xml";
  o.collected_at = "2026-11-22T11:14:34Z";
  return validate::collect_snapshot(o);
}

Json cluster_snapshot() {
  validate::CollectOptions o;
  o.skip_node = true;
  o.nodes_json = k_fixtures + "eks-cluster/nodes.json";
  o.version_json = k_fixtures + "eks-cluster/version.json";
  o.helm_releases_json = k_fixtures + "eks-cluster/releases.json";
  o.objects_json = k_fixtures + "eks-cluster/objects.json";
  o.metrics_text = k_fixtures + "eks-cluster/metrics.txt";
  o.resource_slices_json = k_fixtures + "eks-cluster/resourceslices.json";
  o.collected_at = "2026-11-22T11:14:34Z";
  return validate::collect_snapshot(o);
}

Json health_component(const std::string& name, const std::string& version, const std::string& ns, Json checks) {
  Json c = helm_component(name, version, ns);
  c["healthChecks"] = std::move(checks);
  return c;
}

const Json& find_result(const Json& entry, const std::string& name) {
  for (const auto& r : entry["results"]) {
    if (r["name"] == name) {
      return r;
    }
  }
  FAIL("no result " << name);
  static Json none;
  return none;
}

validate::ValidateOptions as_of(const std::string& date) { return validate::ValidateOptions{date, validate::AllowCouldNotVerify::no}; }

}  // namespace galley::validate_test
