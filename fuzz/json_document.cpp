// Fuzz target: core::parse_json (snapshots, kubectl output, OCI manifests and indexes, docker config).
#include "core/document.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  galley::core::parse_json(input, "fuzz.json", {"managedFields"});
}
