#include <catch2/catch.hpp>

#include "core/version.hpp"

using galley::core::compare;
using galley::core::Range;
using galley::core::Version;

namespace {
Version v(const std::string& s) { return *Version::parse(s); }
bool in(const std::string& range, const std::string& version) { return Range::parse(range)->contains(v(version)); }
}  // namespace

TEST_CASE("versions compare numerically with missing parts as zero", "[core][version]") {
  CHECK(compare(v("1.10"), v("1.9")) > 0);
  CHECK(compare(v("v25.10.1"), v("25.10.1")) == 0);
  CHECK(compare(v("26"), v("26.0.0")) == 0);
  CHECK(compare(v("580.82.07"), v("580.82.7")) == 0);
  CHECK(compare(v("1.0.0-rc.1"), v("1.0.0")) < 0);
}

TEST_CASE("vendor suffixes equal the release unless both carry one", "[core][version]") {
  CHECK(compare(v("v1.35.1-gke.1616000"), v("1.35.1")) == 0);
  CHECK(compare(v("v1.35.1-gke.1616000"), v("v1.35.1-gke.999")) > 0);
  CHECK(compare(v("6.8.0-1024-aws"), v("6.8.0-999-aws")) > 0);
  CHECK(in(">=1.35.1-gke.1616000", "v1.35.1-gke.1700000"));
  CHECK_FALSE(in(">=1.35.1-gke.1616000", "v1.35.1-gke.1500000"));
}

TEST_CASE("ranges combine with comma and double bar", "[core][version]") {
  CHECK(in(">=25.10, <26", "25.10.1"));
  CHECK_FALSE(in(">=25.10, <26", "26.3.0"));
  CHECK(in("<1.30 || >=1.34", "1.34"));
  CHECK_FALSE(in("<1.30 || >=1.34", "1.32"));
  CHECK(in("*", "0.0.1"));
  CHECK(in("1.21.1", "v1.21.1"));
  CHECK(in("!=1.11.0", "1.11.1"));
  CHECK_FALSE(in("==1.11.0", "1.11.1"));
}

TEST_CASE("malformed versions and ranges are rejected", "[core][version]") {
  for (const char* bad : {"v25.x", "", "1..2", "abc", "1.2.3-", ">=", "1.2 3", "v1.x"}) {
    CHECK_FALSE(Range::parse(bad).has_value());
  }
  CHECK_FALSE(Version::parse("v1.x").has_value());
  CHECK_FALSE(Version::parse("1.2.3.4.5.6.7.8.9.10").has_value());
}
