#pragma once
// A small in-memory catalog for resolver tests, and helpers to vary it.
#include <string>

#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"

namespace galley::test {

// The base test catalog: registry, 4 components, overlays base -> eks -> eks-training ->
// eks-h100-training, gke, values files and one advisory.
resolver::CatalogSource small_catalog();

std::shared_ptr<const resolver::Catalog> load(const resolver::CatalogSource& source);

resolver::Criteria criteria(std::initializer_list<std::pair<const std::string, std::string>> fields);

}  // namespace galley::test
