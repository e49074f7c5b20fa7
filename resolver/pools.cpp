// Recipes for clusters of several node pools (H100 for training beside L40S for inference, GPUs
// beside TPUs). Each pool goes through the same steps as a one-pool recipe (criteria -> overlays ->
// merge with provenance -> solve) with the cluster's criteria under its own; the pools' results are
// then merged into one recipe by three rules:
//   - a component is installed once for the cluster; every pool that needs it must have solved the
//     same version (else unsatisfiable, naming each pool's constraint and where it was set);
//   - its values are the first pool's (pools in the order given), with what later pools add; a value
//     a later pool sets differently is kept as the earlier pool set it and listed under that pool's
//     `overridden` with its own value and source (never dropped silently), except the values the
//     component's spec.perPool applies pool by pool (node labels, one resource per pool) or requires
//     to agree (pool_settings.cpp);
//   - constraints stay with their pool (spec.pools[i].constraints): validate judges each node by the
//     pool its `galley.dev/pool` label names.
#include <algorithm>

#include "core/error.hpp"
#include "resolver/internal/steps.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;
using core::Json;

namespace {

// The cluster's criteria under the pool's own.
Criteria pool_criteria(const Criteria& cluster, const Pool& pool) {
  Criteria c;
  c.fields = cluster.fields;
  for (const auto& [k, v] : pool.fields) {
    c.fields[k] = v;
  }
  c.nodes = pool.nodes ? pool.nodes : cluster.nodes;
  return c;
}

// "pool NAME" and, for a pool from a file, where it is.
std::string pool_text(const Pool& pool) {
  return "pool " + pool.name + (pool.where.file.empty() ? "" : " (" + pool.where.str() + ")");
}

// Bad pools, all at once: a duplicate name, no accelerator (neither the pool's nor the cluster's).
void check_pools(const Criteria& criteria) {
  core::Diagnostics diags;
  for (size_t i = 0; i < criteria.pools.size(); ++i) {
    const Pool& p = criteria.pools[i];
    for (size_t j = 0; j < i; ++j) {
      if (criteria.pools[j].name == p.name) {
        diags.add(p.where, "the pool name \"" + p.name + "\" is given twice; each pool needs its own name");
      }
    }
    for (const auto& [k, v] : p.fields) {
      const auto& keys = pool_keys();
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
        diags.add(p.where, "a pool may not set " + k + " (the cluster's criteria set it); allowed: " + core::join(keys) +
                               ", nodes");
      }
    }
    if (!p.fields.contains("accelerator") && !criteria.fields.contains("accelerator")) {
      diags.add(p.where, "no accelerator for this pool (e.g. accelerator=h100)");
    }
  }
  diags.throw_if_any(Exit::bad_input);
}

// One pool through the steps; what they throw names the pool.
Resolution pool_steps(const Catalog& catalog, const Criteria& cluster, const Pool& pool, const ResolveOptions& options) {
  try {
    return run_steps(catalog, pool_criteria(cluster, pool), options);
  } catch (const Error& e) {
    std::vector<std::string> lines;
    for (const auto& line : e.lines()) {
      lines.push_back(pool_text(pool) + ": " + line);
    }
    throw Error(e.exit(), lines);
  }
}

// Lays `src` (a later pool's values) under `target`: keys target lacks are added; a value that
// differs is kept as it is and recorded in `overridden` as {path, value, kept, source}.
// Paths in `per_pool` (and below them) are left to apply_pool_settings.
void merge_pool_values(Json& target, const Json& src, const std::string& path, const Provenance& prov, Json& overridden,
                       const std::set<std::string>& per_pool) {
  for (const auto& [k, v] : src.items()) {
    std::string p = core::child(path, k);
    if (std::any_of(per_pool.begin(), per_pool.end(),
                    [&p](const std::string& h) { return p == h || p.starts_with(h + "."); })) {
      continue;
    }
    if (!target.contains(k)) {
      target[k] = v;
    } else if (target[k].is_object() && v.is_object() && !v.empty() && !target[k].empty()) {
      merge_pool_values(target[k], v, p, prov, overridden, per_pool);
    } else if (target[k] != v) {
      overridden.push_back(Json{{"path", p}, {"value", v}, {"kept", target[k]}, {"source", source_of(prov, p)}});
    }
  }
}

// The recipe's name: the service, then the pools' names.
std::string pools_name(const Criteria& c) {
  std::string name;
  auto service = c.fields.find("service");
  if (service != c.fields.end()) {
    name = service->second;
  }
  for (const auto& p : c.pools) {
    name += (name.empty() ? "" : "-") + p.name;
  }
  name = name.substr(0, 63);
  while (!name.empty() && name.back() == '-') {
    name.pop_back();
  }
  return name.empty() ? "pools" : name;
}

// One component as the cluster installs it.
struct ClusterComponent {
  MergedComponent merged;          // values: the pools' merged values
  const Selection* selection = nullptr;
  std::string pool;                // the first pool that needs it
};

Error version_conflict(const std::string& name, const std::string& first_pool, const Selection& first,
                       const MergedComponent& first_mc, const std::string& pool, const Selection& sel,
                       const MergedComponent& mc) {
  auto why = [](const MergedComponent& m) {
    return m.range ? "constraint \"" + m.range->text + "\" at " + m.range_origin.source() : std::string("no constraint");
  };
  return Error(Exit::unsatisfiable,
               "pools " + first_pool + " and " + pool + " need different versions of " + name +
                   ", which the cluster installs once: pool " + first_pool + " selects " + first.chosen->version + " (" +
                   why(first_mc) + "), pool " + pool + " selects " + sel.chosen->version + " (" + why(mc) +
                   "); give the pools criteria whose overlays agree on " + name);
}

}  // namespace

Json resolve_pools(const Catalog& catalog, const Criteria& given, const ResolveOptions& options) {
  check_pools(given);
  const Criteria cluster = normalize_criteria(catalog, given);
  std::vector<Resolution> pools;
  for (const auto& p : cluster.pools) {
    pools.push_back(pool_steps(catalog, cluster, p, options));
  }

  std::map<std::string, ClusterComponent> components;
  Provenance provenance;
  std::vector<Json> overridden(pools.size(), Json::array());
  std::map<std::string, std::vector<PoolPart>> parts;  // component -> the pools that need it
  for (size_t i = 0; i < pools.size(); ++i) {
    const std::string& pool = cluster.pools[i].name;
    Resolution& r = pools[i];
    for (auto& [name, mc] : r.enabled) {
      parts[name].push_back(PoolPart{i, pool, &mc.values, &r.merged.provenance});
      const Selection& sel = r.selections.at(name);
      auto it = components.find(name);
      if (it == components.end()) {
        components.emplace(name, ClusterComponent{mc, &sel, pool});
        continue;
      }
      ClusterComponent& cc = it->second;
      if (cc.selection->chosen->version != sel.chosen->version) {
        throw version_conflict(name, cc.pool, *cc.selection, cc.merged, pool, sel, mc);
      }
      std::set<std::string> per_pool;
      for (const auto& path : per_pool_paths(catalog.components.at(name))) {
        per_pool.insert(values_field(name, path));
      }
      merge_pool_values(cc.merged.values, mc.values, core::child(core::child("components", name), "values"),
                        r.merged.provenance, overridden[i], per_pool);
      for (const auto& m : mc.manifests) {
        if (std::find(cc.merged.manifests.begin(), cc.merged.manifests.end(), m) == cc.merged.manifests.end()) {
          cc.merged.manifests.push_back(m);
        }
      }
    }
  }
  // History: later pools first, so that the newest entry of a value is the pool whose value was kept.
  for (auto r = pools.rbegin(); r != pools.rend(); ++r) {
    for (const auto& [path, entries] : r->merged.provenance) {
      auto& out = provenance[path];
      for (const auto& e : entries) {
        if (std::find(out.begin(), out.end(), e) == out.end()) {
          out.push_back(e);
        }
      }
    }
  }

  // Values the pools may set for their own nodes (the components' spec.perPool).
  std::vector<PoolSettings> pool_settings(pools.size());
  std::map<std::string, Json> pool_manifests;
  for (auto& [name, cc] : components) {
    if (parts[name].size() > 1) {
      apply_pool_settings(catalog, name, parts[name], cc.merged.values, provenance, pool_settings,
                          pool_manifests[name]);
    }
  }

  std::map<std::string, std::vector<std::string>> deps;
  for (const auto& [name, cc] : components) {
    auto& d = deps[name];
    for (const auto& [req, range] : cc.selection->chosen->components) {
      d.push_back(req);
    }
  }
  auto order = deployment_order(deps);

  Json spec = Json::object();
  spec["criteria"] = criteria_json(cluster);
  spec["catalogDigest"] = catalog.digest;
  Json overlays = Json::array();
  std::set<std::string> used;
  std::vector<std::string> uncovered;
  std::set<std::string> unmatched_keys;
  Json pool_list = Json::array();
  Json advisories = Json::array();
  for (size_t i = 0; i < pools.size(); ++i) {
    const Resolution& r = pools[i];
    Json names = Json::array();
    for (const Overlay* o : r.overlays) {
      names.push_back(o->name);
      if (std::find(overlays.begin(), overlays.end(), o->name) == overlays.end()) {
        overlays.push_back(o->name);
      }
    }
    for (const auto& [k, v] : r.criteria.fields) {
      if (k != "kubernetes" && !r.used.contains(k)) {
        unmatched_keys.insert(k);
      }
    }
    for (const auto& k : r.uncovered) {
      if (std::find(uncovered.begin(), uncovered.end(), k) == uncovered.end()) {
        uncovered.push_back(k);
      }
    }
    Json constraints = Json::array();
    for (const auto& [name, c] : r.merged.constraints) {
      constraints.push_back(Json{{"name", name}, {"value", c.value}, {"source", c.origin.source()}});
    }
    Json needs = Json::array();
    for (const auto& [name, mc] : r.enabled) {
      needs.push_back(name);
    }
    Json entry = {{"name", cluster.pools[i].name},
                  {"criteria", criteria_json(r.criteria)},
                  {"nodeSelector", {{pool_label(), cluster.pools[i].name}}},
                  {"overlays", names},
                  {"constraints", constraints},
                  {"components", needs}};
    if (!overridden[i].empty()) {
      entry["overridden"] = overridden[i];
    }
    if (!pool_settings[i].settings.empty()) {
      entry["settings"] = pool_settings[i].settings;
    }
    if (!pool_settings[i].node_labels.empty()) {
      entry["nodeLabels"] = pool_settings[i].node_labels;
    }
    pool_list.push_back(std::move(entry));
    for (auto& a : advisories_json(catalog, r.criteria, r.hits)) {
      bool seen = std::any_of(advisories.begin(), advisories.end(), [&a](const Json& b) { return b["name"] == a["name"]; });
      if (!seen) {
        advisories.push_back(std::move(a));
      }
    }
  }
  std::sort(advisories.begin(), advisories.end(), [](const Json& a, const Json& b) { return a["name"] < b["name"]; });
  spec["overlays"] = overlays;
  Json unmatched = Json::array();
  for (const auto& k : criteria_keys()) {
    if (unmatched_keys.contains(k)) {
      unmatched.push_back(k);
    }
  }
  spec["unmatchedCriteria"] = unmatched;
  if (!uncovered.empty()) {
    spec["partial"] = Json{{"uncovered", uncovered}};
  }
  spec["constraints"] = Json::array();  // each pool's are under spec.pools
  Json comps = Json::array();
  Json prov_out = Json::object();
  for (const auto& [name, cc] : components) {
    Json c = component_json(catalog, name, cc.merged, *cc.selection, provenance, prov_out);
    for (const auto& m : pool_manifests[name]) {
      c["manifests"].push_back(m);
    }
    comps.push_back(std::move(c));
  }
  spec["components"] = comps;
  spec["deploymentOrder"] = order;
  spec["advisories"] = advisories;
  spec["provenance"] = prov_out;
  spec["pools"] = pool_list;

  Json recipe = {{"apiVersion", "galley.dev/v1alpha1"},
                 {"kind", "Recipe"},
                 {"metadata", {{"name", pools_name(cluster)}}},
                 {"spec", spec}};
  recipe["metadata"]["digest"] = recipe_digest(recipe);
  return recipe;
}

}  // namespace galley::resolver
