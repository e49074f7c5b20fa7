// render(): options applied to each component's values, then the deployer's files from templates.
#include "render/render.hpp"

#include <algorithm>
#include <set>

#include "bundle/inventory.hpp"
#include "core/error.hpp"
#include "core/yaml_emit.hpp"
#include "render/set_values.hpp"
#include "render/templates.hpp"
#include "resolver/chart_values.hpp"

namespace galley::render {

using core::Error;
using core::Exit;
using core::Json;

namespace {

const char* deployer_name(Deployer d) {
  switch (d) {
    case Deployer::helm: return "helm";
    case Deployer::argocd: return "argocd";
    case Deployer::flux: return "flux";
  }
  return "";
}

// The chart's default values for a component, from the embedded upstream copies.
Json chart_defaults(const std::string& component) {
  auto doc = resolver::chart_values(component);
  return doc && doc->value.is_object() ? doc->value : Json::object();
}

void deep_merge(Json& target, const Json& src) {
  for (const auto& [k, v] : src.items()) {
    if (v.is_null()) {
      target.erase(k);
    } else if (v.is_object() && target.contains(k) && target[k].is_object()) {
      deep_merge(target[k], v);
    } else {
      target[k] = v;
    }
  }
}

// Values at a dotted path (plain keys only: catalog placement paths).
Json* at_path(Json& root, const std::string& path, bool create) {
  Json* v = &root;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (create && v->is_null()) {
      *v = Json::object();
    }
    if (!v->is_object() || (!create && !v->contains(key))) {
      return nullptr;
    }
    v = &(*v)[key];
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return v;
}

struct Set {
  std::string component;
  std::string path;
  Json value;
  std::string text;
};

std::vector<Set> parse_sets(const std::vector<std::string>& sets) {
  std::vector<Set> out;
  for (const auto& s : sets) {
    size_t colon = s.find(':');
    size_t eq = s.find('=', colon == std::string::npos ? 0 : colon);
    if (colon == std::string::npos || colon == 0 || eq == std::string::npos || eq == colon + 1) {
      throw Error(Exit::bad_input, core::Where{"", 0, "--set " + s}, "expected component:path=value");
    }
    out.push_back({s.substr(0, colon), s.substr(colon + 1, eq - colon - 1), parse_set_value(s.substr(eq + 1)),
                   "--set " + s});
  }
  return out;
}

// Rewrites an image registry host ("nvcr.io/nvidia" -> "MIRROR/nvcr.io/nvidia") wherever a values
// key named `repository` or `registry` holds a string whose first segment is a host name.
void mirror_images(Json& v, const std::string& mirror) {
  if (v.is_object()) {
    for (auto& [k, child] : v.items()) {
      if ((k == "repository" || k == "registry") && child.is_string()) {
        std::string s = child.get<std::string>();
        std::string host = s.substr(0, s.find('/'));
        if (host.find('.') != std::string::npos && !s.starts_with(mirror + "/")) {
          child = mirror + "/" + s;
        }
      } else {
        mirror_images(child, mirror);
      }
    }
  } else if (v.is_array()) {
    for (auto& child : v) {
      mirror_images(child, mirror);
    }
  }
}

std::string mirror_repository(const std::string& repo, const std::string& mirror) {
  size_t scheme = repo.find("://");
  size_t host_end = repo.find('/', scheme + 3);
  std::string rest = host_end == std::string::npos ? "" : repo.substr(host_end);
  std::string host = repo.substr(scheme + 3, host_end == std::string::npos ? std::string::npos : host_end - scheme - 3);
  return repo.substr(0, scheme + 3) + mirror + "/" + host + rest;
}

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

std::string manifest_file_name(const std::string& catalog_path) {
  return catalog_path.substr(catalog_path.find_last_of('/') + 1);
}

class Renderer {
 public:
  Renderer(const Json& recipe, const Options& options)
      : m_recipe(recipe), m_options(options), m_templates(options.templates) {}

  bundle::Bundle run() {
    check_options();
    apply_values();
    build_component_data();
    write_common();
    switch (m_options.deployer) {
      case Deployer::helm: write_helm(); break;
      case Deployer::argocd: write_argocd(); break;
      case Deployer::flux: write_flux(); break;
    }
    write_readme();
    write_inventory();
    return std::move(m_bundle);
  }

 private:
  const Json& component(const std::string& name) const { return *m_by_name.at(name); }

  void check_options() {
    for (const auto& c : m_recipe["spec"]["components"]) {
      m_by_name[c["name"].get<std::string>()] = &c;
      m_values[c["name"].get<std::string>()] = c["values"];
    }
    std::vector<std::string> names;
    for (const auto& [n, c] : m_by_name) {
      names.push_back(n);
    }
    auto known = [&](const std::string& name, const std::string& flag) {
      if (!m_by_name.contains(name)) {
        std::string near = core::closest(name, names);
        throw Error(Exit::bad_input, core::Where{"", 0, flag},
                    "component \"" + name + "\" is not in the recipe" +
                        (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
      }
    };
    m_sets = parse_sets(m_options.sets);
    for (const auto& s : m_sets) {
      known(s.component, s.text);
    }
    for (const auto& [name, docs] : m_options.values) {
      known(name, "--values " + name);
    }
    if (m_options.deployer != Deployer::helm && m_options.repo_url.empty()) {
      throw Error(Exit::bad_input, core::Where{"", 0, "--repo-url"},
                  std::string(deployer_name(m_options.deployer)) +
                      " bundles are read from git: give --repo-url (and --revision, --path) for where it will live");
    }
  }

  const Json& defaults_for(const std::string& name) {
    auto it = m_defaults.find(name);
    if (it == m_defaults.end()) {
      it = m_defaults.emplace(name, chart_defaults(name)).first;
    }
    return it->second;
  }

  void apply_values() {
    for (const auto& [name, docs] : m_options.values) {
      for (const auto& d : docs) {
        deep_merge(m_values[name], d);
      }
    }
    for (const auto& s : m_sets) {
      apply_set(m_values[s.component], s.path, s.value, defaults_for(s.component), s.text);
    }
    for (const auto& [name, c] : m_by_name) {
      apply_placement(name, *c);
      if (!m_options.registry_mirror.empty()) {
        mirror_images(m_values[name], m_options.registry_mirror);
      }
    }
  }

  Json& placement_target(const std::string& name, const std::string& path) {
    Json* target = at_path(m_values[name], path, true);
    if (target == nullptr) {
      throw Error(Exit::bad_input, core::Where{"", 0, name + " values " + path},
                  "cannot place node selectors or tolerations: a parent of this path is not a map");
    }
    return *target;
  }

  void apply_placement(const std::string& name, const Json& c) {
    if (!c.value("gpuNodes", false) || (m_options.node_selector.empty() && m_options.tolerations.empty())) {
      return;
    }
    Json placement = c.value("placement", Json::object());
    auto paths = [&](const char* key) { return placement.value(key, std::vector<std::string>{}); };
    if (!m_options.node_selector.empty()) {
      if (paths("nodeSelector").empty()) {
        m_bundle.warnings.push_back(name + " runs on GPU nodes but its chart has no node selector the catalog "
                                           "knows; --node-selector was not applied to it");
      }
      for (const auto& p : paths("nodeSelector")) {
        Json* target = &placement_target(name, p);
        if (!target->is_object()) {
          *target = Json::object();
        }
        for (const auto& [k, v] : m_options.node_selector) {
          (*target)[k] = v;
        }
      }
    }
    if (!m_options.tolerations.empty()) {
      if (paths("tolerations").empty()) {
        m_bundle.warnings.push_back(name + " runs on GPU nodes but its chart has no tolerations the catalog "
                                           "knows; --toleration was not applied to it");
      }
      for (const auto& p : paths("tolerations")) {
        Json* target = &placement_target(name, p);
        if (!target->is_array()) {
          // Start from the chart's defaults so that its own tolerations are kept.
          Json copy = defaults_for(name);
          Json* def = at_path(copy, p, false);
          *target = def != nullptr && def->is_array() ? *def : Json::array();
        }
        for (const auto& t : m_options.tolerations) {
          Json tol = {{"key", t.key}, {"effect", t.effect}};
          if (t.value.empty()) {
            tol["operator"] = "Exists";
          } else {
            tol["operator"] = "Equal";
            tol["value"] = t.value;
          }
          if (std::find(target->begin(), target->end(), tol) == target->end()) {
            target->push_back(tol);
          }
        }
      }
    }
  }

  void build_component_data() {
    const Json& order = m_recipe["spec"]["deploymentOrder"];
    m_common = {{"recipeName", m_recipe["metadata"]["name"]},
                {"recipeDigest", m_recipe["metadata"]["digest"]},
                {"galleyVersion", GALLEY_VERSION},
                {"rootName", m_recipe["metadata"]["name"]},
                {"repoUrl", m_options.repo_url},
                {"revision", m_options.revision},
                {"path", m_options.path},
                {"fluxPath", m_options.path == "." ? "./" : "./" + m_options.path}};
    Json list = Json::array();
    for (size_t i = 0; i < order.size(); ++i) {
      list.push_back(component_data(order[i].get<std::string>(), i + 1));
    }
    m_components = list;
  }

  Json component_data(const std::string& name, size_t position) {
    const Json& c = component(name);
    std::string dir = two_digits(position) + "-" + name;
    bool helm = c["type"] == "helm";
    std::string repo = c.value("repository", "");
    if (helm && !m_options.registry_mirror.empty()) {
      repo = mirror_repository(repo, m_options.registry_mirror);
    }
    bool oci = repo.starts_with("oci://");
    std::string chart = c.value("chart", "");
    Json deps = Json::array();
    for (const auto& d : c["dependencies"]) {
      if (component(d.get<std::string>())["type"] == "helm") {
        deps.push_back(d);
      }
    }
    bool has_crds = false;
    for (const auto& h : c["healthChecks"]) {
      has_crds = has_crds || h["kind"] == "CustomResourceDefinition";
    }
    std::string values_yaml = m_values[name].empty() ? "{}\n" : core::to_yaml(m_values[name]);
    std::string base = m_options.path == "." ? dir : m_options.path + "/" + dir;
    return Json{{"index", two_digits(position)},
                {"wave", std::to_string(position)},
                {"name", name},
                {"dir", dir},
                {"version", c["version"]},
                {"namespace", c["namespace"]},
                {"helm", helm},
                {"oci", oci},
                {"chart", chart},
                {"chartRef", oci ? repo : chart},
                {"repoFlag", oci ? "" : " --repo " + repo},
                {"chartRepo", oci ? repo.substr(6, repo.rfind('/') - 6) : repo},
                {"source", helm ? (oci ? repo : repo + " (" + chart + ")") : "manifests"},
                {"hasManifests", !c["manifests"].empty()},
                {"applyFlag", c["type"] == "kustomize" ? "-k" : "-f"},
                {"manifestsPath", base + "/manifests"},
                {"fluxManifestsPath", "./" + base + "/manifests"},
                {"dependencies", deps},
                {"hasDependencies", !deps.empty()},
                {"serverSideApply", has_crds},
                {"skipDryRun", !c["dependencies"].empty()},
                {"valuesYaml", values_yaml},
                {"valuesIndented4", indent(values_yaml, 4)},
                {"valuesIndented8", indent(values_yaml, 8)}};
  }

  // Template data: the common fields, `extra`, and, for whole-bundle templates, the component
  // lists (per-component templates get only their component: rendering cost stays linear).
  Json data_for(const Json& extra, bool with_lists = true) const {
    Json d = m_common;
    if (with_lists) {
      d["components"] = m_components;
      Json reversed = Json::array();
      for (auto it = m_components.rbegin(); it != m_components.rend(); ++it) {
        reversed.push_back(*it);
      }
      d["reversed"] = reversed;
    }
    for (const auto& [k, v] : extra.items()) {
      d[k] = v;
    }
    return d;
  }

  void add(const std::string& path, std::string bytes, bool executable = false) {
    m_bundle.files[path] = bundle::File{std::move(bytes), executable};
  }

  void write_common() {
    add(bundle::k_recipe_file, core::to_yaml(m_recipe));
    for (const auto& c : m_components) {
      std::string name = c["name"].get<std::string>();
      std::string dir = c["dir"].get<std::string>();
      if (c["helm"].get<bool>()) {
        add(dir + "/values.yaml", c["valuesYaml"].get<std::string>());
      }
      for (const auto& m : component(name)["manifests"]) {
        add(dir + "/manifests/" + manifest_file_name(m["path"].get<std::string>()), m["content"].get<std::string>());
      }
    }
  }

  void write_helm() {
    add("deploy.sh", m_templates.render("helm/deploy.sh", data_for({})), true);
    add("undeploy.sh", m_templates.render("helm/undeploy.sh", data_for({})), true);
    m_steps = {"./deploy.sh --dry-run    # see what would be installed", "./deploy.sh", "./undeploy.sh    # later, to remove everything"};
    m_files_note = "- `deploy.sh` / `undeploy.sh`: one `helm upgrade --install` (or `kubectl apply`) per component, in order / in reverse.";
  }

  void write_argocd() {
    add("app-of-apps.yaml", m_templates.render("argocd/app-of-apps.yaml", data_for({})));
    add("argocd-cm-health.yaml", m_templates.render("argocd/argocd-cm-health.yaml", data_for({})));
    for (const auto& c : m_components) {
      Json extra = c;
      extra["valuesIndented"] = c["valuesIndented8"];
      add(c["dir"].get<std::string>() + "/application.yaml",
          m_templates.render("argocd/application.yaml", data_for(extra, false)));
    }
    m_steps = {"git add . && git commit -m \"" + m_common["recipeName"].get<std::string>() + "\" && git push    # the bundle must be at " +
                   m_options.repo_url + " " + m_options.revision + ":" + m_options.path,
               "kubectl apply --server-side -n argocd -f argocd-cm-health.yaml    # sync waves need Application health",
               "kubectl apply -n argocd -f app-of-apps.yaml"};
    m_files_note = "- `app-of-apps.yaml`: the root Application; each `NN-*/application.yaml` is one component with "
                   "`argocd.argoproj.io/sync-wave` from the deployment order.\n"
                   "- `argocd-cm-health.yaml`: the `resource.customizations` health check for `argoproj.io/Application`. "
                   "Argo CD waits on sync waves of child Applications only when it assesses their health, which it "
                   "does not by default: apply it before the root Application.";
  }

  void write_flux() {
    add("gitrepository.yaml", m_templates.render("flux/gitrepository.yaml", data_for({})));
    add("kustomization.yaml", m_templates.render("flux/kustomization.yaml", data_for({})));
    for (const auto& c : m_components) {
      Json extra = c;
      extra["valuesIndented"] = c["valuesIndented4"];
      add(c["dir"].get<std::string>() + "/flux.yaml", m_templates.render("flux/component.yaml", data_for(extra, false)));
    }
    m_steps = {"git add . && git commit -m \"" + m_common["recipeName"].get<std::string>() + "\" && git push    # the bundle must be at " +
                   m_options.repo_url + " " + m_options.revision + ":" + m_options.path,
               "kubectl apply -f gitrepository.yaml    # Flux then applies kustomization.yaml"};
    m_files_note = "- `gitrepository.yaml`: the GitRepository and root Kustomization that point Flux at this bundle.\n"
                   "- `kustomization.yaml` and `NN-*/flux.yaml`: a HelmRepository or OCIRepository and a HelmRelease "
                   "per component, with `dependsOn` from the recipe's graph; a Flux Kustomization for manifests.";
  }

  void write_readme() {
    std::string steps;
    for (size_t i = 0; i < m_steps.size(); ++i) {
      steps += std::to_string(i + 1) + ". `" + m_steps[i] + "`\n";
    }
    std::string criteria;
    for (const auto& [k, v] : m_recipe["spec"]["criteria"].items()) {
      criteria += (criteria.empty() ? "" : ", ") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    }
    static const std::map<Deployer, std::string> k_titles = {
        {Deployer::helm, "Helm"}, {Deployer::argocd, "Argo CD"}, {Deployer::flux, "Flux"}};
    add("README.md", m_templates.render("common/README.md", data_for({{"steps", steps},
                                                                      {"criteria", criteria},
                                                                      {"deployerFiles", m_files_note},
                                                                      {"deployerTitle", k_titles.at(m_options.deployer)}})));
  }

  void write_inventory() {
    Json options = {{"sets", m_options.sets},
                    {"valuesFiles", Json::array()},
                    {"nodeSelector", m_options.node_selector},
                    {"registryMirror", m_options.registry_mirror},
                    {"repoUrl", m_options.repo_url},
                    {"revision", m_options.revision},
                    {"path", m_options.path}};
    for (const auto& [name, docs] : m_options.values) {
      options["valuesFiles"].push_back(Json{{"component", name}, {"documents", docs.size()}});
    }
    Json tolerations = Json::array();
    for (const auto& t : m_options.tolerations) {
      tolerations.push_back(Json{{"key", t.key}, {"value", t.value}, {"effect", t.effect}});
    }
    options["tolerations"] = tolerations;
    Json spec = {{"recipeDigest", m_recipe["metadata"]["digest"]},
                 {"deployer", deployer_name(m_options.deployer)},
                 {"templatesDigest", m_templates.digest()},
                 {"options", options}};
    add(bundle::k_manifest_file, bundle::manifest_text(m_recipe["metadata"]["name"], spec, m_bundle.files));
  }

  const Json& m_recipe;
  const Options& m_options;
  Templates m_templates;
  bundle::Bundle m_bundle;
  std::map<std::string, const Json*> m_by_name;
  std::map<std::string, Json> m_values;
  std::map<std::string, Json> m_defaults;
  std::vector<Set> m_sets;
  Json m_common;
  Json m_components;
  std::vector<std::string> m_steps;
  std::string m_files_note;
};

}  // namespace

std::vector<std::string> template_names() { return Templates::names(); }

Toleration parse_toleration(const std::string& text) {
  // key=value:Effect or key:Effect
  size_t colon = text.rfind(':');
  Toleration t;
  if (colon == std::string::npos || colon == 0) {
    throw Error(Exit::bad_input, core::Where{"", 0, "--toleration " + text}, "expected key=value:Effect or key:Effect");
  }
  t.effect = text.substr(colon + 1);
  std::string kv = text.substr(0, colon);
  size_t eq = kv.find('=');
  t.key = kv.substr(0, eq);
  t.value = eq == std::string::npos ? "" : kv.substr(eq + 1);
  static const std::set<std::string> k_effects = {"NoSchedule", "PreferNoSchedule", "NoExecute"};
  if (!k_effects.contains(t.effect) || t.key.empty()) {
    throw Error(Exit::bad_input, core::Where{"", 0, "--toleration " + text},
                "effect must be NoSchedule, PreferNoSchedule or NoExecute, and the key not empty");
  }
  return t;
}

bundle::Bundle render(const Json& recipe, const Options& options) { return Renderer(recipe, options).run(); }

}  // namespace galley::render
