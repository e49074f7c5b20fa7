#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("constraints use version semantics: vendor suffixes, driver and kernel versions", "[validate][checks]") {
  auto plan = v::make_plan(recipe({constraint("kubernetes.version", ">=1.33, <1.34"), constraint("driver.version", ">=570.86"),
                                   constraint("kernel.version", ">=6.8"), constraint("os.version", ">=22.04"),
                                   constraint("containerd.version", ">=1.7"), constraint("gpu.count", "==8"),
                                   constraint("cuda.version", ">=12.8")}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/kubernetes.version")["status"] == "pass");
  CHECK(find_result(e, "constraint/kubernetes.version")["observed"] == "v1.33.4-eks-1a2b3c4");
  CHECK(find_result(e, "constraint/driver.version")["status"] == "pass");
  CHECK(find_result(e, "constraint/kernel.version")["status"] == "pass");
  CHECK(find_result(e, "constraint/os.version")["observed"] == "24.04.3");
  CHECK(find_result(e, "constraint/containerd.version")["status"] == "pass");
  CHECK(find_result(e, "constraint/gpu.count")["status"] == "pass");
  CHECK(find_result(e, "constraint/cuda.version")["status"] == "pass");
}

TEST_CASE("one node outside the range fails the constraint and says which", "[validate][checks]") {
  auto plan = v::make_plan(recipe({constraint("driver.version", "!=580.82.07")}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c.yaml", as_of("2026-11-22"));
  const Json& r = find_result(e, "constraint/driver.version");
  CHECK(r["status"] == "fail");
  CHECK(r["reason"] == "2 of 2 outside the range: 580.82.07");
  CHECK(e["verdict"] == "fail");
}

TEST_CASE("absent data is could-not-verify, and fails the run unless allowed", "[validate][checks]") {
  auto plan = v::make_plan(recipe({constraint("kubernetes.version", ">=1.31"), constraint("kubernetes.feature", "DRA")}));
  Json snapshot = node_snapshot();
  Json e = v::check_snapshot(plan, snapshot, "n.yaml", as_of("2026-11-22"));
  const Json& r = find_result(e, "constraint/kubernetes.version");
  CHECK(r["status"] == "could-not-verify");
  CHECK(r["reason"] ==
        "data absent: no cluster server version (no cluster files given (--from-kubectl-json, --kubectl-version, "
        "--helm-releases, ...))");
  CHECK(find_result(e, "constraint/kubernetes.feature/DRA")["status"] == "could-not-verify");
  CHECK(e["verdict"] == "fail");
  Json allowed = v::check_snapshot(plan, snapshot, "n.yaml", {"2026-11-22", v::AllowCouldNotVerify::yes});
  CHECK(allowed["verdict"] == "pass");
}

TEST_CASE("an unparseable observed version is could-not-verify with the reason", "[validate][checks]") {
  auto plan = v::make_plan(recipe({constraint("kernel.version", ">=6")}));
  Json s = node_snapshot();
  s["spec"]["node"]["kernel"]["release"] = "weird kernel";
  Json e = v::check_snapshot(plan, s, "n.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/kernel.version")["reason"] == "unparseable: weird kernel is not a version");
}

TEST_CASE("components: pass, other version, missing, and extra as not-applicable", "[validate][checks]") {
  auto plan = v::make_plan(recipe(Json::array(), {helm_component("cert-manager", "v1.17.2", "cert-manager"),
                                                  helm_component("gpu-operator", "v25.10.2", "gpu-operator"),
                                                  helm_component("kueue", "0.13.0", "kueue-system")}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "component/cert-manager")["status"] == "pass");
  CHECK(find_result(e, "component/gpu-operator")["reason"] == "other version");
  CHECK(find_result(e, "component/gpu-operator")["observed"] == "v25.10.1 in gpu-operator");
  CHECK(find_result(e, "component/kueue")["reason"] == "missing: no Helm release kueue");
  CHECK(find_result(e, "extra/ingress/ingress-nginx")["status"] == "not-applicable");
  CHECK(e["summary"] == Json({{"total", 5}, {"passed", 1}, {"failed", 2}, {"notApplicable", 2}, {"couldNotVerify", 0}}));
}

TEST_CASE("end-of-life advisories are judged at the as-of date", "[validate][checks]") {
  Json advisory = {{"name", "aks-ubuntu-2204-retirement"}, {"summary", "s"}, {"source", "https://x"},
                   {"severity", "high"}, {"action", "Move to 24.04"},
                   {"effect", "end of life on 2028-04-30; warnings from 2027-06-30"}, {"excluded", Json::array()},
                   {"eolDate", "2028-04-30"}, {"warnFrom", "2027-06-30"}};
  auto plan = v::make_plan(recipe(Json::array(), Json::array(), {advisory}));
  Json before = v::check_snapshot(plan, node_snapshot(), "n", as_of("2027-01-01"));
  CHECK(find_result(before, "advisory/aks-ubuntu-2204-retirement")["status"] == "pass");
  Json warned = v::check_snapshot(plan, node_snapshot(), "n", as_of("2027-07-01"));
  CHECK(find_result(warned, "advisory/aks-ubuntu-2204-retirement")["reason"] ==
        "end of life on 2028-04-30 (warnings from 2027-06-30)");
  Json after = v::check_snapshot(plan, node_snapshot(), "n", as_of("2028-04-30"));
  CHECK(find_result(after, "advisory/aks-ubuntu-2204-retirement")["status"] == "fail");
  CHECK(find_result(after, "advisory/aks-ubuntu-2204-retirement")["reason"] == "end of life since 2028-04-30: Move to 24.04");
}

TEST_CASE("a known-bad component version running fails its advisory", "[validate][checks]") {
  Json advisory = {{"name", "karpenter-1-11-0-cpu-regression"}, {"summary", "s"}, {"source", "https://x"},
                   {"severity", "high"}, {"action", "Do not run 1.11.0"}, {"effect", "excluded karpenter 1.11.0"},
                   {"excluded", {{{"component", "karpenter"}, {"version", "1.11.0"}}}}};
  auto plan = v::make_plan(recipe(Json::array(), Json::array(), {advisory}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c", as_of("2026-11-22"));
  CHECK(find_result(e, "advisory/karpenter-1-11-0-cpu-regression")["status"] == "fail");
  CHECK(find_result(e, "advisory/karpenter-1-11-0-cpu-regression")["observed"] == "karpenter 1.11.0 in kube-system");
}

TEST_CASE("health checks: ready, not ready, missing; without objects could-not-verify", "[validate][checks]") {
  auto plan = v::make_plan(recipe(
      Json::array(),
      {health_component("cert-manager", "v1.17.2", "cert-manager",
                        {{{"kind", "Deployment"}, {"name", "cert-manager"}, {"namespace", "cert-manager"}}}),
       health_component("gpu-operator", "v25.10.1", "gpu-operator",
                        {{{"kind", "Deployment"}, {"name", "gpu-operator"}, {"namespace", "gpu-operator"}},
                         {{"kind", "CustomResourceDefinition"}, {"name", "clusterpolicies.nvidia.com"}},
                         {{"kind", "CustomResourceDefinition"}, {"name", "nvidiadrivers.nvidia.com"}}})}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c", as_of("2026-11-22"));
  CHECK(find_result(e, "health/cert-manager")["status"] == "pass");
  CHECK(find_result(e, "health/gpu-operator")["status"] == "fail");
  CHECK(find_result(e, "health/gpu-operator")["reason"] ==
        "missing: CustomResourceDefinition nvidiadrivers.nvidia.com; not ready: Deployment gpu-operator/gpu-operator");
  Json n = v::check_snapshot(plan, node_snapshot(), "n", as_of("2026-11-22"));
  CHECK(find_result(n, "health/cert-manager")["status"] == "could-not-verify");
}

TEST_CASE("kubernetes.feature: enabled passes, disabled fails, unreported could-not-verify", "[validate][checks]") {
  auto plan = v::make_plan(recipe({constraint("kubernetes.feature", "InPlacePodVerticalScaling"),
                                   constraint("kubernetes.feature", "DynamicResourceAllocation"),
                                   constraint("kubernetes.feature", "NoSuchGate")}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/kubernetes.feature/InPlacePodVerticalScaling")["status"] == "pass");
  CHECK(find_result(e, "constraint/kubernetes.feature/DynamicResourceAllocation")["status"] == "fail");
  CHECK(find_result(e, "constraint/kubernetes.feature/DynamicResourceAllocation")["observed"] == "disabled");
  CHECK(find_result(e, "constraint/kubernetes.feature/NoSuchGate")["reason"] ==
        "data absent: the API server does not report feature gate NoSuchGate");
}

TEST_CASE("Kubernetes vendor-suffixed versions compare by their release, in every operator", "[validate][checks]") {
  auto check = [](const std::string& server, const std::string& range) {
    Json s = cluster_snapshot();
    s["spec"]["cluster"]["serverVersion"] = server;
    auto plan = v::make_plan(recipe({constraint("kubernetes.version", range)}));
    return find_result(v::check_snapshot(plan, s, "c", as_of("2026-11-22")), "constraint/kubernetes.version")["status"]
        .get<std::string>();
  };
  CHECK(check("v1.35.1-gke.1616000", ">=1.35") == "pass");
  CHECK(check("v1.35.1-gke.1616000", "<1.35") == "fail");
  CHECK(check("v1.33.4-eks-1a2b3c4", ">1.33.3, <=1.33.4") == "pass");
  CHECK(check("v1.33.4-eks-1a2b3c4", "==1.33.4") == "pass");
  CHECK(check("v1.33.4-eks-1a2b3c4", "!=1.33.4") == "fail");
  CHECK(check("v1.x", ">=1.31") == "could-not-verify");
}

TEST_CASE("an advisory naming several bad versions fails on any of them", "[validate][checks]") {
  Json advisory = {{"name", "many"}, {"summary", "s"}, {"source", "https://x"}, {"severity", "high"},
                   {"action", "upgrade"}, {"effect", "excluded karpenter 1.10.0; excluded karpenter 1.11.0"},
                   {"excluded", {{{"component", "karpenter"}, {"version", "1.10.0"}}, {{"component", "karpenter"}, {"version", "1.11.0"}}}}};
  auto plan = v::make_plan(recipe(Json::array(), Json::array(), {advisory}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c", as_of("2026-11-22"));
  CHECK(find_result(e, "advisory/many")["expected"] == "not running karpenter 1.10.0, karpenter 1.11.0");
  CHECK(find_result(e, "advisory/many")["status"] == "fail");
  Json n = v::check_snapshot(plan, node_snapshot(), "n", as_of("2026-11-22"));
  CHECK(find_result(n, "advisory/many")["status"] == "could-not-verify");
}

TEST_CASE("the constraint table names exactly the constraints the schemas allow", "[validate][checks]") {
  // Every schema that lists constraint names (Recipe, Overlay, OverlayPatch) lists the table's.
  std::vector<std::string> table = v::constraint_names();
  std::sort(table.begin(), table.end());
  for (const char* schema : {"schemas/recipe.schema.json", "schemas/overlay.schema.json",
                             "schemas/overlaypatch.schema.json"}) {
    INFO(schema);
    Json s = Json::parse(galley::core::read_file(schema));
    std::vector<std::string> allowed =
        s["properties"]["spec"]["properties"]["constraints"]["items"]["properties"]["name"]["enum"];
    std::sort(allowed.begin(), allowed.end());
    CHECK(allowed == table);
  }
  CHECK(v::constraint_value("kubernetes.feature") == v::ConstraintValue::feature_gate);
  CHECK(v::constraint_value("driver.version") == v::ConstraintValue::range);
  CHECK_FALSE(v::constraint_value("driver.versoin"));
}

TEST_CASE("advisories are judged by their fields, not by the English effect", "[validate][checks]") {
  // The effect text says nothing a parser could use; the fields carry the end of life.
  Json advisory = {{"name", "eol"},        {"summary", "s"},       {"source", "https://x"},
                   {"severity", "high"},   {"action", "Move on"},  {"effect", "retired, see the source"},
                   {"excluded", Json::array()}, {"eolDate", "2027-01-01"}};
  auto plan = v::make_plan(recipe(Json::array(), Json::array(), {advisory}));
  CHECK(find_result(v::check_snapshot(plan, node_snapshot(), "n", as_of("2027-01-01")), "advisory/eol")["status"] ==
        "fail");
  CHECK(find_result(v::check_snapshot(plan, node_snapshot(), "n", as_of("2026-12-31")), "advisory/eol")["status"] ==
        "pass");
}

TEST_CASE("GPU product, CPU architecture and OS id are judged on the node, expected vs found", "[validate][checks]") {
  auto gb200 = v::make_plan(recipe({constraint("gpu.product", "NVIDIA GB200*"), constraint("cpu.architecture", "arm64"),
                                    constraint("os.id", "cos")}));
  Json e = v::check_snapshot(gb200, node_snapshot(), "n.yaml", as_of("2026-11-22"));
  const Json& product = find_result(e, "constraint/gpu.product");
  CHECK(product["status"] == "fail");
  CHECK(product["expected"] == "NVIDIA GB200*");
  CHECK(product["observed"] == "NVIDIA H100 80GB HBM3");
  CHECK(product["reason"] == "1 of 1 not matching: NVIDIA H100 80GB HBM3");
  CHECK(product["source"].get<std::string>().starts_with("spec.node.gpus.devices[0].productName (nvidia-smi -q -x"));
  const Json& arch = find_result(e, "constraint/cpu.architecture");
  CHECK(arch["status"] == "fail");
  CHECK(arch["observed"] == "amd64");
  CHECK(find_result(e, "constraint/os.id")["observed"] == "ubuntu");
  CHECK(find_result(e, "constraint/os.id")["status"] == "fail");
  CHECK(e["verdict"] == "fail");

  auto h100 = v::make_plan(recipe({constraint("gpu.product", "NVIDIA H100*"), constraint("cpu.architecture", "amd64"),
                                   constraint("os.id", "ubuntu")}));
  Json ok = v::check_snapshot(h100, node_snapshot(), "n.yaml", as_of("2026-11-22"));
  CHECK(find_result(ok, "constraint/gpu.product")["status"] == "pass");
  CHECK(find_result(ok, "constraint/cpu.architecture")["status"] == "pass");
  CHECK(find_result(ok, "constraint/os.id")["status"] == "pass");
  CHECK(ok["verdict"] == "pass");
}

TEST_CASE("cluster nodes show GPU product (GFD label), architecture and OS id (osImage)", "[validate][checks]") {
  auto plan = v::make_plan(recipe({constraint("gpu.product", "NVIDIA H100*"), constraint("cpu.architecture", "amd64"),
                                   constraint("os.id", "ubuntu")}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/gpu.product")["status"] == "pass");
  CHECK(find_result(e, "constraint/gpu.product")["observed"] == "NVIDIA-H100-80GB-HBM3");
  CHECK(find_result(e, "constraint/cpu.architecture")["status"] == "pass");
  CHECK(find_result(e, "constraint/os.id")["observed"] == "ubuntu");
  auto arm = v::make_plan(recipe({constraint("cpu.architecture", "arm64")}));
  Json arm_entry = v::check_snapshot(arm, cluster_snapshot(), "c.yaml", as_of("2026-11-22"));
  const Json& r = find_result(arm_entry, "constraint/cpu.architecture");
  CHECK(r["status"] == "fail");
  CHECK(r["reason"] == "3 of 3 not matching: amd64");
}

TEST_CASE("an absent architecture is could-not-verify, never a pass", "[validate][checks]") {
  Json snapshot = node_snapshot();
  snapshot["spec"]["node"]["kernel"].erase("architecture");
  auto plan = v::make_plan(recipe({constraint("cpu.architecture", "amd64")}));
  Json e = v::check_snapshot(plan, snapshot, "n.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/cpu.architecture")["status"] == "could-not-verify");
  CHECK(e["verdict"] == "fail");
}

TEST_CASE("name patterns: alternatives, * anywhere, case and - _ ignored, whole-name match", "[validate][checks]") {
  CHECK(v::pattern_matches("NVIDIA H100*", "NVIDIA H100 80GB HBM3"));
  CHECK(v::pattern_matches("NVIDIA H100*", "NVIDIA-H100-80GB-HBM3"));
  CHECK(v::pattern_matches("nvidia h100*", "NVIDIA H100 NVL"));
  CHECK(v::pattern_matches("NVIDIA GB200*|NVIDIA H100*", "NVIDIA H100 PCIe"));
  CHECK(v::pattern_matches("*H100*", "NVIDIA H100 NVL"));
  CHECK_FALSE(v::pattern_matches("NVIDIA H200*", "NVIDIA GH200 480GB"));
  CHECK_FALSE(v::pattern_matches("NVIDIA B200*", "NVIDIA GB200"));
  CHECK_FALSE(v::pattern_matches("amd64", "arm64"));
  CHECK_FALSE(v::pattern_matches("ubuntu", "ubuntu-core"));
  CHECK(v::pattern_matches("ubuntu | amzn", "amzn"));
}

TEST_CASE("a name pattern that is empty or a range is refused when the recipe is loaded", "[validate][checks]") {
  CHECK_THROWS_WITH(v::make_plan(recipe({constraint("gpu.product", ">=100")})),
                    Catch::Contains("is not a name pattern"));
  CHECK_THROWS_WITH(v::make_plan(recipe({constraint("os.id", "ubuntu||cos")})), Catch::Contains("is not a name pattern"));
}

TEST_CASE("scope node checks only node constraints; scope cluster only the cluster", "[validate][checks]") {
  auto plan = v::make_plan(recipe({constraint("kubernetes.version", ">=1.33"), constraint("gpu.product", "NVIDIA H100*")},
                                  Json::array({helm_component("gpu-operator", "25.10.0", "gpu-operator")})));
  v::ValidateOptions node = as_of("2026-11-22");
  node.scope = v::Scope::node;
  Json e = v::check_snapshot(plan, node_snapshot(), "n.yaml", node);
  REQUIRE(e["results"].size() == 1);
  CHECK(e["results"][0]["name"] == "constraint/gpu.product");
  CHECK(e["verdict"] == "pass");
  v::ValidateOptions cluster = as_of("2026-11-22");
  cluster.scope = v::Scope::cluster;
  Json c = v::check_snapshot(plan, node_snapshot(), "n.yaml", cluster);
  CHECK(std::none_of(c["results"].begin(), c["results"].end(),
                     [](const Json& r) { return r["name"] == "constraint/gpu.product"; }));
  CHECK(c["summary"]["couldNotVerify"] == 2);
  CHECK(v::make_report(plan, Json::array({e}), node)["metadata"]["scope"] == "node");
}

namespace {

// The EKS pools cluster (tests/fixtures/snapshot/pools): two H100 nodes in pool train, an L40S node
// in pool infer, a system node.
Json eks_pools_snapshot() {
  v::CollectOptions o;
  o.skip_node = true;
  o.nodes_json = k_fixtures + "pools/eks-nodes.json";
  o.version_json = k_fixtures + "pools/eks-version.json";
  o.collected_at = "2026-11-22T11:14:34Z";
  return v::collect_snapshot(o);
}

}  // namespace

TEST_CASE("a pool's nodes must carry the labels of its per-pool settings", "[validate][checks][pools]") {
  // The EKS H100 + L40S recipe turns the MIG manager off on pool train by node label.
  auto plan = v::read_plan("tests/golden/eks-h100-l40s-pools.yaml");
  Json s = eks_pools_snapshot();
  v::ValidateOptions scope = as_of("2026-11-22");
  Json e = v::check_snapshot(plan, s, "eks.yaml", scope);
  CHECK(find_result(e, "pool/train/node-labels")["status"] == "pass");
  CHECK(find_result(e, "pool/train/node-labels")["category"] == "pool");
  CHECK(find_result(e, "pool/infer/node-labels")["expected"] ==
        "every node of pool infer labelled nvidia.com/gpu.deploy.mig-manager=true");
  // One training node with the MIG manager left on.
  for (auto& n : s["spec"]["cluster"]["nodes"]) {
    if (n["labels"].value("galley.dev/pool", "") == "train") {
      n["labels"]["nvidia.com/gpu.deploy.mig-manager"] = "true";
      break;
    }
  }
  Json bad = v::check_snapshot(plan, s, "eks.yaml", scope);
  CHECK(find_result(bad, "pool/train/node-labels")["status"] == "fail");
  CHECK_THAT(find_result(bad, "pool/train/node-labels")["observed"].get<std::string>(),
             Catch::EndsWith(": nvidia.com/gpu.deploy.mig-manager=true"));
  // Without nodes of the pool: could not verify.
  s["spec"]["cluster"]["nodes"] = Json::array();
  CHECK(find_result(v::check_snapshot(plan, s, "eks.yaml", scope), "pool/train/node-labels")["status"] ==
        "could-not-verify");
}

TEST_CASE("driver.version is read from each vendor's node label: the AMD node labeller's too", "[validate][checks][amd]") {
  Json s = eks_pools_snapshot();
  Json amd = Json::array();
  for (auto n : s["spec"]["cluster"]["nodes"]) {
    if (n["labels"].contains("nvidia.com/cuda.driver-version.full")) {
      n["labels"].erase("nvidia.com/cuda.driver-version.full");
      n["labels"]["amd.com/gpu.driver-version"] = "6.12.12";  // the amdgpu module version, as amd-smi shows it
    }
    amd.push_back(n);
  }
  s["spec"]["cluster"]["nodes"] = amd;
  auto plan = v::make_plan(recipe({constraint("driver.version", ">=6.1")}));
  Json e = v::check_snapshot(plan, s, "amd.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/driver.version")["status"] == "pass");
  CHECK(find_result(e, "constraint/driver.version")["observed"] == "6.12.12");
  CHECK_THAT(find_result(e, "constraint/driver.version")["source"].get<std::string>(),
             Catch::Contains("labels[\"amd.com/gpu.driver-version\"]"));
}
