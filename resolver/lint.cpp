// Catalog lint and leaf statistics.
#include <set>

#include "core/error.hpp"
#include "resolver/chart_values.hpp"
#include "resolver/images.hpp"
#include "resolver/internal/steps.hpp"

namespace galley::resolver {

using core::Json;

std::vector<std::string> leaf_overlays(const Catalog& catalog) {
  std::set<std::string> bases;
  for (const auto& [name, o] : catalog.overlays) {
    if (o.base) {
      bases.insert(*o.base);
    }
  }
  std::vector<std::string> leaves;
  for (const auto& [name, o] : catalog.overlays) {
    if (!o.criteria.empty() && !bases.contains(name)) {
      leaves.push_back(name);
    }
  }
  return leaves;
}

namespace {

Criteria leaf_criteria(const Overlay& o) {
  Criteria c;
  c.fields = o.criteria;
  return c;
}

void lint_values(const Catalog& catalog, const Overlay& o, std::vector<std::string>& problems) {
  for (const auto& ref : o.refs) {
    const Component& comp = catalog.components.at(ref.name);
    bool sets_values = ref.values.has_value() || !ref.values_files.empty();
    if (!sets_values) {
      continue;
    }
    auto chart = chart_values(ref.name);
    if (!chart) {
      problems.push_back(ref.origin.source() + ": " + ref.origin.path + ": sets values for " + ref.name +
                         ", whose upstream values.yaml is not in recipes/charts/");
      continue;
    }
    auto schema = chart_values_schema(ref.name);
    auto subcharts = comp.spec.value("subcharts", std::vector<std::string>{});
    auto check = [&](const Json& values, const core::Document& doc, const std::string& doc_path) {
      for (const auto& unknown : unknown_values_keys(chart->value, schema ? &*schema : nullptr, subcharts, values)) {
        std::string field = doc_path;
        std::string key;
        for (const auto& k : unknown.keys) {
          field = core::child(field, k);
          key = core::child(key, k);
        }
        problems.push_back(core::Where{doc.name, doc.line_of(field), field}.str() + ": key \"" + key +
                           "\" does not exist in " + ref.name + "'s upstream values.yaml");
      }
    };
    for (const auto& file : ref.values_files) {
      const core::Document& doc = catalog.documents.at(file);
      check(doc.value, doc, "");
    }
    if (ref.values) {
      check(*ref.values, *o.doc, core::child(ref.origin.path, "values"));
    }
  }
}

void lint_versions(const Catalog& catalog, const Overlay& o, std::vector<std::string>& problems) {
  for (const auto& ref : o.refs) {
    if (!ref.version) {
      continue;
    }
    const Component& comp = catalog.components.at(ref.name);
    bool any = std::any_of(comp.versions.begin(), comp.versions.end(),
                           [&](const ComponentVersion& v) { return ref.version->range.contains(v.parsed); });
    if (!any) {
      std::string f = core::child(ref.origin.path, "version");
      problems.push_back(core::Where{o.doc->name, o.doc->line_of(f), f}.str() + ": \"" + ref.version->text +
                         "\" matches none of the versions the catalog lists for " + ref.name);
    }
  }
}

size_t count_scalars(const Json& v) {
  if (v.is_object() || v.is_array()) {
    size_t n = 0;
    for (const auto& child : v) {
      n += count_scalars(child);
    }
    return n;
  }
  return 1;
}

// Every component of the embedded catalog has an image list (its images, or spec.noImages), so no
// component's images are silently missing from `galley images`, a mirror or a lock.
void lint_image_list_presence(const Catalog& catalog, std::vector<std::string>& problems) {
  for (const auto& [name, comp] : catalog.components) {
    if (comp.file.starts_with("recipes/components/") && !has_image_list(name)) {
      problems.push_back(comp.file + ": " + name + " has no image list: write recipes/images/" + name +
                         ".yaml (spec.images, or spec.noImages when it deploys no container image)");
    }
  }
}

// Every component version a leaf recipe pins is one its image list holds for.
void lint_image_list_coverage(const Overlay& leaf, const Json& recipe, std::vector<std::string>& problems) {
  for (const auto& c : recipe["spec"]["components"]) {
    std::string name = c["name"];
    std::string version = c["version"];
    if (has_image_list(name) && !image_list_covers(name, version)) {
      problems.push_back(leaf.doc->name + ": leaf " + leaf.name + ": " + name + " " + version +
                         " is not in recipes/images/" + name + ".yaml spec.versions");
    }
  }
}

}  // namespace

std::vector<std::string> lint_catalog(const Catalog& catalog) {
  std::vector<std::string> problems;
  for (const auto& [name, o] : catalog.overlays) {
    lint_versions(catalog, o, problems);
    lint_values(catalog, o, problems);
  }
  for (const auto& p : catalog.patch_docs) {
    lint_versions(catalog, p, problems);
    lint_values(catalog, p, problems);
  }
  std::map<std::string, std::vector<std::string>> versions;
  std::map<std::string, std::vector<std::string>> subcharts;
  for (const auto& [name, comp] : catalog.components) {
    for (const auto& v : comp.versions) {
      versions[name].push_back(v.version);
    }
    subcharts[name] = comp.spec.value("subcharts", std::vector<std::string>{});
  }
  bool embedded = catalog.documents.contains("recipes/registry.yaml");  // the image lists go with it
  if (embedded) {
    for (auto& p : lint_image_lists(versions, subcharts)) {
      problems.push_back(std::move(p));
    }
    lint_image_list_presence(catalog, problems);
  }
  for (const auto& leaf : leaf_overlays(catalog)) {
    const Overlay& o = catalog.overlays.at(leaf);
    try {
      // Resolving runs every rule, one provider per capability on a pool (spec.provides) among them.
      Json recipe = resolve(catalog, leaf_criteria(o));
      if (embedded) {
        lint_image_list_coverage(o, recipe, problems);
      }
    } catch (const core::Error& e) {
      std::string why = e.lines().front();
      for (size_t i = 1; i < e.lines().size() && i < 4; ++i) {
        why += ";" + e.lines()[i];
      }
      problems.push_back(o.doc->name + ": leaf " + leaf + " does not resolve: " + why);
    }
  }
  return problems;
}

Json leaf_stats(const Catalog& catalog) {
  Json out = Json::array();
  for (const auto& leaf : leaf_overlays(catalog)) {
    const Overlay& o = catalog.overlays.at(leaf);
    Json recipe = resolve(catalog, leaf_criteria(o));
    size_t values = 0;
    for (const auto& c : recipe["spec"]["components"]) {
      values += count_scalars(c["values"]);
    }
    // Other accelerators whose leaves share this leaf's service and OS: the pools it can sit beside
    // in one cluster (--pool), e.g. H100 training beside L40S inference on EKS.
    std::set<std::string> peers;
    for (const auto& other : leaf_overlays(catalog)) {
      const auto& oc = catalog.overlays.at(other).criteria;
      auto same = [&](const char* key) {
        auto a = o.criteria.find(key);
        auto b = oc.find(key);
        return (a == o.criteria.end()) == (b == oc.end()) && (a == o.criteria.end() || a->second == b->second);
      };
      auto acc = oc.find("accelerator");
      auto mine = o.criteria.find("accelerator");
      if (same("service") && same("os") && acc != oc.end() && (mine == o.criteria.end() || acc->second != mine->second)) {
        peers.insert(acc->second);
      }
    }
    out.push_back(Json{{"name", leaf},
                       {"components", recipe["spec"]["components"].size()},
                       {"values", values},
                       {"maturity", o.doc->value["spec"].value("maturity", "preview")},
                       {"poolsWith", peers}});
  }
  return out;
}

}  // namespace galley::resolver
