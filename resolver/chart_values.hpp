#pragma once
// Upstream charts' default values and values schemas, embedded from recipes/charts/
// (<component>.yaml, <component>.schema.json): what lint checks keys against and what render
// checks the types of value overrides against.
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"

namespace galley::resolver {

// The chart's values.yaml for `component`, parsed; nullopt when the catalog has none.
std::optional<core::Document> chart_values(const std::string& component);

// The chart's values.schema.json, when upstream ships one.
std::optional<core::Json> chart_values_schema(const std::string& component);

// A key of a component's values that its upstream chart does not have.
struct UnknownValuesKey {
  std::vector<std::string> keys;  // from the values root to the unknown key, one key per level
  std::string closest;            // the closest key the chart has at that level, or ""
};

// The keys of `values` that the chart (`chart`: its values.yaml; `schema`: its values.schema.json,
// or nullptr) does not have, in document order. Below a key the chart leaves free-form (an empty
// map or null upstream: annotations, labels, extraArgs, ...) any key is allowed, and so is a key
// the schema allows; lists are not entered; top-level keys named in `subcharts` are left to the
// subchart. Throws nothing.
std::vector<UnknownValuesKey> unknown_values_keys(const core::Json& chart, const core::Json* schema,
                                                  const std::vector<std::string>& subcharts, const core::Json& values);

// The subcharts the embedded catalog names for `component` (its spec.subcharts); empty when it
// names none or does not know the component. Throws core::Error only for a broken build.
std::vector<std::string> chart_subcharts(const std::string& component);

}  // namespace galley::resolver
