#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/hash.hpp"
#include "render/render.hpp"
#include "resolver/resolver.hpp"
#include "test_recipes.hpp"

using namespace galley;
using core::Json;
using namespace galley::test;  // the recipes and bundle helpers of test_recipes.hpp

TEST_CASE("the same recipe and options give byte-identical bundles", "[render][bundle]") {
  for (auto deployer : {render::Deployer::helm, render::Deployer::argocd, render::Deployer::flux}) {
    render::Options o;
    o.deployer = deployer;
    o.repo_url = "https://git.example.com/gitops.git";
    auto a = render::render(gb200(), o);
    auto b = render::render(gb200(), o);
    REQUIRE(a.files.size() == b.files.size());
    for (const auto& [path, f] : a.files) {
      CHECK(b.files.at(path).bytes == f.bytes);
    }
  }
}

TEST_CASE("bundle.yaml lists every other file with its size and sha256", "[render][bundle]") {
  auto b = render::render(h100(), render::Options{});
  auto doc = core::parse_yaml(b.files.at("bundle.yaml").bytes, "bundle.yaml");
  const Json& inventory = doc.value["spec"]["inventory"];
  CHECK(inventory.size() == b.files.size() - 1);
  for (const auto& item : inventory) {
    const auto& f = b.files.at(item["path"].get<std::string>());
    CHECK(item["sha256"] == core::sha256_hex(f.bytes));
    CHECK(item["size"] == f.bytes.size());
  }
  CHECK(doc.value["spec"]["recipeDigest"] == h100()["metadata"]["digest"]);
  CHECK(b.files.contains(dir_of(b, "gpu-operator") + "/values.yaml"));
  CHECK(b.files.at("deploy.sh").executable);
}

TEST_CASE("a recipe for several pools: the README lists each pool, the pools' NVIDIADrivers are manifests",
          "[render][bundle][pools]") {
  static auto catalog = resolver::load_catalog({resolver::embedded_source()});
  resolver::Criteria c;
  c.fields = {{"service", "eks"}, {"os", "ubuntu"}, {"kubernetes", "1.34"}};
  c.pools.push_back(resolver::parse_pool("train:accelerator=gb300,intent=training,platform=kubeflow"));
  c.pools.push_back(resolver::parse_pool("infer:accelerator=a100,intent=inference,platform=dynamo"));
  auto b = render::render(resolver::resolve(*catalog, c), render::Options{});
  const std::string& readme = b.files.at("README.md").bytes;
  CHECK(readme.find("## Node pools") != std::string::npos);
  CHECK(readme.find("### Pool `train`") != std::string::npos);
  CHECK(readme.find("- Node selector: `galley.dev/pool=infer`; taint: `galley.dev/pool=infer:NoSchedule`.") !=
        std::string::npos);
  CHECK(readme.find("- Node labels for this pool's own settings: `nvidia.com/gpu.deploy.mig-manager=false`.") !=
        std::string::npos);
  CHECK(readme.find("| gpu-operator | `driver.kernelModuleType` | `open` | NVIDIADriver gpu-operator-train | "
                    "recipes/values/gpu-operator/blackwell.yaml:5 |") != std::string::npos);
  const std::string dir = dir_of(b, "gpu-operator");
  REQUIRE(b.files.contains(dir + "/manifests/train-nvidiadriver.yaml"));
  auto driver = core::parse_yaml(b.files.at(dir + "/manifests/infer-nvidiadriver.yaml").bytes, "infer").value;
  CHECK(driver["spec"]["nodeSelector"]["galley.dev/pool"] == "infer");
  // A one-pool recipe's README has no pools section.
  CHECK(render::render(h100(), render::Options{}).files.at("README.md").bytes.find("## Node pools") ==
        std::string::npos);
}
