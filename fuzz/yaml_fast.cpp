// Fuzz target: the libyaml fast reader; whatever it accepts, parse_yaml must accept and read as the
// same value (a refusal by parse_yaml of what the fast reader took is a disagreement too).
#include <cstdlib>

#include "core/document.hpp"
#include "core/yaml_fast.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  auto fast = galley::core::read_yaml_fast(input);
  if (!fast) {
    return;
  }
  galley::core::Json slow;
  try {
    slow = galley::core::parse_yaml(input, "fuzz.yaml").value;
  } catch (const galley::core::Error&) {
    std::abort();  // the fast reader took what parse_yaml refuses
  }
  if (slow != *fast) {
    std::abort();  // the two readers disagree
  }
}
