#pragma once
// Operations on Recipe documents: load with digest check, select a path, explain, diff.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"

namespace galley::resolver {

// "sha256:<hex>" over the canonical JSON of `doc` without metadata.digest.
std::string recipe_digest(const core::Json& doc);

// Checks a Recipe document: schema, and that metadata.digest matches its content.
// Throws core::Error(bad_input).
void check_recipe(const core::Document& doc);

// Reads the Recipe at `path` ("-" = standard input, named <stdin>; at most 64 MiB) and checks it
// with check_recipe, then with `also` when given. Recipes are galley's own YAML: read with the fast
// reader, and again with parse_yaml when a check fails, so that the message names lines. The one
// way to read a recipe file. Throws core::Error: not_found, io, bad_input (and what `also` throws).
core::Document read_recipe(const std::string& path,
                           const std::function<void(const core::Document&)>& also = nullptr);

// The criteria a partial recipe leaves uncovered (spec.partial.uncovered); empty for a full recipe.
std::vector<std::string> uncovered_criteria(const core::Json& recipe);

// Refuses a partial recipe unless `allowed`. Throws core::Error(bad_input) naming the option field
// allow-partial and the criteria left uncovered.
void refuse_partial(const core::Json& recipe, bool allowed);

// The recipe seen by path: spec fields with components keyed by name
// ("components.gpu-operator.values.driver.version", "criteria.service", "deploymentOrder[0]").
core::Json recipe_view(const core::Json& recipe);

// The value at `path` in recipe_view(recipe), or nullopt. Throws core::Error(bad_input) for a
// malformed path.
std::optional<core::Json> select(const core::Json& recipe, const std::string& path);

// The value at `path` and where it came from, most recent first:
// {path, value, history: [{value, source}], selection?}. nullopt when the path is absent.
std::optional<core::Json> explain(const core::Json& recipe, const std::string& path);

// Differences between two recipes: {components: {added, removed, changed: [{name, from, to}]},
// values: [{path, from, to, change}], fields: [{path, from, to, change}] (every other field of the
// spec: criteria, constraints, overlays, advisories, deployment order, catalog digest, the other
// fields of components in both; not provenance), differ: whether any list is not empty, from, to},
// each list sorted. Throws nothing for checked recipes.
core::Json diff(const core::Json& a, const core::Json& b);

// The names of the recipe's advisories (spec.advisories, which keeps them all) worth a warning:
// those that changed the outcome or apply to what was chosen. An end-of-life advisory always (it
// matched the criteria); an exclusion only where an excluded version is newer than the version
// chosen for its component (the solver prefers newer versions, so the exclusion decided the
// choice) or the component was left out. Judged by the typed fields, never the English. Throws
// nothing for a checked recipe.
std::vector<std::string> advisories_to_warn(const core::Json& recipe);

}  // namespace galley::resolver
