#pragma once
// A small in-memory catalog for resolver tests, and helpers to vary it.
#include <string>

#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"

namespace galley::test {

// A catalog document's text: the apiVersion, `kind` and metadata.name lines, then "spec:" and
// `spec` (its lines indented by two spaces, ending in a newline). Line numbers inside `spec` are
// the document's line numbers minus 5.
std::string document(const std::string& kind, const std::string& name, const std::string& spec);

// An OverlayPatch document for overlay `name` that merges `values` (YAML, unindented) into the
// values of `component`; the first line of `values` is line 9 of the document.
std::string values_patch(const std::string& name, const std::string& component, const std::string& values);

// The base test catalog: registry, 4 components, overlays base -> eks -> eks-training ->
// eks-h100-training, gke, values files and one advisory.
resolver::CatalogSource small_catalog();

std::shared_ptr<const resolver::Catalog> load(const resolver::CatalogSource& source);

resolver::Criteria criteria(std::initializer_list<std::pair<const std::string, std::string>> fields);

// The recipe of the small catalog for service eks, intent training, Kubernetes 1.34.
core::Json eks_training_recipe();

}  // namespace galley::test
