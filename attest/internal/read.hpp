#pragma once
// Reading the documents a bundle folder holds (read.cpp); internal to attest/.
#include <string>
#include <string_view>

#include "bundle/folder.hpp"
#include "core/document.hpp"
#include "core/yaml_fast.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::attest {

using core::read_yaml_fast;
// A document read fast when possible, schema-checked as `kind` (nullptr = none); a failure is
// reported by core::parse_yaml and core::check_schema, with lines. Throws core::Error(bad_input).
core::Document read_document(std::string_view text, const std::string& name, const char* kind);
// The same for a Recipe, checked by resolver::check_recipe (schema and digest), read into its view.
resolver::RecipeView read_recipe(std::string_view text, const std::string& name);

// DIR as signing and verifying see it (bundle/folder.hpp): every file hashed, the attestation left
// out, a problem line for each symlink or special file. Throws core::Error(io) when DIR cannot be listed.
bundle::Folder scan_folder(const std::string& dir);
// Reads and schema-checks DIR/bundle.yaml, once bundle::require_bundle_folder accepts DIR. Throws core::Error.
core::Document read_manifest(const std::string& dir);

}  // namespace galley::attest
