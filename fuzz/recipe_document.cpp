// Fuzz target: recipes (fast reader, parse_yaml, schema and digest check), as read_recipe reads them.
#include "core/document.hpp"
#include "core/yaml_fast.hpp"
#include "fuzz/harness.hpp"
#include "resolver/recipe_doc.hpp"

void galley_fuzz_one(std::string_view input) {
  galley::core::read_checked(input, "recipe.yaml", [](const galley::core::Document& doc) { galley::resolver::check_recipe(doc); });
}
