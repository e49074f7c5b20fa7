// Fuzz target: trust policies (YAML, schema, keys, dates).
#include "attest/attest.hpp"
#include "core/document.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  galley::attest::trust_from_policy(galley::core::parse_yaml(input, "trust.yaml"));
}
