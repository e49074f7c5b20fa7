// Time at the edge: SOURCE_DATE_EPOCH (reproducible builds' convention) or the clock, and dates.
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include "core/error.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

long long now_epoch() {
  if (const char* env = std::getenv("SOURCE_DATE_EPOCH"); env != nullptr && *env != '\0') {
    std::string_view text(env);
    long long value = -1;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
      throw core::Error(core::Exit::bad_input, core::Where{"", 0, "SOURCE_DATE_EPOCH"},
                        "\"" + std::string(text) + "\" is not a number of seconds since 1970-01-01");
    }
    return value;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {
std::string format_utc(long long epoch, const char* pattern) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}
}  // namespace

std::string rfc3339(long long epoch) { return format_utc(epoch, "%Y-%m-%dT%H:%M:%SZ"); }

std::string iso_date(long long epoch) { return format_utc(epoch, "%Y-%m-%d"); }

std::string check_date(const std::string& text, const std::string& what) {
  auto bad = [&] {
    return core::Error(core::Exit::bad_input, core::Where{"", 0, what},
                       "\"" + text + "\" is not a date in the form YYYY-MM-DD");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    throw bad();
  }
  int y = 0;
  int m = 0;
  int d = 0;
  for (auto [from, len, out] : {std::tuple{0, 4, &y}, std::tuple{5, 2, &m}, std::tuple{8, 2, &d}}) {
    auto [ptr, ec] = std::from_chars(text.data() + from, text.data() + from + len, *out);
    if (ec != std::errc() || ptr != text.data() + from + len) {
      throw bad();
    }
  }
  static const int k_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > k_days[m - 1] || (m == 2 && d == 29 && !leap)) {
    throw bad();
  }
  return text;
}

}  // namespace galley::validate
