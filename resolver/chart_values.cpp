#include "resolver/chart_values.hpp"

#include <algorithm>

#include "core/embedded.hpp"
#include "core/error.hpp"
#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"

namespace galley::resolver {

namespace {
std::optional<std::string_view> embedded(const std::string& file) {
  for (const auto& f : chart_values_data::files()) {
    if (f.path == file) {
      return f.bytes;
    }
  }
  return std::nullopt;
}

using core::Json;

// `schema` with its local "$ref"s ("#/$defs/x", "#/definitions/x") followed within `root`.
const Json* deref(const Json* root, const Json* schema) {
  for (int hops = 0; schema != nullptr && root != nullptr && schema->is_object() && schema->contains("$ref") && hops < 32;
       ++hops) {
    const Json& ref = (*schema)["$ref"];
    if (!ref.is_string() || !ref.get<std::string>().starts_with("#/")) {
      break;
    }
    Json::json_pointer pointer(ref.get<std::string>().substr(1));
    if (!root->contains(pointer)) {
      break;
    }
    schema = &(*root)[pointer];
  }
  return schema;
}

// Does the chart's values.schema.json allow `key` at this point? `schema` is the object schema
// reached so far (nullptr: no schema), `root` the whole schema its "$ref"s point into. Sets `next`
// to the key's own schema when it has one.
bool schema_allows(const Json* root, const Json* schema, const std::string& key, const Json*& next) {
  next = nullptr;
  schema = deref(root, schema);
  if (schema == nullptr || !schema->is_object()) {
    return false;
  }
  if (schema->contains("properties") && (*schema)["properties"].contains(key)) {
    next = deref(root, &(*schema)["properties"][key]);
    return true;
  }
  if (schema->contains("patternProperties")) {
    return true;  // keys matched by pattern: left to helm's own schema check
  }
  return !schema->contains("additionalProperties") || (*schema)["additionalProperties"] != false;
}

// Walks `values` beside the chart's defaults and schema, collecting the keys neither knows.
void walk_keys(const Json& v, const Json& chart, const Json* root, const Json* schema,
               const std::vector<std::string>& skip, std::vector<std::string>& keys,
               std::vector<UnknownValuesKey>& out) {
  if (!v.is_object()) {
    return;
  }
  for (const auto& [k, child] : v.items()) {
    if (std::find(skip.begin(), skip.end(), k) != skip.end()) {
      continue;  // validated by the subchart
    }
    keys.push_back(k);
    const Json* next_schema = nullptr;
    bool in_chart = chart.is_object() && chart.contains(k);
    bool in_schema = schema_allows(root, schema, k, next_schema);
    if (!in_chart && !in_schema) {
      std::vector<std::string> known;
      if (chart.is_object()) {
        for (const auto& [name, unused] : chart.items()) {
          known.push_back(name);
        }
      }
      out.push_back({keys, core::closest(k, known)});
    } else {
      const Json& chart_child = in_chart ? chart[k] : Json();
      bool free_form = in_chart && (chart_child.is_null() || (chart_child.is_object() && chart_child.empty()));
      if (child.is_object() && !free_form && (chart_child.is_object() || next_schema != nullptr)) {
        static const Json k_empty = Json::object();
        walk_keys(child, chart_child.is_object() ? chart_child : k_empty, root, next_schema, {}, keys, out);
      }
    }
    keys.pop_back();
  }
}

}  // namespace

std::vector<UnknownValuesKey> unknown_values_keys(const Json& chart, const Json* schema,
                                                  const std::vector<std::string>& subcharts, const Json& values) {
  std::vector<UnknownValuesKey> out;
  std::vector<std::string> keys;
  walk_keys(values, chart, schema, schema, subcharts, keys, out);
  return out;
}

std::vector<std::string> chart_subcharts(const std::string& component) {
  static const std::shared_ptr<const Catalog> k_catalog = load_catalog(std::vector<CatalogSource>{embedded_source()});
  auto it = k_catalog->components.find(component);
  if (it == k_catalog->components.end()) {
    return {};
  }
  return it->second.spec.value("subcharts", std::vector<std::string>{});
}

std::optional<core::Document> chart_values(const std::string& component) {
  std::string file = "charts/" + component + ".yaml";
  auto bytes = embedded(file);
  if (!bytes) {
    return std::nullopt;
  }
  return core::parse_yaml(*bytes, "recipes/" + file);
}

std::optional<core::Json> chart_values_schema(const std::string& component) {
  std::string file = "charts/" + component + ".schema.json";
  auto bytes = embedded(file);
  if (!bytes) {
    return std::nullopt;
  }
  try {
    return core::Json::parse(*bytes);
  } catch (const core::Json::exception& e) {
    throw core::Error(core::Exit::bad_input, core::Where{"recipes/" + file, 0, ""}, e.what());
  }
}

}  // namespace galley::resolver
