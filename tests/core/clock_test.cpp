#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/clock.hpp"
#include "core/error.hpp"

using namespace galley;

TEST_CASE("times are written in UTC", "[core][clock]") {
  CHECK(core::iso_date(1795000000) == "2026-11-18");
  CHECK(core::rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(core::rfc3339(1735689600 + 3723) == "2025-01-01T01:02:03Z");
}

TEST_CASE("SOURCE_DATE_EPOCH is the clock when set, and a bad one is an error naming it", "[core][clock]") {
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  CHECK(core::now_epoch() == 1700000000);
  ::setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
  CHECK_THROWS_WITH(core::now_epoch(),
                    "SOURCE_DATE_EPOCH: not a number of seconds since 1970-01-01: \"yesterday\"");
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK(core::now_epoch() > 1700000000);
}
