// Fuzz target: the libyaml fast reader; whatever it accepts, parse_yaml must read the same value.
#include <cstdlib>

#include "core/document.hpp"
#include "core/yaml_fast.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  auto fast = galley::core::read_yaml_fast(input);
  if (!fast) {
    return;
  }
  galley::core::Document slow = galley::core::parse_yaml(input, "fuzz.yaml");
  if (slow.value != *fast) {
    std::abort();  // the two readers disagree
  }
}
