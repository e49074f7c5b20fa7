#include <catch2/catch.hpp>

#include "render/internal/template_data.hpp"
#include "resolver/recipe_view.hpp"
#include "test_recipes.hpp"

using namespace galley;
using core::Json;
using namespace galley::test;  // the recipes and bundle helpers of test_recipes.hpp

namespace {

struct Data {
  Json recipe = h100();
  resolver::RecipeView view = resolver::read_recipe_view(recipe);
  std::map<std::string, Json> values;
  render::Options options;

  Data() {
    for (const auto& c : view.components) {
      values[c.name] = c.values;
    }
  }
};

}  // namespace

TEST_CASE("template data: one entry per component in deployment order, numbered folders", "[render][data]") {
  Data d;
  render::TemplateData data(d.view, d.values, d.options);
  const Json& list = data.components();
  REQUIRE(list.size() == d.recipe["spec"]["deploymentOrder"].size());
  CHECK(list[0]["name"] == d.recipe["spec"]["deploymentOrder"][0]);
  CHECK(list[0]["dir"] == "01-" + list[0]["name"].get<std::string>());
  CHECK(list[0]["wave"] == "1");
  Json all = data.for_bundle(Json{{"extra", "x"}});
  CHECK(all["components"] == list);
  CHECK(all["reversed"][0] == list[list.size() - 1]);
  CHECK(all["extra"] == "x");
  CHECK(all["fluxPath"] == "./");
}

TEST_CASE("template data: a component's values are YAML, indented for the deployer", "[render][data]") {
  Data d;
  d.values["gpu-operator"] = Json{{"driver", {{"enabled", false}}}};
  d.options.path = "clusters/prod";
  render::TemplateData data(d.view, d.values, d.options);
  for (const auto& c : data.components()) {
    if (c["name"] != "gpu-operator") {
      continue;
    }
    CHECK(c["valuesYaml"] == "driver:\n  enabled: false\n");
    CHECK(data.for_component(c, 8)["valuesIndented"] == "        driver:\n          enabled: false");
    CHECK(data.for_component(c, 4)["valuesIndented"] == "    driver:\n      enabled: false");
    CHECK(c["manifestsPath"] == "clusters/prod/" + c["dir"].get<std::string>() + "/manifests");
    CHECK(c["helm"] == true);
    CHECK_FALSE(data.for_component(c, 4).contains("components"));  // per-component data holds no lists
  }
  Json readme = data.for_readme("Helm", "files", "steps");
  CHECK(readme["criteria"].get<std::string>().find("service=eks") != std::string::npos);
  CHECK(readme["deployerTitle"] == "Helm");
}
