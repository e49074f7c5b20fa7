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

// A fast reader: the value of `text` without a line table, or nullopt to leave it to parse_yaml.
// It may throw core::Error for text that no reader would accept (a JSON syntax error).
using FastReader = std::function<std::optional<Json>(std::string_view text)>;

// How read_checked reads fast: read_yaml_fast unless told; a fast-read document that `check`
// refuses is read again with parse_yaml (for lines in the message) only up to `reread_limit` bytes;
// above it the fast read's error stands. A fast-read document has no line table, or with
// `root_line` the root's line (1) only, so that its errors name line 1.
struct FastRead {
  FastReader read = read_yaml_fast;
  size_t reread_limit = static_cast<size_t>(-1);
  bool root_line = false;
};

// The document read fast when possible and accepted by `check`; otherwise read with parse_yaml and
// checked again, so that a failure names lines.
// Throws what the readers and `check` throw.
Document read_checked(std::string_view text, const std::string& name,
                      const std::function<void(const Document&)>& check, const FastRead& fast = {});

}  // namespace galley::core
