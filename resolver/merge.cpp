// Merging matched overlays into one set of components, constraints and values, remembering for
// every value which file and line set it and what it replaced.
#include "core/error.hpp"
#include "core/values_merge.hpp"
#include "resolver/chart_values.hpp"
#include "resolver/internal/steps.hpp"

namespace galley::resolver {

using core::Json;

void merge_values(Json& target, const Json& src, const std::string& path, const Origin& origin,
                  Provenance& provenance) {
  core::merge_values(target, src, [&](const std::vector<std::string>& keys, const Json& value) {
    std::string p = path;
    Origin o = origin;
    for (const auto& k : keys) {
      p = core::child(p, k);
      o.path = core::child(o.path, k);
    }
    provenance[p].push_back(Json{{"value", value}, {"source", o.source()}});
  });
}

const Json* value_at(const Json& values, const std::string& path) {
  const Json* v = &values;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!v->is_object() || !v->contains(key)) {
      return nullptr;
    }
    v = &(*v)[key];
    if (dot == std::string::npos) {
      return v;
    }
    start = dot + 1;
  }
}

Json& value_slot(Json& values, const std::string& path) {
  Json* v = &values;
  size_t start = 0;
  while (true) {
    if (!v->is_object()) {
      *v = Json::object();
    }
    size_t dot = path.find('.', start);
    v = &(*v)[path.substr(start, dot == std::string::npos ? std::string::npos : dot - start)];
    if (dot == std::string::npos) {
      return *v;
    }
    start = dot + 1;
  }
}

std::string values_field(const std::string& component, const std::string& path) {
  std::string out = core::child(core::child("components", component), "values");
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    out = core::child(out, path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) {
      return out;
    }
    start = dot + 1;
  }
}

Json ChartDefaults::value(const Json& values, const std::string& path) {
  if (const Json* v = value_at(values, path)) {
    return *v;
  }
  if (!m_read) {
    m_chart = chart_values(m_component);
    m_read = true;
  }
  const Json* v = m_chart ? value_at(m_chart->value, path) : nullptr;
  return v != nullptr ? *v : Json();
}

namespace {

void apply_ref(const Catalog& catalog, const ComponentRef& ref, Merged& m) {
  auto [it, fresh] = m.components.try_emplace(ref.name);
  MergedComponent& c = it->second;
  if (ref.enabled) {
    c.enabled = *ref.enabled;
  }
  if (ref.version) {
    c.range = ref.version;
    c.range_origin = Origin{ref.origin.doc, core::child(ref.origin.path, "version")};
  }
  std::string values_path = core::child(core::child("components", ref.name), "values");
  for (const auto& file : ref.values_files) {
    const core::Document& doc = catalog.documents.at(file);
    if (doc.value.is_object()) {
      merge_values(c.values, doc.value, values_path, Origin{&doc, ""}, m.provenance);
    }
  }
  if (ref.values) {
    merge_values(c.values, *ref.values, values_path, Origin{ref.origin.doc, core::child(ref.origin.path, "values")},
                 m.provenance);
  }
  for (const auto& manifest : ref.manifests) {
    if (std::find(c.manifests.begin(), c.manifests.end(), manifest) == c.manifests.end()) {
      c.manifests.push_back(manifest);
    }
  }
}

void apply_overlay(const Catalog& catalog, const Overlay& o, Merged& m) {
  for (const auto& c : o.constraints) {
    m.constraints.insert_or_assign(c.name, c);
  }
  for (const auto& ref : o.refs) {
    apply_ref(catalog, ref, m);
  }
}

}  // namespace

Merged merge_overlays(const Catalog& catalog, const std::vector<const Overlay*>& overlays) {
  Merged m;
  for (const Overlay* o : overlays) {
    apply_overlay(catalog, *o, m);
    for (const Overlay* patch : o->patches) {
      apply_overlay(catalog, *patch, m);
    }
  }
  return m;
}

}  // namespace galley::resolver
