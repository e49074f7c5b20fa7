#pragma once
// Telling JSON text from YAML; the JSON reader itself is core::parse_json.
#include <string>
#include <string_view>

#include "core/document.hpp"

namespace galley::validate {

// JSON text is read by core::parse_json (limits enforced while reading).
using core::parse_json;

// True when the text's first non-blank character opens a JSON object or array.
bool looks_like_json(std::string_view text);

}  // namespace galley::validate
