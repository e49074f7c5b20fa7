// Tests of attest/encoding.cpp: base64 as DSSE allows it, the pre-authentication encoding.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "attest/internal/encoding.hpp"

using namespace galley;

TEST_CASE("base64 round-trips and accepts what DSSE allows") {
  std::string bytes;
  for (int n = 0; n < 40; ++n) {
    REQUIRE(attest::base64_decode(attest::base64_encode(bytes)) == bytes);
    bytes += static_cast<char>(n * 37 + 200);
  }
  CHECK(attest::base64_encode("hello") == "aGVsbG8=");
  CHECK(attest::base64_decode("aGVsbG8") == std::optional<std::string>("hello"));   // unpadded
  CHECK(attest::base64_decode("-_8=") == attest::base64_decode("+/8="));             // URL-safe
  CHECK_FALSE(attest::base64_decode("aGVs*G8="));
  CHECK_FALSE(attest::base64_decode("aGVsb"));  // 5 symbols: not a whole byte
}

TEST_CASE("PAE matches the DSSE specification's test vector") {
  CHECK(attest::pae("http://example.com/HelloWorld", "hello world") == "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(attest::pae("", "") == "DSSEv1 0  0 ");
}
