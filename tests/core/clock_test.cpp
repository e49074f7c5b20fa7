#include <catch2/catch.hpp>

#include <cstdlib>
#include <functional>

#include "core/clock.hpp"
#include "core/error.hpp"

using namespace galley;
using core::Exit;

namespace {

// The exit code of the core::Error `f` throws, or Exit::ok.
Exit exit_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const core::Error& e) {
    return e.exit();
  }
  return Exit::ok;
}

}  // namespace

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

TEST_CASE("SOURCE_DATE_EPOCH", "[core][clock]") {
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK_FALSE(core::source_date_epoch());
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  CHECK(core::source_date_epoch() == 1700000000);
  for (const char* bad : {"17e8", "-5", "yesterday", "1700000000 "}) {
    ::setenv("SOURCE_DATE_EPOCH", bad, 1);
    CHECK(exit_of([] { core::source_date_epoch(); }) == Exit::bad_input);
  }
  ::unsetenv("SOURCE_DATE_EPOCH");
}

TEST_CASE("dates are real calendar dates", "[core][clock]") {
  CHECK(core::check_date("2024-02-29", "asOf") == "2024-02-29");
  CHECK(core::check_date("2028-02-29", "--as-of") == "2028-02-29");
  CHECK_THROWS_WITH(core::check_date("2027-02-29", "--as-of"),
                    "--as-of: \"2027-02-29\" is not a date in the form YYYY-MM-DD");
  for (const char* bad : {"2025-02-29", "2025-02-31", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
                          "2025-1-01", "2025-01-01T00:00Z", "25-01-01", "+025-01-01", "2025-+1-01", "", "next tuesday"}) {
    INFO(bad);
    CHECK_THROWS_AS(core::check_date(bad, "asOf"), core::Error);
  }
}

TEST_CASE("times: a date or RFC 3339, strictly", "[core][clock]") {
  CHECK(core::parse_time("1970-01-01", "t") == 0);
  CHECK(core::parse_time("2024-02-29", "t") == 1709164800);
  CHECK(core::parse_time("2025-01-01T01:02:03Z", "t") == 1735689600 + 3723);
  CHECK(core::parse_time("2025-01-01T01:02Z", "t") == 1735689600 + 3720);
  CHECK(core::parse_time("2025-01-01T01:02:03", "t") == 1735689600 + 3723);  // no zone: UTC
  CHECK(core::parse_time("2025-01-01T01:02:03.250Z", "t") == 1735689600 + 3723);
  CHECK(core::parse_time("2025-01-01T02:02:03+01:00", "t") == 1735689600 + 3723);
  CHECK(core::parse_time("2024-12-31T23:02:03-02:00", "t") == 1735689600 + 3723);
  CHECK(core::parse_time("2025-01-01T23:59:59Z", "t") == 1735689600 + 86399);
  // Refused: impossible dates (rolled over by timegm before), 24:00, leap seconds, loose forms.
  for (const char* bad : {"2025-02-31", "2025-02-29", "2025-02-31T00:00:00Z", "2025-01-01T24:00:00Z",
                          "2025-01-01T24:00Z", "2016-12-31T23:59:60Z", "2025-01-01T12:60Z", "2025-01-01 12:00Z",
                          "2025-01-01T12:00:00.Z", "2025-01-01T12Z", "2025-01-01T12:00:00+0100",
                          "2025-01-01T12:00:00+24:00", "2025-01-01T12:00:00z", "2025-01-01Z", "next tuesday"}) {
    INFO(bad);
    CHECK_FALSE(core::try_parse_time(bad));
    CHECK_THROWS_AS(core::parse_time(bad, "t"), core::Error);
  }
  CHECK_THROWS_WITH(core::parse_time("2025-02-31", "--as-of"),
                    "--as-of: \"2025-02-31\" is not a date or time (YYYY-MM-DD, or RFC 3339 such as "
                    "2027-01-01T00:00:00Z)");
}

TEST_CASE("dates: YYYY-MM-DD and RFC 3339, UTC, as trust policies write them", "[core][clock]") {
  CHECK(core::try_parse_time("2025-01-01") == 1735689600);
  CHECK(core::try_parse_time("2025-01-01T01:02:03Z") == 1735689600 + 3723);
  CHECK(core::try_parse_time("2025-01-01T01:02") == 1735689600 + 3720);
  CHECK(core::try_parse_time("2025-01-01T02:02:03.250+01:00") == 1735689600 + 3723);
  CHECK(core::try_parse_time("2024-12-31T23:00:00-01:00") == 1735689600);
  for (const char* bad : {"2025-13-01", "2025-01-32", "2025-1-1", "2025-01-01T", "2025-01-01T25:00", "2025-01-01T01:02:03+1",
                          "2025-01-01 01:02", "next tuesday", ""}) {
    INFO(bad);
    CHECK_FALSE(core::try_parse_time(bad));
  }
  CHECK(core::rfc3339(1735689600 + 3723) == "2025-01-01T01:02:03Z");
  CHECK(core::try_parse_time(core::rfc3339(1700000000)) == 1700000000);
}
