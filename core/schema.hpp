#pragma once
// Checks documents against the embedded JSON Schemas (draft 7, valijson).
#include <string>
#include <utility>
#include <vector>

#include "core/document.hpp"

namespace galley::core {

// The document kinds that have a schema: Registry, Component, Overlay, OverlayPatch, Advisory,
// Criteria, Recipe (and more as later issues add them).
bool has_schema(const std::string& kind);

// Checks `doc` against the schema of `kind`; apiVersion and kind must match exactly.
// Throws core::Error(bad_input) listing every problem as "file:line: field: message".
void check_schema(const Document& doc, const std::string& kind);

// Reads `doc`'s kind (after checking apiVersion) and checks it against that kind's schema,
// which must be one of `allowed`. Returns the kind.
std::string check_document(const Document& doc, const std::vector<std::string>& allowed);

// Only the apiVersion and kind checks of check_document(), for documents whose schema check already
// ran (the embedded catalog is checked when the binary is built). Returns the kind.
std::string check_kind(const Document& doc, const std::vector<std::string>& allowed);

// Checks `value` against `schema`, any JSON Schema (draft 7) such as a Helm chart's
// values.schema.json. Returns each problem as (field path, message); empty when `value` is valid.
// Throws core::Error(bad_input) when valijson cannot read `schema`.
std::vector<std::pair<std::string, std::string>> schema_problems(const Json& schema, const Json& value);

inline constexpr const char* k_api_version = "galley.dev/v1alpha1";

}  // namespace galley::core
