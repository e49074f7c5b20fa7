#pragma once
// RFC 3161 timestamps over a signature: queries, responses, TSA chains (timestamp.cpp); internal to attest/.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attest/attest.hpp"

namespace galley::attest {

std::string timestamp_request(std::string_view signature, bool with_nonce);
// Parses a DER TimeStampResp; checks status granted and that it covers `signature` (SHA-256,
// -384 or -512 imprint). Returns its genTime. Throws core::Error(bad_input) saying what is wrong.
std::int64_t check_timestamp_response(std::string_view response, std::string_view signature);
// POSTs the DER TimeStampReq `query` to the TSA at `url` (http:// will do: the response is signed;
// https:// trusts the CAs of `ca_file`, "" = the system's) and returns the body of its 200 answer,
// unchecked. Throws core::Error: bad_input for a URL that is not http(s)://HOST[:PORT][/PATH] or
// carries credentials; io when the TSA is unreachable, its certificate is refused, it answers
// another status, or sends more than 1 MiB.
std::string request_timestamp(const std::string& url, const std::string& query, const std::string& ca_file = "");
// Verifies a TimeStampResp against a TSA chain at its own genTime, signer pinned to the chain's
// leaf. Returns genTime, or an error message.
struct TimestampResult {
  std::optional<std::int64_t> time;
  std::string error;
};
TimestampResult verify_timestamp(std::string_view response, std::string_view signature, const TrustedTsa& tsa);

// "" when `pem` is a TSA certificate and its issuers up to one self-signed root; else what is wrong.
std::string tsa_chain_problem(const std::string& pem);

}  // namespace galley::attest
