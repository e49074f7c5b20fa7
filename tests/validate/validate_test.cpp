#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "resolver/recipe_doc.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using galley::core::Json;

namespace {

const std::string k_fixtures = "tests/fixtures/snapshot/";

std::string fixture(const std::string& path) { return galley::core::read_file(k_fixtures + path); }

// A minimal valid Recipe with the given constraints, components and advisories, digest set.
galley::core::Document recipe(Json constraints, Json components = Json::array(), Json advisories = Json::array()) {
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
  r["metadata"]["digest"] = galley::resolver::recipe_digest(r);
  return galley::core::Document{"recipe.yaml", r, {{"", 1}}, {}};
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
  v::CollectOptions o;
  o.root = k_fixtures + "h100-node-real/root";
  o.nvidia_smi_xml = k_fixtures + "h100-node-real/nvidia-smi-q-x.xml";
  o.collected_at = "2026-11-22T11:14:34Z";
  return v::collect_snapshot(o);
}

Json cluster_snapshot() {
  v::CollectOptions o;
  o.skip_node = true;
  o.nodes_json = k_fixtures + "eks-cluster/nodes.json";
  o.version_json = k_fixtures + "eks-cluster/version.json";
  o.helm_releases_json = k_fixtures + "eks-cluster/releases.json";
  o.objects_json = k_fixtures + "eks-cluster/objects.json";
  o.metrics_text = k_fixtures + "eks-cluster/metrics.txt";
  o.resource_slices_json = k_fixtures + "eks-cluster/resourceslices.json";
  o.collected_at = "2026-11-22T11:14:34Z";
  return v::collect_snapshot(o);
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

v::ValidateOptions as_of(const std::string& date) { return v::ValidateOptions{date, v::AllowCouldNotVerify::no}; }

}  // namespace

// ---- nvidia-smi -------------------------------------------------------------------------------

TEST_CASE("the real H100 capture parses into one GPU with driver, CUDA, MIG mode, memory and PCIe", "[validate][xml]") {
  Json g = v::parse_nvidia_smi(fixture("h100-node-real/nvidia-smi-q-x.xml"), "h100.xml");
  CHECK(g["driverVersion"] == "580.159.04");
  CHECK(g["cudaVersion"] == "13.0");
  CHECK(g["count"] == 1);
  const Json& d = g["devices"][0];
  CHECK(d["productName"] == "NVIDIA H100 80GB HBM3");
  CHECK(d["migMode"]["current"] == "Disabled");
  CHECK(d["memoryTotalMiB"] == 81559);
  CHECK(d["pcie"]["currentGen"] == "5");
  CHECK(d["pcie"]["currentWidth"] == "16x");
  CHECK(d["uuid"] == "GPU-857fb23f-c0d4-29ec-c287-cde5785819b9");
  CHECK(!d.contains("migDevices"));
}

TEST_CASE("MIG-enabled output lists the MIG devices with their memory", "[validate][xml]") {
  Json g = v::parse_nvidia_smi(fixture("nvidia-smi/h100-mig.xml"), "mig.xml");
  const Json& d = g["devices"][0];
  CHECK(d["migMode"]["current"] == "Enabled");
  REQUIRE(d["migDevices"].size() == 3);
  CHECK(d["migDevices"][2]["gpuInstanceId"] == 9);
  CHECK(d["migDevices"][2]["memoryTotalMiB"] == 9984);
}

TEST_CASE("eight GPUs are eight devices in bus order", "[validate][xml]") {
  Json g = v::parse_nvidia_smi(fixture("nvidia-smi/8x-h100.xml"), "8x.xml");
  REQUIRE(g["count"] == 8);
  CHECK(g["devices"][7]["pciBusId"] == "00000000:DB:00.0");
  CHECK(g["devices"][7]["index"] == 7);
}

TEST_CASE("truncated XML is refused naming the file and line", "[validate][xml][bad]") {
  CHECK_THROWS_WITH(v::parse_nvidia_smi(fixture("nvidia-smi/truncated.xml"), "truncated.xml"),
                    "truncated.xml:111: malformed or truncated XML: Start-end tags mismatch");
}

TEST_CASE("XML that declares an entity is refused before parsing", "[validate][xml][bad]") {
  CHECK_THROWS_WITH(v::parse_nvidia_smi(fixture("nvidia-smi/external-entity.xml"), "xxe.xml"),
                    "xxe.xml:3: the XML declares an entity (<!ENTITY); nvidia-smi output never does, so it is refused");
}

TEST_CASE("XML of another tool is refused", "[validate][xml][bad]") {
  CHECK_THROWS_WITH(v::parse_nvidia_smi("<?xml version=\"1.0\"?><rocm/>", "x.xml"),
                    "x.xml: not `nvidia-smi -q -x` output: the root element is <rocm>, expected <nvidia_smi_log>");
}

// ---- snapshot -----------------------------------------------------------------------------------

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

TEST_CASE("kubectl nodes keep labels, taints, GPU allocatable and node info; annotations are dropped", "[validate][snapshot]") {
  Json nodes = v::parse_kubectl_nodes(fixture("eks-cluster/nodes.json"), "nodes.json");
  REQUIRE(nodes.size() == 3);
  CHECK(nodes[0]["allocatable"] == Json({{"nvidia.com/gpu", "8"}}));
  CHECK(nodes[0]["taints"][0]["effect"] == "NoSchedule");
  CHECK(nodes[0]["kernelVersion"] == "6.8.0-1024-aws");
  CHECK(nodes[2]["allocatable"].empty());
  CHECK(!nodes[0].contains("annotations"));
}

TEST_CASE("kubectl output of the wrong shape is refused", "[validate][snapshot][bad]") {
  CHECK_THROWS_WITH(v::parse_kubectl_nodes("{\"kind\": \"PodList\", \"items\": []}", "pods.json"),
                    "pods.json: not the output of `kubectl get nodes -o json`: expected kind List or NodeList with "
                    "items, found kind PodList");
  CHECK_THROWS_WITH(v::parse_kubectl_version("{\"clientVersion\": {}}", "v.json"),
                    "v.json: not the output of `kubectl version -o json`: no serverVersion.gitVersion (was the "
                    "cluster reachable when it ran?)");
  CHECK_THROWS_WITH(v::parse_kubectl_nodes("{\"kind\": \"List\", \"items\": [", "cut.json"),
                    Catch::StartsWith("cut.json:1: invalid JSON: syntax error"));
}

TEST_CASE("helm releases split chart name and version", "[validate][snapshot]") {
  Json items = v::parse_helm_releases(fixture("eks-cluster/releases.json"), "releases.json");
  CHECK(items[0]["chart"] == "cert-manager");
  CHECK(items[0]["version"] == "v1.17.2");
  CHECK(items[2]["name"] == "ingress-nginx");  // sorted by namespace, then name
  CHECK(items[2]["version"] == "4.12.1");
}

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

TEST_CASE("kubectl objects get a readiness per kind; CRD schemas and pod templates are dropped", "[validate][snapshot]") {
  Json objects = v::parse_kubectl_objects(fixture("eks-cluster/objects.json"), "objects.json");
  REQUIRE(objects.size() == 5);
  CHECK(objects[0] == Json({{"kind", "APIService"}, {"name", "v1beta1.custom.metrics.k8s.io"}, {"ready", false}}));
  CHECK(objects[1] == Json({{"kind", "CustomResourceDefinition"}, {"name", "clusterpolicies.nvidia.com"}, {"ready", true}}));
  CHECK(objects[2]["kind"] == "DaemonSet");
  CHECK(objects[2]["ready"] == true);
  CHECK(objects[3] == Json({{"kind", "Deployment"}, {"name", "cert-manager"}, {"namespace", "cert-manager"}, {"ready", true}}));
  CHECK(objects[4]["ready"] == false);  // gpu-operator: 0 of 1 ready
  CHECK_THROWS_WITH(v::parse_kubectl_objects("{\"kind\": \"Deployment\"}", "o.json"),
                    "o.json: not the output of `kubectl get deployments,daemonsets,statefulsets,"
                    "customresourcedefinitions,apiservices -A -o json`: expected a List with items, found kind Deployment");
}

TEST_CASE("feature gates come from the API server's kubernetes_feature_enabled samples", "[validate][snapshot]") {
  Json gates = v::parse_feature_gates(fixture("eks-cluster/metrics.txt"), "metrics.txt");
  CHECK(gates == Json({{"DynamicResourceAllocation", false}, {"InPlacePodVerticalScaling", true}, {"SidecarContainers", true}}));
  CHECK_THROWS_WITH(v::parse_feature_gates("apiserver_request_total 3\n", "m.txt"),
                    "m.txt: not the API server's metrics (`kubectl get --raw /metrics`): no kubernetes_feature_enabled samples");
  CHECK_THROWS_WITH(v::parse_feature_gates("# x\nkubernetes_feature_enabled{name=\"A\"} 2\n", "m.txt"),
                    "m.txt:2: unparseable kubernetes_feature_enabled sample: value \"2\" is neither 0 nor 1");
}

TEST_CASE("DRA ResourceSlices keep driver, pool and device count; node names are hashed", "[validate][snapshot][privacy]") {
  Json slices = v::parse_resource_slices(fixture("eks-cluster/resourceslices.json"), "rs.json");
  CHECK(slices == Json::array({{{"driver", "gpu.nvidia.com"}, {"devices", 8}, {"nodeName", "ip-10-0-1-17.ec2.internal"},
                                {"pool", "ip-10-0-1-17.ec2.internal"}}}));
  Json c = cluster_snapshot();
  const Json& slice = c["spec"]["cluster"]["resourceSlices"]["items"][0];
  CHECK(slice["nodeName"] == v::pseudonym("ip-10-0-1-17.ec2.internal", "galley-snapshot-v1"));
  CHECK(slice["pool"] == slice["nodeName"]);
  CHECK(c["spec"]["cluster"]["nodes"][0]["name"] == slice["nodeName"]);  // the same node, the same pseudonym
}

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

// ---- criteria ------------------------------------------------------------------------------------

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
                    "workload intent; give --intent), kubernetes (no cluster server version in the snapshot; give "
                    "--kubernetes), service (no cluster nodes in the snapshot; give --service)");
  given.fields = {{"service", "gke"}, {"kubernetes", "1.34"}, {"intent", "training"}, {"accelerator", "h200"}};
  auto c = v::criteria_from_snapshot(node_snapshot(), given, notes);
  CHECK(c.fields["accelerator"] == "h200");  // the flag overrides the snapshot
  CHECK(c.fields["os"] == "ubuntu");
}

// ---- plan -------------------------------------------------------------------------------------

TEST_CASE("a constraint value that is not a range is refused at load time", "[validate][plan][bad]") {
  CHECK_THROWS_WITH(v::make_plan(recipe({constraint("kubernetes.version", "v1.x")})),
                    "recipe.yaml:1: spec.constraints[0].value: \"v1.x\" is not a version range (e.g. \">=1.31\", "
                    "\">=570.86, <600\", \"!=1.11.0\")");
}

TEST_CASE("an unknown constraint name is refused with the closest known one", "[validate][plan][bad]") {
  // The Recipe schema's enum refuses it before make_plan's own check (kept for a schema that grows).
  CHECK_THROWS_WITH(v::make_plan(recipe({constraint("driver.versoin", ">=1")})),
                    "recipe.yaml:1: spec.constraints[0].name: \"driver.versoin\" is not one of the allowed values");
}

// ---- checks -------------------------------------------------------------------------------------

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
                   {"effect", "end of life on 2028-04-30; warnings from 2027-06-30"}};
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
                   {"severity", "high"}, {"action", "Do not run 1.11.0"}, {"effect", "excluded karpenter 1.11.0"}};
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
                   {"action", "upgrade"}, {"effect", "excluded karpenter 1.10.0; excluded karpenter 1.11.0"}};
  auto plan = v::make_plan(recipe(Json::array(), Json::array(), {advisory}));
  Json e = v::check_snapshot(plan, cluster_snapshot(), "c", as_of("2026-11-22"));
  CHECK(find_result(e, "advisory/many")["expected"] == "not running karpenter 1.10.0, karpenter 1.11.0");
  CHECK(find_result(e, "advisory/many")["status"] == "fail");
  Json n = v::check_snapshot(plan, node_snapshot(), "n", as_of("2026-11-22"));
  CHECK(find_result(n, "advisory/many")["status"] == "could-not-verify");
}

// ---- reports -------------------------------------------------------------------------------------

TEST_CASE("reports: JSON Report, JUnit and CTRF carry the same counts", "[validate][report]") {
  auto plan = v::make_plan(recipe({constraint("kubernetes.version", ">=1.31"), constraint("driver.version", ">=600")}));
  Json entries = Json::array({v::check_snapshot(plan, cluster_snapshot(), "c.yaml", as_of("2026-11-22"))});
  Json report = v::make_report(plan, entries, as_of("2026-11-22"));
  CHECK(report["kind"] == "Report");
  CHECK(report["spec"]["verdict"] == "fail");
  CHECK(v::report_exit(report) == 1);
  galley::core::Document doc{"r", Json::parse(v::format_report(report, v::ReportFormat::json, 0)), {{"", 1}}, {}};
  CHECK_NOTHROW(galley::core::check_document(doc, {"Report"}));  // the JSON report meets its schema
  std::string junit = v::format_report(report, v::ReportFormat::junit, 0);
  CHECK(junit.find("<testsuites name=\"galley validate test\" tests=\"6\" failures=\"1\" errors=\"0\" skipped=\"4\">") !=
        std::string::npos);
  Json ctrf = Json::parse(v::format_report(report, v::ReportFormat::ctrf, 1795000000000));
  CHECK(ctrf["results"]["summary"] == Json({{"tests", 6}, {"passed", 1}, {"failed", 1}, {"pending", 0}, {"skipped", 4},
                                            {"other", 0}, {"start", 1795000000000}, {"stop", 1795000000000}}));
  CHECK(ctrf["results"]["tool"]["name"] == "galley");
  std::string table = v::format_report(report, v::ReportFormat::table, 0);
  CHECK(table.find("c.yaml: 1 passed, 1 failed, 4 not applicable, 0 could not verify -> FAIL\nverdict: FAIL\n") !=
        std::string::npos);
}

TEST_CASE("dates are checked", "[validate][time]") {
  CHECK(v::check_date("2028-02-29", "--as-of") == "2028-02-29");
  CHECK_THROWS_WITH(v::check_date("2027-02-29", "--as-of"), "--as-of: \"2027-02-29\" is not a date in the form YYYY-MM-DD");
}
