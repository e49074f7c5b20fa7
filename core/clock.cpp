#include "core/clock.hpp"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "core/error.hpp"

namespace galley::core {

std::optional<std::int64_t> source_date_epoch() {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (env == nullptr || *env == '\0') {
    return std::nullopt;
  }
  std::string_view text(env);
  std::int64_t value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    throw Error(Exit::bad_input, Where{"", 0, "SOURCE_DATE_EPOCH"},
                "not a number of seconds since 1970-01-01: \"" + std::string(text) + "\"");
  }
  return value;
}

std::int64_t now_epoch() {
  if (auto epoch = source_date_epoch()) {
    return *epoch;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {
std::string format_utc(std::int64_t epoch, const char* pattern) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr) {
    throw Error(Exit::bad_input, "time " + std::to_string(epoch) + " is out of range");
  }
  char buf[32];
  size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}
}  // namespace

std::string rfc3339(std::int64_t epoch) { return format_utc(epoch, "%Y-%m-%dT%H:%M:%SZ"); }

std::string iso_date(std::int64_t epoch) { return format_utc(epoch, "%Y-%m-%d"); }

namespace {

// Exactly `len` decimal digits at `at`, or nullopt.
std::optional<int> digits(std::string_view text, size_t at, size_t len) {
  if (at + len > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + at + len, value);
  if (ec != std::errc() || ptr != text.data() + at + len || text[at] == '-' || text[at] == '+') {
    return std::nullopt;
  }
  return value;
}

// Days since the epoch of a real calendar date "YYYY-MM-DD" at the start of `text`.
std::optional<std::chrono::sys_days> calendar_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  auto y = digits(text, 0, 4);
  auto m = digits(text, 5, 2);
  auto d = digits(text, 8, 2);
  if (!y || !m || !d) {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  return std::chrono::sys_days{ymd};
}

}  // namespace

std::string check_date(const std::string& text, const std::string& what) {
  if (text.size() != 10 || !calendar_date(text)) {
    throw Error(Exit::bad_input, Where{"", 0, what}, "\"" + text + "\" is not a date in the form YYYY-MM-DD");
  }
  return text;
}

std::optional<std::int64_t> try_parse_time(const std::string& text) {
  auto date = calendar_date(text);
  if (!date) {
    return std::nullopt;
  }
  std::chrono::seconds at = date->time_since_epoch();
  std::string_view rest = std::string_view(text).substr(10);
  if (rest.empty()) {
    return at.count();
  }
  if (rest[0] != 'T' || rest.size() < 6 || rest[3] != ':') {
    return std::nullopt;
  }
  auto h = digits(rest, 1, 2);
  auto mi = digits(rest, 4, 2);
  if (!h || !mi || *h > 23 || *mi > 59) {
    return std::nullopt;
  }
  at += std::chrono::hours{*h} + std::chrono::minutes{*mi};
  rest = rest.substr(6);
  if (rest.starts_with(":")) {
    auto s = digits(rest, 1, 2);
    if (!s || *s > 59) {
      return std::nullopt;
    }
    at += std::chrono::seconds{*s};
    rest = rest.substr(3);
    if (rest.starts_with(".")) {
      size_t end = rest.find_first_not_of("0123456789", 1);
      if (end == 1) {
        return std::nullopt;  // a '.' with no digits
      }
      rest = rest.substr(end == std::string_view::npos ? rest.size() : end);
    }
  }
  if (rest.empty() || rest == "Z") {
    return at.count();
  }
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') {
    return std::nullopt;
  }
  auto oh = digits(rest, 1, 2);
  auto om = digits(rest, 4, 2);
  if (!oh || !om || *oh > 23 || *om > 59) {
    return std::nullopt;
  }
  std::chrono::seconds offset = std::chrono::hours{*oh} + std::chrono::minutes{*om};
  return (rest[0] == '+' ? at - offset : at + offset).count();
}

std::int64_t parse_time(const std::string& text, const std::string& what) {
  auto at = try_parse_time(text);
  if (!at) {
    throw Error(Exit::bad_input, Where{"", 0, what},
                "\"" + text + "\" is not a date or time (YYYY-MM-DD, or RFC 3339 such as 2027-01-01T00:00:00Z)");
  }
  return *at;
}

}  // namespace galley::core
