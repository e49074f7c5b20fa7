#pragma once
// A fast reader for the YAML galley writes itself (recipes, bundle.yaml), on libyaml. It is a fast
// path only: parse_yaml (document.hpp) stays the authority for limits, checks and messages.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/document.hpp"

namespace galley::core {

// Plain block YAML as galley writes it, read with libyaml; nullopt for anything else (anchors,
// aliases, tags, several documents, duplicate or non-scalar keys, a parse error).
std::optional<Json> read_yaml_fast(std::string_view text);

// The document read fast when possible and accepted by `check`; otherwise read with parse_yaml and
// checked again, so that a failure names lines. A fast-read document has no line table.
// Throws what parse_yaml and `check` throw.
Document read_checked(std::string_view text, const std::string& name,
                      const std::function<void(const Document&)>& check);

}  // namespace galley::core
