// A checked Recipe's JSON -> RecipeView, field by field.
#include "resolver/recipe_view.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace galley::resolver {

using core::Json;

namespace {

std::vector<std::string> strings(const Json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) {
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::string> optional_string(const Json& object, const char* key) {
  if (!object.contains(key)) {
    return std::nullopt;
  }
  return object[key].get<std::string>();
}

// Required text fields, read into `out` as the table says.
template <typename T, size_t N>
void read_texts(const Json& object, T& out, const std::pair<const char*, std::string T::*> (&fields)[N]) {
  for (const auto& [key, member] : fields) {
    out.*member = object[key].template get<std::string>();
  }
}

RecipeComponent component_of(const Json& c) {
  RecipeComponent out;
  static constexpr std::pair<const char*, std::string RecipeComponent::*> k_texts[] = {
      {"name", &RecipeComponent::name}, {"type", &RecipeComponent::type},
      {"version", &RecipeComponent::version}, {"namespace", &RecipeComponent::ns}};
  read_texts(c, out, k_texts);
  out.chart = optional_string(c, "chart");
  out.repository = optional_string(c, "repository");
  if (c.contains("chartDigest")) {
    out.chart_digest = c["chartDigest"]["digest"].get<std::string>();
    out.chart_digest_source = c["chartDigest"]["source"].get<std::string>();
  }
  out.gpu_nodes = c.value("gpuNodes", false);
  if (c.contains("placement")) {
    out.node_selector_paths = strings(c["placement"].value("nodeSelector", Json::array()));
    out.toleration_paths = strings(c["placement"].value("tolerations", Json::array()));
  }
  out.dependencies = strings(c.value("dependencies", Json::array()));
  out.values = c.value("values", Json::object());
  for (const auto& m : c.value("manifests", Json::array())) {
    out.manifests.push_back({m["path"].get<std::string>(), m["content"].get<std::string>()});
  }
  for (const auto& h : c.value("healthChecks", Json::array())) {
    out.health_checks.push_back({h["kind"].get<std::string>(), h["name"].get<std::string>(), optional_string(h, "namespace")});
  }
  return out;
}

RecipeAdvisory advisory_of(const Json& a) {
  RecipeAdvisory out;
  static constexpr std::pair<const char*, std::string RecipeAdvisory::*> k_texts[] = {
      {"name", &RecipeAdvisory::name},         {"summary", &RecipeAdvisory::summary},
      {"source", &RecipeAdvisory::source},     {"severity", &RecipeAdvisory::severity},
      {"action", &RecipeAdvisory::action},     {"effect", &RecipeAdvisory::effect}};
  read_texts(a, out, k_texts);
  for (const auto& e : a.value("excluded", Json::array())) {
    out.excluded.push_back({e["component"].get<std::string>(), e["version"].get<std::string>()});
  }
  out.eol_date = optional_string(a, "eolDate");
  out.warn_from = optional_string(a, "warnFrom");
  return out;
}

Criteria criteria_of(const Json& object) {
  Criteria out;
  for (const auto& [key, value] : object.items()) {
    if (key == "nodes") {
      out.nodes = value.get<long long>();
    } else {
      out.fields[key] = value.get<std::string>();
    }
  }
  return out;
}

std::vector<RecipeConstraint> constraints_of(const Json& list) {
  std::vector<RecipeConstraint> out;
  for (const auto& c : list) {
    out.push_back({c["name"].get<std::string>(), c["value"].get<std::string>(), c["source"].get<std::string>()});
  }
  return out;
}

RecipePool pool_of(const Json& p) {
  RecipePool out;
  out.name = p["name"].get<std::string>();
  out.criteria = criteria_of(p["criteria"]);
  for (const auto& [key, value] : p["nodeSelector"].items()) {
    out.node_selector[key] = value.get<std::string>();
  }
  out.overlays = strings(p["overlays"]);
  out.constraints = constraints_of(p["constraints"]);
  out.components = strings(p["components"]);
  for (const auto& o : p.value("overridden", Json::array())) {
    out.overridden.push_back({o["path"].get<std::string>(), o["value"], o["kept"], o["source"].get<std::string>()});
  }
  for (const auto& s : p.value("settings", Json::array())) {
    out.settings.push_back({s["component"].get<std::string>(), s["path"].get<std::string>(), s["value"],
                            s["source"].get<std::string>(), s["appliedBy"].get<std::string>()});
  }
  const Json labels = p.value("nodeLabels", Json::object());
  for (const auto& [key, value] : labels.items()) {
    out.node_labels[key] = value.get<std::string>();
  }
  return out;
}

}  // namespace

std::vector<std::string> RecipeView::pools_of(const std::string& wanted) const {
  std::vector<std::string> out;
  for (const auto& p : pools) {
    if (std::find(p.components.begin(), p.components.end(), wanted) != p.components.end()) {
      out.push_back(p.name);
    }
  }
  return out;
}

const RecipeComponent* RecipeView::component(const std::string& wanted) const {
  for (const auto& c : components) {
    if (c.name == wanted) {
      return &c;
    }
  }
  return nullptr;
}

std::map<std::string, std::string> RecipeView::versions() const {
  std::map<std::string, std::string> out;
  for (const auto& c : components) {
    out.emplace(c.name, c.version);
  }
  return out;
}

Json criteria_json(const Criteria& criteria) {
  Json out = Json::object();
  for (const auto& [key, value] : criteria.fields) {
    out[key] = value;
  }
  if (criteria.nodes) {
    out["nodes"] = *criteria.nodes;
  }
  return out;
}

RecipeView read_recipe_view(const Json& recipe) {
  RecipeView view;
  view.name = recipe["metadata"]["name"].get<std::string>();
  view.digest = recipe["metadata"]["digest"].get<std::string>();
  const Json& spec = recipe["spec"];
  view.criteria = criteria_of(spec["criteria"]);
  view.catalog_digest = spec["catalogDigest"].get<std::string>();
  view.overlays = strings(spec["overlays"]);
  view.unmatched_criteria = strings(spec["unmatchedCriteria"]);
  view.constraints = constraints_of(spec["constraints"]);
  for (const auto& c : spec["components"]) {
    view.components.push_back(component_of(c));
  }
  view.deployment_order = strings(spec["deploymentOrder"]);
  for (const auto& i : spec.value("images", core::Json::array())) {
    view.images.push_back(LockedImage{i["image"], i["digest"]});
  }
  for (const auto& a : spec["advisories"]) {
    view.advisories.push_back(advisory_of(a));
  }
  for (const auto& p : spec.value("pools", Json::array())) {
    view.pools.push_back(pool_of(p));
  }
  return view;
}

}  // namespace galley::resolver
