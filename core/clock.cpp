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

}  // namespace galley::core
