#include <catch2/catch.hpp>

#include "core/text.hpp"

using galley::core::to_lower;
using galley::core::trim;

TEST_CASE("trim drops blanks at both ends only", "[core][text]") {
  CHECK(trim("  a b \t\r\n") == "a b");
  CHECK(trim("") == "");
  CHECK(trim(" \n\t ") == "");
  CHECK(trim("\n1.2\n", " \t") == "\n1.2\n");  // blanks chosen by the caller
  CHECK(trim(" 1.2\t", " \t") == "1.2");
}

TEST_CASE("to_lower changes ASCII letters only", "[core][text]") {
  CHECK(to_lower("TrustPolicy") == "trustpolicy");
  CHECK(to_lower("A-Z_09 \xC3\x84") == "a-z_09 \xC3\x84");
}
