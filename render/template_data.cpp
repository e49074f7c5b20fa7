// The data templates see: common fields and one entry per component.
#include "render/internal/template_data.hpp"

#include "core/yaml_emit.hpp"
#include "render/internal/values_options.hpp"

namespace galley::render {

using core::Json;

namespace {

std::string indent(const std::string& text, int spaces) {
  std::string pad(static_cast<size_t>(spaces), ' ');
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += line.empty() ? "\n" : pad + line + "\n";
    start = end == std::string::npos ? text.size() : end + 1;
  }
  if (!out.empty()) {
    out.pop_back();  // the template supplies the final newline
  }
  return out;
}

std::string two_digits(size_t i) { return (i < 10 ? "0" : "") + std::to_string(i); }

}  // namespace

std::string vendored_chart_path(const Options& options, const bundle::VendoredChart& chart) {
  return options.deployer == Deployer::helm ? chart.file : bundle::vendored_chart_folder(chart.source);
}

TemplateData::TemplateData(const resolver::RecipeView& recipe, const std::map<std::string, Json>& values,
                           const Options& options)
    : m_recipe(recipe), m_options(options) {
  m_common = {{"recipeName", recipe.name},
              {"recipeDigest", recipe.digest},
              {"galleyVersion", GALLEY_VERSION},
              {"rootName", recipe.name},
              {"repoUrl", options.repo_url},
              {"revision", options.revision},
              {"path", options.path},
              {"fluxPath", options.path == "." ? "./" : "./" + options.path},
              {"argocdProject", options.argocd_project.empty() ? "default" : options.argocd_project},
              {"argocdNamespace", options.argocd_namespace.empty() ? "argocd" : options.argocd_namespace},
              {"destinationField", options.destination_name.empty() ? "server" : "name"},
              {"destination", !options.destination_name.empty()     ? options.destination_name
                              : !options.destination_server.empty() ? options.destination_server
                                                                    : "https://kubernetes.default.svc"},
              {"kubeContext", options.kube_context},
              {"chartsVendored", !options.vendored_charts.empty()}};
  const auto& order = recipe.deployment_order;
  m_components = Json::array();
  for (size_t i = 0; i < order.size(); ++i) {
    m_components.push_back(component_entry(*recipe.component(order[i]), i + 1, values.at(order[i])));
  }
}

Json TemplateData::component_entry(const resolver::RecipeComponent& c, size_t position, const Json& values) const {
  const std::string& name = c.name;
  std::string dir = two_digits(position) + "-" + name;
  bool helm = c.type == "helm";
  std::string repo = c.repository.value_or("");
  std::string chart = c.chart.value_or("");
  if (helm && !m_options.registry_mirror.empty()) {
    repo = mirror_repository(repo, c.chart_name(), m_options.registry_mirror);
  }
  bool oci = repo.starts_with("oci://");
  auto vendored = m_options.vendored_charts.find(name);
  bool local = vendored != m_options.vendored_charts.end();  // installed from the bundle's charts/
  Json deps = Json::array();
  for (const auto& d : c.dependencies) {
    if (m_recipe.component(d)->type == "helm") {
      deps.push_back(d);
    }
  }
  bool has_crds = false;
  for (const auto& h : c.health_checks) {
    has_crds = has_crds || h.kind == "CustomResourceDefinition";
  }
  std::string values_yaml = values.empty() ? "{}\n" : core::to_yaml(values);
  std::string base = m_options.path == "." ? dir : m_options.path + "/" + dir;
  // A vendored chart's folder in git, for Argo CD and Flux.
  std::string chart_path = !local                ? ""
                           : m_options.path == "." ? vendored_chart_path(m_options, vendored->second)
                                                   : m_options.path + "/" + vendored_chart_path(m_options, vendored->second);
  return Json{{"index", two_digits(position)},
              {"wave", std::to_string(position)},
              {"name", name},
              {"dir", dir},
              {"version", c.version},
              {"namespace", c.ns},
              {"helm", helm},
              {"oci", oci},
              {"chart", chart},
              {"vendored", local},
              {"chartPath", chart_path},
              {"fluxChartPath", "./" + chart_path},
              {"chartRef", local ? "./" + vendored->second.file : oci ? repo : chart},
              {"repoFlag", local || oci ? "" : " --repo " + repo},
              {"chartRepo", oci ? repo.substr(6, repo.rfind('/') - 6) : repo},
              {"source", helm ? (oci ? repo : repo + " (" + chart + ")") : "manifests"},
              {"hasManifests", !c.manifests.empty()},
              {"applyFlag", c.type == "kustomize" ? "-k" : "-f"},
              {"manifestsPath", base + "/manifests"},
              {"fluxManifestsPath", "./" + base + "/manifests"},
              {"dependencies", deps},
              {"hasDependencies", !deps.empty()},
              {"serverSideApply", has_crds},
              {"skipDryRun", !c.dependencies.empty()},
              {"valuesYaml", values_yaml},
              {"valuesIndented4", indent(values_yaml, 4)},
              {"valuesIndented8", indent(values_yaml, 8)}};
}

Json TemplateData::for_bundle(const Json& extra) const {
  Json d = m_common;
  d["components"] = m_components;
  Json reversed = Json::array();
  for (auto it = m_components.rbegin(); it != m_components.rend(); ++it) {
    reversed.push_back(*it);
  }
  d["reversed"] = reversed;
  for (const auto& [k, v] : extra.items()) {
    d[k] = v;
  }
  return d;
}

Json TemplateData::for_component(const Json& component, int indent) const {
  Json d = m_common;
  for (const auto& [k, v] : component.items()) {
    d[k] = v;
  }
  d["valuesIndented"] = component[indent == 8 ? "valuesIndented8" : "valuesIndented4"];
  return d;
}

namespace {

// A value as the README shows it: strings as they are, the rest as JSON.
std::string shown(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// The README's pools: how to place nodes in each, what runs there and what it sets for them alone.
Json pools_data(const resolver::RecipeView& recipe) {
  Json out = Json::array();
  for (const auto& p : recipe.pools) {
    std::string criteria;
    const Json fields = resolver::criteria_json(p.criteria);
    for (const auto& [k, v] : fields.items()) {
      criteria += (criteria.empty() ? "" : ", ") + k + "=" + shown(v);
    }
    std::string selector;
    for (const auto& [k, v] : p.node_selector) {
      selector += (selector.empty() ? "" : ",") + k + "=" + v;
    }
    Json labels = Json::array();
    for (const auto& [k, v] : p.node_labels) {
      labels.push_back(Json{{"label", k + "=" + v}});
    }
    Json settings = Json::array();
    for (const auto& s : p.settings) {
      settings.push_back(Json{{"component", s.component}, {"path", s.path}, {"value", shown(s.value)},
                              {"appliedBy", s.applied_by}, {"source", s.source}});
    }
    Json overridden = Json::array();
    for (const auto& o : p.overridden) {
      overridden.push_back(Json{{"path", o.path}, {"value", shown(o.value)}, {"kept", shown(o.kept)}});
    }
    out.push_back(Json{{"name", p.name},
                       {"criteria", criteria},
                       {"selector", selector},
                       {"taint", resolver::pool_label() + "=" + p.name + ":NoSchedule"},
                       {"components", core::join(p.components, ", ")},
                       {"nodeLabels", labels},
                       {"hasNodeLabels", !labels.empty()},
                       {"settings", settings},
                       {"hasSettings", !settings.empty()},
                       {"overridden", overridden},
                       {"hasOverridden", !overridden.empty()}});
  }
  return out;
}

}  // namespace

Json TemplateData::for_readme(const std::string& title, const std::string& files, const std::string& steps,
                              const std::vector<std::string>& unpinned) const {
  std::string criteria;
  // criteria_json: the keys in the recipe's order (sorted), nodes as a number.
  const Json fields = resolver::criteria_json(m_recipe.criteria);
  for (const auto& [k, v] : fields.items()) {
    criteria += (criteria.empty() ? "" : ", ") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  Json charts = Json::array();
  std::string unchecked;  // components whose archive the catalog records no digest for
  for (const auto& [name, chart] : m_options.vendored_charts) {
    bool recorded = !chart.source.recorded_digest.empty();
    std::string file = vendored_chart_path(m_options, chart);
    charts.push_back(Json{{"component", name}, {"file", file}, {"digest", chart.digest},
                          {"catalog", recorded ? "yes: " + chart.source.recorded_digest : "no (none recorded)"}});
    if (!recorded) {
      unchecked += (unchecked.empty() ? "" : ", ") + name;
    }
  }
  return for_bundle(
      {{"steps", steps}, {"criteria", criteria}, {"deployerFiles", files}, {"deployerTitle", title},
       {"pools", pools_data(m_recipe)}, {"hasPools", !m_recipe.pools.empty()},
       {"uncheckedSets", m_options.unchecked_sets}, {"hasUncheckedSets", !m_options.unchecked_sets.empty()},
       {"unpinnedImages", unpinned}, {"hasUnpinnedImages", !unpinned.empty()}, {"vendoredCharts", charts},
       {"hasVendoredCharts", !charts.empty()}, {"uncheckedCharts", unchecked}, {"hasUncheckedCharts", !unchecked.empty()}});
}

}  // namespace galley::render
