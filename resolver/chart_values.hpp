#pragma once
// Upstream charts' default values and values schemas, embedded from recipes/charts/
// (<component>.yaml, <component>.schema.json): what lint checks keys against and what render
// checks the types of value overrides against.
#include <optional>
#include <string>

#include "core/document.hpp"

namespace galley::resolver {

// The chart's values.yaml for `component`, parsed; nullopt when the catalog has none.
std::optional<core::Document> chart_values(const std::string& component);

// The chart's values.schema.json, when upstream ships one.
std::optional<core::Json> chart_values_schema(const std::string& component);

}  // namespace galley::resolver
