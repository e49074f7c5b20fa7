#include <catch2/catch.hpp>

#include "core/base64.hpp"

using galley::core::base64_decode;
using galley::core::base64_encode;

TEST_CASE("base64 follows RFC 4648's test vectors both ways", "[core][base64]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},          {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},   {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == std::string(plain));
  }
}

TEST_CASE("base64 decoding accepts the URL-safe alphabet and refuses anything else", "[core][base64]") {
  CHECK(base64_decode("-_8") == std::string("\xfb\xff"));
  CHECK(base64_decode("+/8=") == std::string("\xfb\xff"));
  CHECK(base64_decode("Zm9vY") == std::nullopt);   // a single leftover character
  CHECK(base64_decode("Zm9v!") == std::nullopt);   // not in any alphabet
  CHECK(base64_decode("Zm 9v") == std::nullopt);   // no whitespace
}
