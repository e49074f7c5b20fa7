#pragma once
// The Sigstore bundle v0.3 with one DSSE signature (envelope.cpp); internal to attest/.
#include <string>
#include <string_view>
#include <vector>

#include "attest/attest.hpp"

namespace galley::attest {

inline constexpr const char* k_payload_type = "application/vnd.in-toto+json";

// A Sigstore bundle v0.3 with one DSSE signature, read back.
struct Envelope {
  std::string media_type;
  std::string hint;
  std::string payload_type;
  std::string payload;    // decoded statement bytes
  std::string keyid;
  std::string signature;  // decoded signature bytes
  std::vector<std::string> timestamps;  // decoded DER TimeStampResp each
};
std::string sigstore_json(const Envelope& envelope);
// Throws core::Error(check_failed) naming the first thing that is malformed.
Envelope parse_sigstore(std::string_view text, const std::string& name);
// Signs the statement: the whole envelope, without timestamps yet.
Envelope sign_statement(const std::string& statement, const SigningKey& key);

}  // namespace galley::attest
