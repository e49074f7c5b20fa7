// resolve(): the steps in order, then the Recipe document.
#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "resolver/internal/steps.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;
using core::Json;

namespace {

// The recipe's name from the criteria it honours (never one in `uncovered`).
std::string recipe_name(const Criteria& c, const std::vector<std::string>& uncovered) {
  std::string name;
  for (const char* key : {"service", "accelerator", "os", "intent", "platform"}) {
    auto it = c.fields.find(key);
    if (it != c.fields.end() && std::find(uncovered.begin(), uncovered.end(), key) == uncovered.end()) {
      name += (name.empty() ? "" : "-") + it->second;
    }
  }
  name = name.substr(0, 63);
  while (!name.empty() && name.back() == '-') {
    name.pop_back();  // a DNS label may not end in '-'
  }
  return name.empty() ? "generic" : name;
}

bool eol_applies(const Advisory& a, const Criteria& c) {
  if (a.eol_criteria.empty()) {
    return false;
  }
  for (const auto& [k, v] : a.eol_criteria) {
    auto it = c.fields.find(k);
    if (it == c.fields.end() || it->second != v) {
      return false;
    }
  }
  return true;
}

// What an advisory did to the recipe: the English `effect` for people, and the same as fields
// (excluded, eolDate, warnFrom) for programs (validate reads those, never the English).
struct Effects {
  std::vector<std::string> text;
  Json excluded = Json::array();  // [{component, version}], in the order the solver met them
  const Advisory* eol = nullptr;
};

}  // namespace

Json advisories_json(const Catalog& catalog, const Criteria& criteria, const std::vector<AdvisoryHit>& hits) {
  std::map<std::string, Effects> effects;
  for (const auto& h : hits) {
    auto& e = effects[h.advisory->name];
    std::string text = "excluded " + h.component + " " + h.version;
    if (std::find(e.text.begin(), e.text.end(), text) == e.text.end()) {
      e.text.push_back(text);
      e.excluded.push_back(Json{{"component", h.component}, {"version", h.version}});
    }
  }
  for (const auto& [name, a] : catalog.advisories) {
    if (eol_applies(a, criteria)) {
      auto& e = effects[name];
      e.text.push_back("end of life on " + a.eol_date + (a.warn_from.empty() ? "" : "; warnings from " + a.warn_from));
      e.eol = &a;
    }
  }
  Json out = Json::array();
  for (const auto& [name, e] : effects) {
    const Json& spec = catalog.advisories.at(name).doc->value["spec"];
    Json entry{{"name", name},
               {"summary", spec["summary"]},
               {"source", spec["source"]},
               {"severity", spec["severity"]},
               {"action", spec["action"]},
               {"effect", core::join(e.text, "; ")},
               {"excluded", e.excluded}};
    if (e.eol != nullptr) {
      entry["eolDate"] = e.eol->eol_date;
      if (!e.eol->warn_from.empty()) {
        entry["warnFrom"] = e.eol->warn_from;
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

namespace {

void collect_leaves(const Json& v, const std::string& path, std::vector<std::string>& out) {
  if (v.is_object() && !v.empty()) {
    for (const auto& [k, child] : v.items()) {
      collect_leaves(child, core::child(path, k), out);
    }
    return;
  }
  out.push_back(path);
}

}  // namespace

Json component_json(const Catalog& catalog, const std::string& name, const MergedComponent& mc,
                    const Selection& sel, const Provenance& prov, Json& provenance_out) {
  const Component& comp = catalog.components.at(name);
  const Json& spec = comp.spec;
  Json c = {{"name", name}, {"type", spec["type"]}, {"version", sel.chosen->version}, {"namespace", spec["namespace"]}};
  for (const char* key : {"chart", "repository", "gpuNodes", "placement"}) {
    if (spec.contains(key)) {
      c[key] = spec[key];
    }
  }
  Json deps = Json::array();
  for (const auto& [req, range] : sel.chosen->components) {
    deps.push_back(req);
  }
  c["dependencies"] = deps;
  if (!sel.chosen->chart_digest.is_null()) {
    c["chartDigest"] = sel.chosen->chart_digest;
  }
  if (!sel.chosen->requires_json.empty()) {
    c["requires"] = sel.chosen->requires_json;
  }
  Json candidates = Json::array();
  for (const auto& v : comp.versions) {
    candidates.push_back(v.version);
  }
  Json rejected = Json::array();
  for (const auto& r : sel.rejected) {
    rejected.push_back(Json{{"version", r.version}, {"reason", r.reason}});
  }
  Json selection = {{"constraint", mc.range ? mc.range->text : "*"}, {"candidates", candidates}, {"rejected", rejected}};
  if (mc.range) {
    selection["source"] = mc.range_origin.source();
  }
  c["selection"] = selection;
  c["values"] = mc.values;
  Json manifests = Json::array();
  for (const auto& path : mc.manifests) {
    manifests.push_back(Json{{"path", path}, {"content", catalog.raw.at(path)}});
  }
  c["manifests"] = manifests;
  Json checks = Json::array();
  for (Json check : spec.value("healthChecks", Json::array())) {
    static const std::set<std::string> k_cluster_scoped = {
        "CustomResourceDefinition", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService"};
    if (!check.contains("namespace") && !k_cluster_scoped.contains(check["kind"].get<std::string>())) {
      check["namespace"] = spec["namespace"];
    }
    checks.push_back(check);
  }
  c["healthChecks"] = checks;
  std::vector<std::string> leaves;
  collect_leaves(mc.values, core::child(core::child("components", name), "values"), leaves);
  for (const auto& leaf : leaves) {
    auto it = prov.find(leaf);
    if (it != prov.end() && !mc.values.empty()) {
      Json history = std::vector<Json>(it->second.rbegin(), it->second.rend());
      provenance_out[leaf] = history;
    }
  }
  return c;
}

namespace {

// The not-found error for criteria the matched overlays leave uncovered: which, and the leaves
// that would match with what each adds (at most ten).
Error uncovered_error(const Catalog& catalog, const Criteria& criteria, const std::vector<std::string>& uncovered,
                      bool specific) {
  std::map<std::string, std::string> given;
  for (const auto& [k, v] : criteria.fields) {
    if (catalog.vocabulary.contains(k)) {
      given[k] = v;
    }
  }
  std::vector<std::string> named;
  for (const auto& k : uncovered) {
    named.push_back(k + " " + given.at(k));
  }
  std::string message = specific ? "no overlay of the catalog covers " + core::join(named, ", ") + " with these criteria"
                                 : "no overlay matches these criteria (only catalog-wide overlays apply)";
  auto candidates = covering_leaves(catalog, given, uncovered);
  if (candidates.empty()) {
    return Error(Exit::not_found, message + "; no leaf has them all: run `galley catalog` to see the leaves");
  }
  constexpr size_t k_shown = 10;
  std::vector<std::string> lines;
  for (size_t i = 0; i < candidates.size() && i < k_shown; ++i) {
    std::vector<std::string> adds;
    for (const auto& [k, v] : candidates[i].additions) {
      adds.push_back(k + " " + v);
    }
    lines.push_back(candidates[i].leaf + (adds.empty() ? "" : ": add " + core::join(adds, ", ")));
  }
  if (candidates.size() > k_shown) {
    lines.push_back("and " + std::to_string(candidates.size() - k_shown) + " more");
  }
  return Error(Exit::not_found, message + "; leaves that would match: " + core::join(lines, "; "));
}

}  // namespace

Resolution run_steps(const Catalog& catalog, const Criteria& given, const ResolveOptions& options) {
  Resolution r;
  r.criteria = normalize_criteria(catalog, given);
  const Criteria& criteria = r.criteria;
  check_criteria(catalog, criteria);
  r.overlays = match_overlays(catalog, criteria.fields);                    // match + order
  bool specific = std::any_of(r.overlays.begin(), r.overlays.end(), [](const Overlay* o) { return !o->criteria.empty(); });
  for (const Overlay* o : r.overlays) {
    for (const auto& [k, v] : o->criteria) {
      r.used.insert(k);
    }
  }
  for (const auto& k : criteria_keys()) {  // the registry's criteria given but depended on by no overlay
    if (criteria.fields.contains(k) && catalog.vocabulary.contains(k) && !r.used.contains(k)) {
      r.uncovered.push_back(k);
    }
  }
  if (!specific || (!r.uncovered.empty() && !options.allow_partial)) {
    throw uncovered_error(catalog, criteria, r.uncovered, specific);
  }
  r.merged = merge_overlays(catalog, r.overlays);                            // merge with provenance
  for (auto& [name, mc] : r.merged.components) {
    if (mc.enabled) {
      r.enabled.emplace(name, std::move(mc));
    }
  }
  r.merged.components.clear();
  check_providers(catalog, r.enabled, r.merged.provenance);                 // one provider per capability
  r.selections = solve_versions(catalog, criteria, r.enabled, r.hits);       // version solving
  return r;
}

Json resolve(const Catalog& catalog, const Criteria& given, const ResolveOptions& options) {
  if (!given.pools.empty()) {
    return resolve_pools(catalog, given, options);
  }
  Resolution r = run_steps(catalog, given, options);
  const Criteria& criteria = r.criteria;
  const auto& overlays = r.overlays;
  const auto& used = r.used;
  const auto& uncovered = r.uncovered;
  const Merged& merged = r.merged;
  const auto& enabled = r.enabled;
  const auto& selections = r.selections;
  const auto& hits = r.hits;
  std::map<std::string, std::vector<std::string>> deps;
  for (const auto& [name, sel] : selections) {
    auto& d = deps[name];
    for (const auto& [req, range] : sel.chosen->components) {
      d.push_back(req);
    }
  }
  auto order = deployment_order(deps);                                        // topological order

  Json spec = Json::object();
  spec["criteria"] = criteria_json(criteria);
  spec["catalogDigest"] = catalog.digest;
  Json names = Json::array();
  for (const Overlay* o : overlays) {
    names.push_back(o->name);
  }
  spec["overlays"] = names;
  Json unmatched = Json::array();
  for (const auto& [k, v] : criteria.fields) {
    if (k != "kubernetes" && !used.contains(k)) {
      unmatched.push_back(k);
    }
  }
  spec["unmatchedCriteria"] = unmatched;
  if (!uncovered.empty()) {
    spec["partial"] = Json{{"uncovered", uncovered}};
  }
  Json constraints = Json::array();
  for (const auto& [name, c] : merged.constraints) {
    constraints.push_back(Json{{"name", name}, {"value", c.value}, {"source", c.origin.source()}});
  }
  spec["constraints"] = constraints;
  Json components = Json::array();
  Json provenance = Json::object();
  for (const auto& [name, mc] : enabled) {
    components.push_back(component_json(catalog, name, mc, selections.at(name), merged.provenance, provenance));
  }
  spec["components"] = components;
  spec["deploymentOrder"] = order;
  spec["advisories"] = advisories_json(catalog, criteria, hits);
  spec["provenance"] = provenance;

  Json recipe = {{"apiVersion", "galley.dev/v1alpha1"},
                 {"kind", "Recipe"},
                 {"metadata", {{"name", recipe_name(criteria, uncovered)}}},
                 {"spec", spec}};
  recipe["metadata"]["digest"] = recipe_digest(recipe);
  return recipe;
}

Json describe_catalog(const Catalog& catalog, const Criteria& given) {
  const Criteria filter = normalize_criteria(catalog, given);
  check_criteria(catalog, filter);
  Json out = Json::object();
  out["criteria"] = catalog.vocabulary;
  Json comps = Json::array();
  for (const auto& [name, c] : catalog.components) {
    Json versions = Json::array();
    for (const auto& v : c.versions) {
      versions.push_back(v.version);
    }
    comps.push_back(Json{{"name", name}, {"versions", versions}, {"description", c.spec.value("description", "")}});
  }
  out["components"] = comps;
  std::set<std::string> bases;
  for (const auto& [name, o] : catalog.overlays) {
    if (o.base) {
      bases.insert(*o.base);
    }
  }
  Json overlays = Json::array();
  for (const auto& [name, overlay] : catalog.overlays) {
    const auto& o = overlay;  // a plain reference: clang 14 cannot capture a structured binding
    bool agrees = std::all_of(filter.fields.begin(), filter.fields.end(), [&o](const auto& f) {
      auto set = o.criteria.find(f.first);
      return set == o.criteria.end() || set->second == f.second;
    });
    if (!agrees) {
      continue;
    }
    const Json& spec = o.doc->value["spec"];
    overlays.push_back(Json{{"name", name},
                            {"base", o.base ? Json(*o.base) : Json()},
                            {"criteria", o.criteria},
                            {"leaf", !bases.contains(name) && !o.criteria.empty()},
                            {"maturity", spec.value("maturity", "preview")},
                            {"evidence", spec.value("evidence", Json::array())},
                            {"source", o.doc->name}});
  }
  out["overlays"] = overlays;
  out["digest"] = catalog.digest;
  return out;
}

Json catalog_leaves(const Catalog& catalog, const Criteria& filter) {
  Json leaves = Json::array();
  Json described = describe_catalog(catalog, filter);
  for (auto& overlay : described["overlays"]) {
    if (overlay["leaf"].get<bool>()) {
      overlay.erase("leaf");
      overlay.erase("base");
      leaves.push_back(std::move(overlay));
    }
  }
  return leaves;
}

}  // namespace galley::resolver
