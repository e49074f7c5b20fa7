#pragma once
// Safe lookups in JSON that nobody checked (a statement, a tampered recipe); internal to attest/.
#include <initializer_list>
#include <string>

#include "core/document.hpp"

namespace galley::attest {

// The value at a path of object keys, or nullptr when any step is missing or not an object; and its
// text, "" unless a string. They never throw.
inline const core::Json* find_at(const core::Json& root, std::initializer_list<const char*> keys) {
  const core::Json* at = &root;
  for (const char* key : keys) {
    if (!at->is_object()) {
      return nullptr;
    }
    auto it = at->find(key);
    if (it == at->end()) {
      return nullptr;
    }
    at = &*it;
  }
  return at;
}
inline std::string text_at(const core::Json& root, std::initializer_list<const char*> keys) {
  const core::Json* at = find_at(root, keys);
  return at != nullptr && at->is_string() ? at->get<std::string>() : "";
}
// The JSON text of the value at the path, or "(missing)": for messages.
inline std::string shown_at(const core::Json& root, std::initializer_list<const char*> keys) {
  const core::Json* at = find_at(root, keys);
  return at != nullptr ? at->dump() : "(missing)";
}

}  // namespace galley::attest
