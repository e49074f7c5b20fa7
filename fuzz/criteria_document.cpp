// Fuzz target: criteria files.
#include "core/document.hpp"
#include "core/schema.hpp"
#include "fuzz/harness.hpp"
#include "resolver/resolver.hpp"

void galley_fuzz_one(std::string_view input) {
  galley::core::Document doc = galley::core::parse_yaml(input, "criteria.yaml");
  galley::core::check_document(doc, {"Criteria"});
  (void)galley::resolver::read_criteria(doc);
}
