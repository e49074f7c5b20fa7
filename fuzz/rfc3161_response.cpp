// Fuzz target: RFC 3161 timestamp responses (DER), judged against an empty trust list.
#include "attest/internal/timestamp.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  galley::attest::TrustedTsa tsa;
  (void)galley::attest::verify_timestamp(input, "signature", tsa);
}
