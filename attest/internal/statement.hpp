#pragma once
// The in-toto statement with its SLSA provenance predicate (statement.cpp); internal to attest/.
#include <map>
#include <string>

#include "attest/attest.hpp"
#include "core/document.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::attest {

inline constexpr const char* k_statement_type = "https://in-toto.io/Statement/v1";
inline constexpr const char* k_predicate_type = "https://slsa.dev/provenance/v1";
inline constexpr const char* k_build_type = "https://galley.dev/bundle/v1";

// The statement over subjects (path -> sha256 hex), bundle.yaml's values and recipe.yaml's view.
std::string statement_from(const std::map<std::string, std::string>& digests, const core::Json& manifest,
                           const resolver::RecipeView& recipe, const SignOptions& options);

}  // namespace galley::attest
