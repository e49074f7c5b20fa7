// Per-pool settings of a component the cluster installs once (its spec.perPool): the GPU Operator
// runs one ClusterPolicy for every node, yet its MIG manager reads each node's nvidia.com/mig.config
// label, each operand can be switched off per node by label, and its driver can be given per node
// group by NVIDIADriver resources. The catalog says which values go which way; this file applies it.
#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/yaml_emit.hpp"
#include "resolver/internal/steps.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;
using core::Json;

std::string source_of(const Provenance& prov, const std::string& path) {
  for (auto it = prov.lower_bound(path); it != prov.end() && it->first.starts_with(path); ++it) {
    if ((it->first == path || it->first[path.size()] == '.' || it->first[path.size()] == '[') && !it->second.empty()) {
      return it->second.back().value("source", "");
    }
  }
  return "";
}

namespace {

// One pool's value at a path (only pools whose values have it).
struct PoolValue {
  const PoolPart* part;
  Json value;
  std::string source;
};

std::vector<PoolValue> values_of(const std::string& component, const std::vector<PoolPart>& parts,
                                 const std::string& path) {
  std::vector<PoolValue> out;
  for (const auto& p : parts) {
    if (const Json* v = value_at(*p.values, path)) {
      out.push_back(PoolValue{&p, *v, source_of(*p.provenance, values_field(component, path))});
    }
  }
  return out;
}

bool all_equal(const std::vector<PoolValue>& vals) {
  return std::all_of(vals.begin(), vals.end(), [&](const PoolValue& v) { return v.value == vals.front().value; });
}

// A node label value for a setting's value: booleans and numbers as text, strings as they are.
std::string label_value(const Json& v, const std::string& where) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  bool valid = s.size() <= 63 && (v.is_string() || v.is_boolean() || v.is_number()) &&
               std::all_of(s.begin(), s.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
               });
  if (!valid) {
    throw Error(Exit::bad_input, where + ": the value " + v.dump() + " cannot be a node label value");
  }
  return s;
}

// Records a value a rule set (the newest history entry is the recipe's value).
void record(Provenance& provenance, const std::string& full, const Json& value, const std::string& source) {
  provenance[full].push_back(Json{{"value", value}, {"source", source}});
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::set<std::string> per_pool_paths(const Component& component) {
  std::set<std::string> out;
  const Json& pp = component.spec.value("perPool", Json::object());
  for (const auto& s : pp.value("settings", Json::array())) {
    out.insert(s["path"].get<std::string>());
  }
  if (pp.contains("resource")) {
    for (const auto& [field, path] : pp["resource"]["spec"].items()) {
      out.insert(path.get<std::string>());
    }
  }
  for (const auto& p : pp.value("clusterWide", Json::array())) {
    out.insert(p.get<std::string>());
  }
  return out;
}

void apply_pool_settings(const Catalog& catalog, const std::string& name, const std::vector<PoolPart>& parts,
                         Json& values, Provenance& provenance, std::vector<PoolSettings>& out, Json& manifests) {
  const Component& comp = catalog.components.at(name);
  const Json& pp = comp.spec.value("perPool", Json::object());
  const core::Document& doc = catalog.documents.at(comp.file);
  auto stated = [&](const std::string& field) { return Origin{&doc, core::child("spec.perPool", field)}.source(); };

  const Json& cluster_wide = pp.value("clusterWide", Json::array());
  for (size_t i = 0; i < cluster_wide.size(); ++i) {
    const std::string path = cluster_wide[i].get<std::string>();
    auto vals = values_of(name, parts, path);
    for (const auto& v : vals) {
      if (v.value != vals.front().value) {
        const PoolValue& a = vals.front();
        throw Error(Exit::unsatisfiable,
                    "pools " + a.part->name + " and " + v.part->name + " set " + name + " values " + path +
                        " differently (pool " + a.part->name + " at " + a.source + ", pool " + v.part->name + " at " +
                        v.source + "); rule: " + name + " has one " + path + " for the whole cluster (" +
                        stated(core::index("clusterWide", i)) + "), so give these pools criteria that agree on it");
      }
    }
    if (!vals.empty()) {
      value_slot(values, path) = vals.front().value;
    }
  }

  const Json& settings = pp.value("settings", Json::array());
  for (size_t i = 0; i < settings.size(); ++i) {
    const Json& s = settings[i];
    const std::string path = s["path"].get<std::string>();
    auto vals = values_of(name, parts, path);
    if (vals.empty()) {
      continue;
    }
    if (all_equal(vals)) {
      value_slot(values, path) = vals.front().value;
      continue;
    }
    const std::string field = core::index("settings", i);
    Json cluster = s.contains("clusterValue") ? s["clusterValue"] : vals.front().value;
    value_slot(values, path) = cluster;
    if (s.contains("clusterValue")) {
      record(provenance, values_field(name, path), cluster, stated(core::child(field, "clusterValue")));
    }
    for (const auto& v : vals) {
      Json entry = {{"component", name}, {"path", path}, {"value", v.value}, {"source", v.source}};
      if (s.contains("nodeLabel")) {
        const std::string label = s["nodeLabel"].get<std::string>();
        out[v.part->pool].node_labels[label] = label_value(v.value, stated(core::child(field, "nodeLabel")));
        entry["appliedBy"] = "node label " + label;
      } else {
        entry["appliedBy"] = "the cluster's value " + cluster.dump() + ", which serves every pool (" + stated(field) + ")";
      }
      out[v.part->pool].settings.push_back(std::move(entry));
    }
  }

  if (!pp.contains("resource")) {
    return;
  }
  const Json& res = pp["resource"];
  ChartDefaults defaults(name);
  // Each pool's resource spec from its own values first: a value no pool sets is the chart's default
  // for every pool, so the pools differ only where their own values do.
  std::vector<std::pair<const PoolPart*, Json>> specs;
  for (const auto& p : parts) {
    if (res.contains("enabledBy") && defaults.value(*p.values, res["enabledBy"].get<std::string>()) == Json(false)) {
      continue;
    }
    Json spec = Json::object();
    for (const auto& [field, path] : res["spec"].items()) {
      if (const Json* v = value_at(*p.values, path.get<std::string>())) {
        spec[field] = *v;
      }
    }
    specs.emplace_back(&p, std::move(spec));
  }
  bool differ = std::any_of(specs.begin(), specs.end(), [&](const auto& s) { return s.second != specs.front().second; });
  for (const auto& [field, path] : res["spec"].items()) {
    auto vals = values_of(name, parts, path.get<std::string>());
    if (!vals.empty()) {
      value_slot(values, path.get<std::string>()) = vals.front().value;
    }
  }
  if (!differ) {
    return;
  }
  const Json res_values = res.value("values", Json::object());
  for (const auto& [path, v] : res_values.items()) {
    value_slot(values, path) = v;
    record(provenance, values_field(name, path), v, stated(core::child("resource.values", path)));
  }
  std::set<std::string> differing;  // the spec fields the pools' own values set differently
  for (const auto& [field, path] : res["spec"].items()) {
    for (const auto& s : specs) {
      if (s.second.value(field, Json()) != specs.front().second.value(field, Json())) {
        differing.insert(field);
      }
    }
  }
  const std::string kind = res["kind"].get<std::string>();
  for (auto& [part, spec] : specs) {
    const std::string object = name + "-" + part->name;
    for (const auto& [field, path] : res["spec"].items()) {
      if (spec.contains(field) && differing.contains(field)) {
        std::string full = values_field(name, path.get<std::string>());
        std::string source = source_of(*part->provenance, full);
        out[part->pool].settings.push_back(Json{{"component", name},
                                                {"path", path},
                                                {"value", spec[field]},
                                                {"source", source.empty() ? "the chart's default" : source},
                                                {"appliedBy", kind + " " + object}});
      }
    }
    for (const auto& [field, path] : res["spec"].items()) {
      Json v = defaults.value(*part->values, path.get<std::string>());
      if (!spec.contains(field) && !v.is_null()) {
        spec[field] = v;
      }
    }
    // On the pool's nodes, which carry its taint (render places pool components the same way).
    spec["nodeSelector"] = Json{{pool_label(), part->name}};
    spec["tolerations"] = Json::array(
        {Json{{"key", pool_label()}, {"operator", "Equal"}, {"value", part->name}, {"effect", "NoSchedule"}}});
    Json resource = {{"apiVersion", res["apiVersion"]}, {"kind", kind}, {"metadata", {{"name", object}}}, {"spec", spec}};
    manifests.push_back(Json{{"path", "pools/" + part->name + "-" + lowercase(kind) + ".yaml"},
                             {"content", core::to_yaml(resource)}});
  }
}

}  // namespace galley::resolver
