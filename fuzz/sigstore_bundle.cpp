// Fuzz target: Sigstore bundles with their DSSE envelope (attestation.sigstore.json).
#include "attest/internal/envelope.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) { galley::attest::parse_sigstore(input, "fuzz.sigstore.json"); }
