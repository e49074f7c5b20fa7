// render(): options applied to each component's values, then the bundle's files: the recipe, each
// component's values and manifests, the deployer's files, the README and the inventory.
#include "render/render.hpp"

#include "bundle/bundle.hpp"
#include "bundle/inventory.hpp"
#include "core/error.hpp"
#include "core/yaml_emit.hpp"
#include "render/internal/deployer_files.hpp"
#include "render/internal/template_data.hpp"
#include "render/internal/templates.hpp"
#include "render/internal/values_options.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::render {

using core::Json;

namespace {

std::string manifest_file_name(const std::string& catalog_path) {
  return catalog_path.substr(catalog_path.find_last_of('/') + 1);
}

void add(bundle::Bundle& bundle, const std::string& path, std::string bytes) {
  bundle.files[path] = bundle::File{std::move(bytes), false};
}

// recipe.yaml (the document as given), and per component its values.yaml (charts) and manifests.
void write_component_files(const Json& recipe, const resolver::RecipeView& view, const TemplateData& data,
                           bundle::Bundle& bundle) {
  add(bundle, bundle::k_recipe_file, core::to_yaml(recipe));
  for (const auto& c : data.components()) {
    std::string dir = c["dir"].get<std::string>();
    if (c["helm"].get<bool>()) {
      add(bundle, dir + "/values.yaml", c["valuesYaml"].get<std::string>());
    }
    for (const auto& m : view.component(c["name"].get<std::string>())->manifests) {
      add(bundle, dir + "/manifests/" + manifest_file_name(m.path), m.content);
    }
  }
}

// bundle.yaml: the recipe digest, deployer, template-set digest, options and every file's inventory.
void write_inventory(const resolver::RecipeView& recipe, const Options& options, const Templates& templates, bundle::Bundle& bundle) {
  Json recorded = {{"sets", options.sets},
                   {"valuesFiles", Json::array()},
                   {"nodeSelector", options.node_selector},
                   {"registryMirror", options.registry_mirror},
                   {"repoUrl", options.repo_url},
                   {"revision", options.revision},
                   {"path", options.path}};
  if (!options.unchecked_sets.empty()) {  // recorded only when given: other bundles keep their bytes
    recorded["uncheckedSets"] = options.unchecked_sets;
  }
  const std::pair<const char*, const std::string*> when_set[] = {{"argocdProject", &options.argocd_project},
                                                                 {"destinationServer", &options.destination_server},
                                                                 {"destinationName", &options.destination_name},
                                                                 {"argocdNamespace", &options.argocd_namespace},
                                                                 {"kubeContext", &options.kube_context}};
  for (const auto& [key, value] : when_set) {
    if (!value->empty()) {  // likewise
      recorded[key] = *value;
    }
  }
  for (const auto& [name, docs] : options.values) {
    recorded["valuesFiles"].push_back(Json{{"component", name}, {"documents", docs.size()}});
  }
  if (!options.vendored_charts.empty()) {  // recorded only when given: other bundles keep their bytes
    Json charts = Json::array();
    for (const auto& [name, chart] : options.vendored_charts) {
      charts.push_back(Json{{"component", name},
                            {"file", vendored_chart_path(options, chart)},
                            {"digest", chart.digest},
                            {"chart", chart.source.chart},
                            {"version", chart.source.version},
                            {"repository", chart.source.repository}});
      if (!chart.source.recorded_digest.empty()) {
        charts.back()["catalogDigest"] = chart.source.recorded_digest;
      }
    }
    recorded["vendoredCharts"] = charts;
  }
  Json tolerations = Json::array();
  for (const auto& t : options.tolerations) {
    tolerations.push_back(Json{{"key", t.key}, {"value", t.value}, {"effect", t.effect}});
  }
  recorded["tolerations"] = tolerations;
  Json spec = {{"recipeDigest", recipe.digest},
               {"deployer", deployer_name(options.deployer)},
               {"templatesDigest", templates.digest()},
               {"options", recorded}};
  add(bundle, bundle::k_manifest_file, bundle::manifest_text(recipe.name, spec, bundle.files));
}

}  // namespace

std::vector<std::string> template_names() { return Templates::names(); }

std::vector<bundle::ChartSource> chart_sources(const Json& recipe, const std::string& mirror) {
  std::vector<bundle::ChartSource> out;
  for (const auto& c : resolver::read_recipe_view(recipe).components) {
    if (c.type == "helm") {
      std::string repository = c.repository.value_or("");
      out.push_back(bundle::ChartSource{c.name, c.chart_name(),
                                        mirror.empty() ? repository : mirror_repository(repository, c.chart_name(), mirror),
                                        c.version, c.chart_digest, c.chart_digest_source, repository.starts_with("oci://")});
    }
  }
  return out;
}

bundle::Bundle render(const Json& recipe, const Options& options) {
  Templates templates(options.templates);
  const resolver::RecipeView view = resolver::read_recipe_view(recipe);  // the one read of its fields
  ValueOptions value_options(view, options);  // checks before anything is rendered
  check_deployer_options(options);
  bundle::Bundle bundle;
  std::vector<std::string> unpinned;  // locked images whose chart takes no digest: named in the README
  auto values = value_options.apply(bundle.warnings, unpinned);
  if (!unpinned.empty()) {
    bundle.warnings.push_back(std::to_string(unpinned.size()) +
                              " locked image(s) have no digest value in their chart and are pulled by tag; the README lists them");
  }
  TemplateData data(view, values, options);
  write_component_files(recipe, view, data, bundle);
  for (const auto& [name, chart] : options.vendored_charts) {
    if (options.deployer == Deployer::helm) {  // deploy.sh installs the archive
      add(bundle, chart.file, chart.bytes);
      continue;
    }
    std::string folder = bundle::vendored_chart_folder(chart.source);  // Argo CD and Flux read it from git
    for (const auto& [path, file] : chart.files) {
      bundle.files[folder + "/" + path] = bundle::File{file.first, file.second};
    }
  }
  DeployerReadme readme = write_deployer_files(options, templates, data, bundle);
  add(bundle, "README.md",
      templates.render("common/README.md", data.for_readme(readme.title, readme.files, readme.steps, unpinned)));
  write_inventory(view, options, templates, bundle);
  return bundle;
}

}  // namespace galley::render
