// Options applied to component values: values documents, sets, placement, registry mirror.
#include "render/internal/values_options.hpp"

#include <algorithm>
#include <set>

#include "bundle/vendored_chart.hpp"
#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/values_merge.hpp"
#include "render/internal/set_values.hpp"
#include "resolver/chart_values.hpp"
#include "resolver/images.hpp"

namespace galley::render {

using core::Error;
using core::Exit;
using core::Json;

namespace {

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

}  // namespace

ValueOptions::ValueOptions(const resolver::RecipeView& recipe, const Options& options)
    : m_recipe(recipe), m_options(options) {
  for (const auto& c : m_recipe.components) {
    m_values.emplace(c.name, c.values);
  }
  std::vector<std::string> names;
  for (const auto& [n, v] : m_values) {
    names.push_back(n);
  }
  auto known = [&](const std::string& name, const core::OptionField& what) {
    if (!m_values.contains(name)) {
      std::string near = core::closest(name, names);
      throw Error(Exit::bad_input, what,
                  "component \"" + name + "\" is not in the recipe" +
                      (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
    }
  };
  auto parse = [&](const std::string& s, const std::string& field, bool checked) {
    size_t colon = s.find(':');
    size_t eq = s.find('=', colon == std::string::npos ? 0 : colon);
    if (colon == std::string::npos || colon == 0 || eq == std::string::npos || eq == colon + 1) {
      throw Error(Exit::bad_input, core::OptionField{field, s}, "expected component:path=value");
    }
    m_sets.push_back({s.substr(0, colon), s.substr(colon + 1, eq - colon - 1), parse_set_value(s.substr(eq + 1)),
                      core::OptionField{field, s}, checked});
  };
  for (const auto& s : m_options.sets) {
    parse(s, "set", true);
  }
  for (const auto& s : m_options.unchecked_sets) {
    parse(s, "set-unchecked", false);
  }
  for (const auto& s : m_sets) {
    known(s.component, s.text);
  }
  for (const auto& [name, docs] : m_options.values) {
    known(name, core::OptionField{"values", name});
  }
  for (const auto& s : m_sets) {
    if (s.checked) {
      Json keys = Json::object();  // the set's path alone, to check its keys
      apply_set(keys, s.path, s.value, Json(), s.text);
      check_keys(s.component, keys, s.text);
    }
  }
  for (const auto& [name, docs] : m_options.values) {
    for (const auto& d : docs) {
      check_keys(name, d, core::OptionField{"values", name});
    }
  }
}

void ValueOptions::check_keys(const std::string& name, const Json& values, const core::OptionField& what) {
  const Chart& chart = chart_of(name);
  if (!chart.values) {
    return;  // no upstream copy to check against
  }
  const Json* schema = chart.schema ? &*chart.schema : nullptr;
  auto unknown = resolver::unknown_values_keys(*chart.values, schema, {}, values);
  if (!unknown.empty()) {  // the subcharts only when needed: they come from the whole catalog
    unknown = resolver::unknown_values_keys(*chart.values, schema, resolver::chart_subcharts(name), values);
  }
  std::string message;
  for (const auto& u : unknown) {
    std::string parent;
    for (size_t i = 0; i + 1 < u.keys.size(); ++i) {
      parent = core::child(parent, u.keys[i]);
    }
    message += std::string(message.empty() ? "" : "; ") + "key \"" + core::child(parent, u.keys.back()) +
               "\" does not exist in " + name + "'s upstream chart values" +
               (u.closest.empty() ? "" : "; did you mean \"" + core::child(parent, u.closest) + "\"?");
  }
  if (!message.empty()) {
    throw Error(Exit::bad_input, what, message);
  }
}

void ValueOptions::check_schema(const std::string& name, const Json& before, const core::OptionField& what) {
  const std::optional<Json>& schema = chart_of(name).schema;
  if (!schema) {
    return;
  }
  auto had = core::schema_problems(*schema, before);  // the recipe's own problems are not the options'
  std::string message;
  for (const auto& problem : core::schema_problems(*schema, m_values[name])) {
    if (std::find(had.begin(), had.end(), problem) == had.end()) {
      message += std::string(message.empty() ? "" : "; ") + (problem.first.empty() ? "" : problem.first + ": ") +
                 problem.second;
    }
  }
  if (!message.empty()) {
    throw Error(Exit::bad_input, what, name + "'s values schema refuses the result: " + message);
  }
}

std::map<std::string, Json> ValueOptions::apply(std::vector<std::string>& warnings, std::vector<std::string>& unpinned) {
  std::map<std::string, std::pair<Json, core::OptionField>> touched;  // values before the options, and by whom
  for (const auto& [name, docs] : m_options.values) {
    touched.emplace(name, std::make_pair(m_values[name], core::OptionField{"values", name}));
    for (const auto& d : docs) {
      core::merge_values(m_values[name], d);
    }
  }
  for (const auto& s : m_sets) {
    if (s.checked) {
      touched.emplace(s.component, std::make_pair(m_values[s.component], s.text));
      apply_set(m_values[s.component], s.path, s.value, defaults_for(s.component), s.text);
    }
  }
  for (const auto& [name, before] : touched) {
    check_schema(name, before.first, before.second);
  }
  for (const auto& s : m_sets) {
    if (!s.checked) {
      apply_set(m_values[s.component], s.path, s.value, defaults_for(s.component), s.text);
    }
  }
  std::map<std::string, std::string> locked;  // image -> digest (recipe --lock-images)
  for (const auto& i : m_recipe.images) {
    locked[i.image] = i.digest;
  }
  for (auto& [name, values] : m_values) {
    apply_placement(*m_recipe.component(name), warnings);
    if (!locked.empty()) {
      resolver::pin_component_images(*m_recipe.component(name), values, locked, unpinned);
    }
    if (!m_options.registry_mirror.empty()) {
      mirror_values(*m_recipe.component(name), values, warnings);
    }
  }
  return std::move(m_values);
}

void ValueOptions::mirror_values(const resolver::RecipeComponent& c, Json& values, std::vector<std::string>& warnings) {
  const std::string& mirror = m_options.registry_mirror;
  std::vector<std::string> fixed;
  if (resolver::mirror_component_images(c, values, mirror, fixed)) {
    for (const auto& f : fixed) {
      warnings.push_back("registry mirror: " + f + " is set by no value of the chart and was not rewritten; copy it "
                         "under its own name or pull it from its source");
    }
    return;
  }
  if (c.type != "helm") {
    return;
  }
  Json before = values;
  mirror_images(values, mirror);
  warnings.push_back("registry mirror: the catalog lists no images for " + c.name + " " + c.version +
                     (before == values ? "; none of its images was rewritten"
                                       : "; only the image values the recipe sets were rewritten") +
                     ", the chart's defaults still pull from their registries");
}

const ValueOptions::Chart& ValueOptions::chart_of(const std::string& name) {
  auto it = m_charts.find(name);
  if (it == m_charts.end()) {
    Chart chart;
    if (auto doc = resolver::chart_values(name)) {
      chart.values = std::move(doc->value);
    }
    chart.schema = resolver::chart_values_schema(name);
    it = m_charts.emplace(name, std::move(chart)).first;
  }
  return it->second;
}

// The chart's default values for a component (an empty map when none is embedded).
const Json& ValueOptions::defaults_for(const std::string& name) {
  static const Json k_none = Json::object();
  const Chart& chart = chart_of(name);
  return chart.values && chart.values->is_object() ? *chart.values : k_none;
}

Json& ValueOptions::placement_target(const std::string& name, const std::string& path) {
  Json* target = at_path(m_values[name], path, true);
  if (target == nullptr) {
    throw Error(Exit::bad_input, core::Where{"", 0, name + " values " + path},
                "cannot place node selectors or tolerations: a parent of this path is not a map");
  }
  return *target;
}

void ValueOptions::apply_placement(const resolver::RecipeComponent& c, std::vector<std::string>& warnings) {
  if (!c.gpu_nodes) {
    return;
  }
  // In a recipe for several pools, a GPU component one pool needs goes to that pool's nodes (its
  // labels, and a toleration of the taint galley.dev/pool=NAME:NoSchedule); one that several pools
  // need tolerates every pool's taint. The options' selector and tolerations come on top.
  auto node_selector = m_options.node_selector;
  auto tolerations = m_options.tolerations;
  auto pools = m_recipe.pools_of(c.name);
  if (pools.size() == 1 && m_recipe.pools.size() > 1) {
    for (const auto& p : m_recipe.pools) {
      if (p.name == pools.front()) {
        node_selector.insert(p.node_selector.begin(), p.node_selector.end());
      }
    }
    tolerations.push_back({resolver::pool_label(), pools.front(), "NoSchedule"});
  } else if (pools.size() > 1) {
    tolerations.push_back({resolver::pool_label(), "", "NoSchedule"});
  }
  if (node_selector.empty() && tolerations.empty()) {
    return;
  }
  const std::string& name = c.name;
  // The catalog's values paths (`out`); none is worth a warning, since the option is then dropped.
  auto paths = [&](const std::vector<std::string>& out, const std::string& what) -> const std::vector<std::string>& {
    if (out.empty()) {
      warnings.push_back(name + " runs on GPU nodes but its chart has no " + what + " the catalog knows; the " + what +
                         (what == "tolerations" ? " were" : " was") + " not applied to it");
    }
    return out;
  };
  if (!node_selector.empty()) {
    for (const auto& p : paths(c.node_selector_paths, "node selector")) {
      Json* target = &placement_target(name, p);
      if (!target->is_object()) {
        *target = Json::object();
      }
      for (const auto& [k, v] : node_selector) {
        (*target)[k] = v;
      }
    }
  }
  if (!tolerations.empty()) {
    for (const auto& p : paths(c.toleration_paths, "tolerations")) {
      Json* target = &placement_target(name, p);
      if (!target->is_array()) {
        // Start from the chart's defaults so that its own tolerations are kept.
        Json copy = defaults_for(name);
        Json* def = at_path(copy, p, false);
        *target = def != nullptr && def->is_array() ? *def : Json::array();
      }
      for (const auto& t : tolerations) {
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

std::string mirror_repository(const std::string& repo, const std::string& chart, const std::string& mirror) {
  return "oci://" + mirror + "/" + bundle::chart_oci_path(repo, chart);
}

Toleration parse_toleration(const std::string& text) {
  // key=value:Effect or key:Effect
  size_t colon = text.rfind(':');
  Toleration t;
  if (colon == std::string::npos || colon == 0) {
    throw Error(Exit::bad_input, core::OptionField{"toleration", text}, "expected key=value:Effect or key:Effect");
  }
  t.effect = text.substr(colon + 1);
  std::string kv = text.substr(0, colon);
  size_t eq = kv.find('=');
  t.key = kv.substr(0, eq);
  t.value = eq == std::string::npos ? "" : kv.substr(eq + 1);
  static const std::set<std::string> k_effects = {"NoSchedule", "PreferNoSchedule", "NoExecute"};
  if (!k_effects.contains(t.effect) || t.key.empty()) {
    throw Error(Exit::bad_input, core::OptionField{"toleration", text},
                "effect must be NoSchedule, PreferNoSchedule or NoExecute, and the key not empty");
  }
  return t;
}

}  // namespace galley::render
