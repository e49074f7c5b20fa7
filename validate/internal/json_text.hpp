#pragma once
// JSON text -> value, fast (nlohmann directly, no line map), with the same limits as
// core::parse_yaml: size, nesting depth and value count are checked by one byte scan first.
#include <set>
#include <string>
#include <string_view>

#include "core/document.hpp"

namespace galley::validate {

// Throws core::Error(bad_input) naming `name` and the line of a syntax error. Keys in `drop` are left
// out wherever they occur (Kubernetes' managedFields, annotations, images: large and never used).
core::Json parse_json(std::string_view text, const std::string& name, const std::set<std::string>& drop = {},
                      const core::ReadLimits& limits = {});

// True when the text's first non-blank character opens a JSON object or array.
bool looks_like_json(std::string_view text);

}  // namespace galley::validate
