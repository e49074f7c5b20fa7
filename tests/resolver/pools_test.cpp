// Recipes for several node pools on the embedded catalog: values the GPU Operator takes per pool
// (node labels, one NVIDIADriver per pool), values it has once for the cluster, and the rule of one
// provider per capability on a pool.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "resolver/resolver.hpp"
#include "test_catalog.hpp"

using namespace galley;

namespace {

resolver::Criteria eks_pools(const std::string& first, const std::string& second) {
  resolver::Criteria c;
  c.fields = {{"service", "eks"}, {"os", "ubuntu"}, {"kubernetes", "1.34"}};
  c.pools.push_back(resolver::parse_pool(first));
  c.pools.push_back(resolver::parse_pool(second));
  return c;
}

const core::Json& component(const core::Json& recipe, const std::string& name) {
  for (const auto& c : recipe["spec"]["components"]) {
    if (c["name"] == name) {
      return c;
    }
  }
  FAIL("no component " + name);
  throw;
}

std::string message_of(const resolver::Catalog& catalog, const resolver::Criteria& criteria, core::Exit& exit) {
  try {
    resolver::resolve(catalog, criteria);
  } catch (const core::Error& e) {
    exit = e.exit();
    return e.what();
  }
  return "";
}

const std::string k_train = "train:accelerator=h100,intent=training,platform=kubeflow";
const std::string k_infer = "infer:accelerator=l40s,intent=inference,platform=dynamo";

}  // namespace

TEST_CASE("pools: the MIG manager is on for the cluster and off by node label on the pool that turns it off",
          "[resolver][pools]") {
  auto catalog = resolver::load_catalog({resolver::embedded_source()});
  auto recipe = resolver::resolve(*catalog, eks_pools(k_train, k_infer));
  const auto& gpu = component(recipe, "gpu-operator");
  CHECK(gpu["values"]["migManager"]["enabled"] == true);
  const auto& pools = recipe["spec"]["pools"];
  CHECK(pools[0]["nodeLabels"] == core::Json{{"nvidia.com/gpu.deploy.mig-manager", "false"}});
  CHECK(pools[1]["nodeLabels"] == core::Json{{"nvidia.com/gpu.deploy.mig-manager", "true"}});
  CHECK(pools[0]["settings"][0]["source"] == "recipes/values/gpu-operator/training.yaml:4");
  CHECK(pools[0]["settings"][0]["appliedBy"] == "node label nvidia.com/gpu.deploy.mig-manager");
  // No longer "overridden": the pool's own value reaches its nodes.
  for (const auto& o : pools[1].value("overridden", core::Json::array())) {
    CHECK(o["path"] != "components.gpu-operator.values.migManager.enabled");
  }
  // The history says which rule set the cluster's value.
  const auto& history = recipe["spec"]["provenance"]["components.gpu-operator.values.migManager.enabled"];
  CHECK(history[0]["value"] == true);
  CHECK(history[0]["source"].get<std::string>().starts_with("recipes/components/gpu-operator.yaml:"));
  // No NVIDIADriver where the pools' drivers agree.
  CHECK(gpu["manifests"].empty());
  CHECK_FALSE(gpu["values"]["driver"].contains("nvidiaDriverCRD"));
}

TEST_CASE("pools: pools with different drivers get one NVIDIADriver each, on their own nodes", "[resolver][pools]") {
  auto catalog = resolver::load_catalog({resolver::embedded_source()});
  auto recipe = resolver::resolve(*catalog, eks_pools("train:accelerator=gb300,intent=training,platform=kubeflow",
                                                      "infer:accelerator=a100,intent=inference,platform=dynamo"));
  const auto& gpu = component(recipe, "gpu-operator");
  CHECK(gpu["values"]["driver"]["nvidiaDriverCRD"]["enabled"] == true);
  CHECK(gpu["values"]["driver"]["nvidiaDriverCRD"]["deployDefaultCR"] == false);
  CHECK(gpu["values"]["mig"]["strategy"] == "mixed");  // serves the A100 MIG pool and the whole-GPU pool
  REQUIRE(gpu["manifests"].size() == 2);
  CHECK(gpu["manifests"][0]["path"] == "pools/train-nvidiadriver.yaml");
  auto train = core::parse_yaml(gpu["manifests"][0]["content"].get<std::string>(), "train").value;
  CHECK(train["kind"] == "NVIDIADriver");
  CHECK(train["metadata"]["name"] == "gpu-operator-train");
  CHECK(train["spec"]["kernelModuleType"] == "open");  // Blackwell: open kernel modules only
  CHECK(train["spec"]["driverType"] == "gpu");         // the chart's default
  CHECK(train["spec"]["nodeSelector"] == core::Json{{"galley.dev/pool", "train"}});
  CHECK(train["spec"]["tolerations"][0]["value"] == "train");
  auto infer = core::parse_yaml(gpu["manifests"][1]["content"].get<std::string>(), "infer").value;
  CHECK(infer["spec"]["kernelModuleType"] == "auto");
  CHECK(infer["spec"]["nodeSelector"] == core::Json{{"galley.dev/pool", "infer"}});
  bool listed = false;
  for (const auto& s : recipe["spec"]["pools"][0]["settings"]) {
    if (s["path"] == "driver.kernelModuleType") {
      listed = s["appliedBy"] == "NVIDIADriver gpu-operator-train" && s["value"] == "open" &&
               s["source"] == "recipes/values/gpu-operator/blackwell.yaml:5";
    }
  }
  CHECK(listed);
}

TEST_CASE("pools: two pools' different MIG config maps are unsatisfiable, naming both pools and the rule",
          "[resolver][pools]") {
  resolver::CatalogSource layer;
  layer.root = "site";
  layer.files["overlays/eks-h100-training.yaml"] =
      test::values_patch("eks-h100-training", "gpu-operator", "migManager:\n  config:\n    name: h100-configs\n");
  layer.files["overlays/eks-l40s-inference.yaml"] =
      test::values_patch("eks-l40s-inference", "gpu-operator", "migManager:\n  config:\n    name: l40s-configs\n");
  auto catalog = resolver::load_catalog({resolver::embedded_source(), layer});
  core::Exit exit = core::Exit::ok;
  std::string m = message_of(*catalog, eks_pools(k_train, k_infer), exit);
  CHECK(exit == core::Exit::unsatisfiable);
  CHECK_THAT(m, Catch::Contains("pools train and infer set gpu-operator values migManager.config.name differently"));
  CHECK_THAT(m, Catch::Contains("site/overlays/eks-h100-training.yaml:11"));
  CHECK_THAT(m, Catch::Contains("site/overlays/eks-l40s-inference.yaml:11"));
  CHECK_THAT(m, Catch::Contains("rule: gpu-operator has one migManager.config.name for the whole cluster "
                                "(recipes/components/gpu-operator.yaml:"));
}

TEST_CASE("pools: two providers of one capability on one pool are unsatisfiable; the other pool is not at fault",
          "[resolver][pools][provides]") {
  resolver::CatalogSource layer;
  layer.root = "site";
  // HAMi's own device plugin (on by its chart's default) beside the GPU Operator's, on the L40S pool.
  layer.files["overlays/eks-l40s-inference.yaml"] = test::document("OverlayPatch", "eks-l40s-inference", R"(  componentRefs:
    - name: hami
)");
  auto catalog = resolver::load_catalog({resolver::embedded_source(), layer});
  core::Exit exit = core::Exit::ok;
  std::string m = message_of(*catalog, eks_pools(k_train, k_infer), exit);
  CHECK(exit == core::Exit::unsatisfiable);
  CHECK_THAT(m, Catch::StartsWith("pool infer: two providers of nvidia.com/gpu on one node pool: gpu-operator "
                                  "(device plugin, devicePlugin.enabled = true at recipes/values/gpu-operator/base.yaml:"));
  CHECK_THAT(m, Catch::Contains("hami (HAMi device plugin, devicePlugin.enabled = true at the chart's default; "
                                "recipes/components/hami.yaml:"));
  CHECK_THAT(m, Catch::Contains("rule: a node pool has one provider of each capability"));
  // The H100 pool alone resolves.
  resolver::Criteria one;
  one.fields = {{"service", "eks"}, {"os", "ubuntu"}, {"accelerator", "h100"}, {"intent", "training"},
                {"platform", "kubeflow"}};
  CHECK_NOTHROW(resolver::resolve(*catalog, one));
}

TEST_CASE("provides: two modes of one component (AMD device plugin and DRA driver) on one pool are refused",
          "[resolver][provides]") {
  resolver::CatalogSource layer;
  layer.root = "site";
  layer.files["overlays/aks-mi300x-training.yaml"] = test::values_patch(
      "aks-mi300x-training", "amd-gpu-operator", "deviceConfig:\n  spec:\n    draDriver:\n      enable: true\n");
  auto catalog = resolver::load_catalog({resolver::embedded_source(), layer});
  resolver::Criteria c;
  c.fields = {{"service", "aks"}, {"os", "ubuntu"}, {"accelerator", "mi300x"}, {"intent", "training"},
              {"platform", "kubeflow"}};
  core::Exit exit = core::Exit::ok;
  std::string m = message_of(*catalog, c, exit);
  CHECK(exit == core::Exit::unsatisfiable);
  CHECK_THAT(m, Catch::Contains("two providers of amd.com/gpu on one node pool: amd-gpu-operator (device plugin"));
  CHECK_THAT(m, Catch::Contains("and amd-gpu-operator (DRA driver, deviceConfig.spec.draDriver.enable = true at "
                                "site/overlays/aks-mi300x-training.yaml:12"));
}
