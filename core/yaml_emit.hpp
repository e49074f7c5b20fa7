#pragma once
// JSON value -> YAML text, deterministic: keys in the value's (sorted) order, two-space indent,
// strings quoted whenever a YAML reader could take them for anything but a string.
#include <string>

#include "core/document.hpp"

namespace galley::core {

std::string to_yaml(const Json& value);

// Canonical JSON: sorted keys, no insignificant whitespace, UTF-8. The input of every digest.
std::string canonical_json(const Json& value);

// Pretty JSON for people (two-space indent, sorted keys, final newline).
std::string to_pretty_json(const Json& value);

}  // namespace galley::core
