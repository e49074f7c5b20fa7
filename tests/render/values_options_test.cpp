#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "render/render.hpp"
#include "test_recipes.hpp"

using namespace galley;
using core::Json;
using namespace galley::test;  // the recipes and bundle helpers of test_recipes.hpp

TEST_CASE("sets and values on components not in the recipe are errors", "[render][options]") {
  render::Options o;
  o.sets = {"gpu-operatr:driver.enabled=false"};
  CHECK(error_of(h100(), o) ==
        "set gpu-operatr:driver.enabled=false: component \"gpu-operatr\" is not in the recipe; did you mean "
        "\"gpu-operator\"?");
  o.sets = {"gpu-operator:driver=false"};
  CHECK_THAT(error_of(h100(), o), Catch::Contains("type conflict"));
  o.sets = {};
  o.values["dynamo-platform"] = {Json::object()};  // an inference component
  CHECK_THAT(error_of(h100(), o), Catch::Contains("component \"dynamo-platform\" is not in the recipe"));
}

TEST_CASE("tolerations extend the chart's defaults on GPU components only", "[render][options]") {
  render::Options o;
  o.tolerations = {render::parse_toleration("dedicated=gpu:NoSchedule")};
  o.node_selector = {{"pool", "gpu"}};
  auto b = render::render(h100(), o);
  auto gpu = core::parse_yaml(b.files.at(dir_of(b, "gpu-operator") + "/values.yaml").bytes, "v").value;
  const Json& tols = gpu["daemonsets"]["tolerations"];
  CHECK(tols.size() == 2);
  CHECK(tols[0]["key"] == "nvidia.com/gpu");
  CHECK(tols[1] == Json{{"key", "dedicated"}, {"value", "gpu"}, {"operator", "Equal"}, {"effect", "NoSchedule"}});
  auto efa = core::parse_yaml(b.files.at(dir_of(b, "aws-efa-k8s-device-plugin") + "/values.yaml").bytes, "v").value;
  CHECK(efa["nodeSelector"]["pool"] == "gpu");
  auto cm = core::parse_yaml(b.files.at(dir_of(b, "cert-manager") + "/values.yaml").bytes, "v").value;
  CHECK_FALSE(cm.contains("tolerations"));
  CHECK(b.warnings.size() == 1);  // gpu-operator has no node selector path
  CHECK_THROWS_WITH(render::parse_toleration("a=b:Sometimes"), Catch::Contains("effect must be"));
}

TEST_CASE("a registry mirror rewrites chart repositories and image registries", "[render][options]") {
  render::Options o;
  o.registry_mirror = "mirror.internal:5000";
  auto b = render::render(h100(), o);
  const std::string& deploy = b.files.at("deploy.sh").bytes;
  // A classic repository's chart sits in the mirror as the OCI chart galley mirror pushed.
  CHECK(deploy.find("oci://mirror.internal:5000/helm.ngc.nvidia.com/nvidia/gpu-operator") != std::string::npos);
  CHECK(deploy.find("--repo https://mirror.internal") == std::string::npos);
  CHECK(deploy.find("oci://mirror.internal:5000/public.ecr.aws/karpenter/karpenter") != std::string::npos);
  // The chart's default images move too, through the catalog's image lists (the recipe sets none of them).
  auto gpu = core::parse_yaml(b.files.at(dir_of(b, "gpu-operator") + "/values.yaml").bytes, "v").value;
  CHECK(gpu["devicePlugin"]["repository"] == "mirror.internal:5000/nvcr.io/nvidia");
  CHECK(gpu["operator"]["repository"] == "mirror.internal:5000/nvcr.io/nvidia");
  CHECK(gpu["node-feature-discovery"]["image"]["repository"] ==
        "mirror.internal:5000/registry.k8s.io/nfd/node-feature-discovery");
}

TEST_CASE("values documents merge in order by Helm's rule: {} changes nothing, null deletes", "[render][options]") {
  render::Options o;
  o.values["gpu-operator"] = {Json::parse(R"({"driver": {}, "toolkit": null, "daemonsets": {"tolerations": [1, 2]}})"),
                              Json::parse(R"({"daemonsets": {"tolerations": [3]}, "driver": {"enabled": false}})")};
  auto before = core::parse_yaml(render::render(h100(), render::Options{}).files.at(
                                     dir_of(render::render(h100(), render::Options{}), "gpu-operator") + "/values.yaml")
                                     .bytes,
                                 "v")
                    .value;
  auto b = render::render(h100(), o);
  auto v = core::parse_yaml(b.files.at(dir_of(b, "gpu-operator") + "/values.yaml").bytes, "v").value;
  REQUIRE(before.contains("toolkit"));
  CHECK_FALSE(v.contains("toolkit"));
  CHECK(v["daemonsets"]["tolerations"] == Json::array({3}));
  Json driver = before["driver"];
  driver["enabled"] = false;
  CHECK(v["driver"] == driver);
}

TEST_CASE("placement warnings and option errors name the option, not a command-line flag", "[render][options]") {
  render::Options o;
  o.node_selector = {{"pool", "gpu"}};
  auto b = render::render(h100(), o);
  REQUIRE(b.warnings.size() == 1);
  CHECK(b.warnings[0] == "gpu-operator runs on GPU nodes but its chart has no node selector the catalog knows; the "
                         "node selector was not applied to it");
  o = render::Options{};
  o.values["nothere"] = {Json::object()};
  CHECK(error_of(h100(), o).starts_with("values nothere: component \"nothere\" is not in the recipe"));
  o = render::Options{};
  o.sets = {"gpu-operator:=1"};
  CHECK(error_of(h100(), o) == "set gpu-operator:=1: expected component:path=value");
  CHECK_THROWS_WITH(render::parse_toleration("x:Bad"), Catch::StartsWith("toleration x:Bad: effect must be"));
}

TEST_CASE("sets and values documents name only keys the chart's upstream values have", "[render][options]") {
  render::Options o;
  o.sets = {"gpu-operator:driver.enabld=false"};
  CHECK(error_of(h100(), o) ==
        "set gpu-operator:driver.enabld=false: key \"driver.enabld\" does not exist in gpu-operator's upstream chart "
        "values; did you mean \"driver.enabled\"?");
  o.sets = {};
  o.values["gpu-operator"] = {Json::parse(R"({"drvier": {"enabled": false}})")};
  CHECK_THAT(error_of(h100(), o), Catch::StartsWith("values gpu-operator: key \"drvier\" does not exist") &&
                                      Catch::Contains("did you mean \"driver\"?"));
  // Below a free-form map upstream ({}: annotations, labels...) and inside a subchart, anything goes.
  o.values.clear();
  o.sets = {"gpu-operator:daemonsets.annotations.example\\.com/team=gpu", "gpu-operator:node-feature-discovery.x=1",
            "kube-prometheus-stack:grafana.anything=1"};
  auto b = render::render(h100(), o);
  auto v = core::parse_yaml(b.files.at(dir_of(b, "gpu-operator") + "/values.yaml").bytes, "v").value;
  CHECK(v["daemonsets"]["annotations"]["example.com/team"] == "gpu");
}

TEST_CASE("an unchecked set skips the key check and is listed in the README and bundle.yaml", "[render][options]") {
  render::Options o;
  o.unchecked_sets = {"gpu-operator:driver.newKey=1"};
  auto b = render::render(h100(), o);
  auto v = core::parse_yaml(b.files.at(dir_of(b, "gpu-operator") + "/values.yaml").bytes, "v").value;
  CHECK(v["driver"]["newKey"] == 1);
  CHECK(b.files.at("README.md").bytes.find("## Unchecked values") != std::string::npos);
  CHECK(b.files.at("README.md").bytes.find("- `gpu-operator:driver.newKey=1`") != std::string::npos);
  CHECK(b.files.at("bundle.yaml").bytes.find("uncheckedSets") != std::string::npos);
  auto plain = render::render(h100(), render::Options{});
  CHECK(plain.files.at("README.md").bytes.find("Unchecked") == std::string::npos);
  CHECK(plain.files.at("bundle.yaml").bytes.find("uncheckedSets") == std::string::npos);
  o.unchecked_sets = {"gpu-operator=1"};
  CHECK(error_of(h100(), o) == "set-unchecked gpu-operator=1: expected component:path=value");
}

TEST_CASE("values are checked against the chart's values schema where it ships one", "[render][options]") {
  render::Options o;
  o.sets = {"cert-manager:replicaCount=abc"};
  CHECK(error_of(h100(), o) ==
        "set cert-manager:replicaCount=abc: cert-manager's values schema refuses the result: replicaCount: \"abc\" has "
        "the wrong type");
  o.sets = {"cert-manager:replicaCount=2"};
  auto b = render::render(h100(), o);
  auto v = core::parse_yaml(b.files.at(dir_of(b, "cert-manager") + "/values.yaml").bytes, "v").value;
  CHECK(v["replicaCount"] == 2);
}
