// Tests of attest/timestamp.cpp: RFC 3161 queries, responses refused, TSA URLs refused.
#include <catch2/catch.hpp>

#include "attest/internal/timestamp.hpp"
#include "core/hash.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::attest_test;
using core::Exit;
using core::Json;

TEST_CASE("timestamps: a query over the signature; responses that are not one are refused") {
  std::string query = attest::timestamp_request("signature bytes", true);
  CHECK(query.size() > 40);
  CHECK(query.find(core::sha256_hex("x")) == std::string::npos);
  CHECK(attest::timestamp_request("signature bytes", true) != query);  // a fresh nonce
  CHECK(attest::timestamp_request("signature bytes", false) == attest::timestamp_request("signature bytes", false));
  CHECK(message_of([] { attest::check_timestamp_response("not DER", "sig"); }) == "not a DER TimeStampResp");
  CHECK(message_of([&] { attest::check_timestamp_response(query, "sig"); }) == "not a DER TimeStampResp");
  attest::TimestampResult r = attest::verify_timestamp("not DER", "sig", attest::TrustedTsa{"t", ""});
  CHECK_FALSE(r.time);
  CHECK(r.error == "not a DER TimeStampResp");
  CHECK(attest::tsa_chain_problem("") != "");
}

TEST_CASE("request_timestamp: URLs it refuses, failures it reports") {
  CHECK(exit_of([] { attest::request_timestamp("ftp://tsa.example.com/", ""); }) == Exit::bad_input);
  CHECK(exit_of([] { attest::request_timestamp("http:///path", ""); }) == Exit::bad_input);
  CHECK(exit_of([] { attest::request_timestamp("http://host:port/", ""); }) == Exit::bad_input);
  CHECK(message_of([] { attest::request_timestamp("http://user:pw@host/", ""); }).find("credentials") != std::string::npos);
  CHECK(exit_of([] { attest::request_timestamp("http://127.0.0.1:1/tsr", ""); }) == Exit::io);
  CHECK(message_of([] { attest::request_timestamp("http://127.0.0.1:1/tsr", ""); }).find("cannot connect") != std::string::npos);
  CHECK(message_of([] { attest::request_timestamp("http://[::1]:1/tsr", ""); }).find("cannot connect") != std::string::npos);
}
