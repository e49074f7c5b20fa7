#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/hash.hpp"
#include "render/render.hpp"
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
