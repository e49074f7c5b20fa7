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
