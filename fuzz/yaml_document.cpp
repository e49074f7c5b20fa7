// Fuzz target: core::parse_yaml and parse_yaml_stream (documents built from libyaml events
// after the streaming limit check).
#include "core/document.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  try {
    galley::core::parse_yaml(input, "fuzz.yaml");
  } catch (const galley::core::Error&) {
  }
  galley::core::parse_yaml_stream(input, "fuzz.yaml");
}
