// Dates given on the command line (the clock itself is core/clock.hpp).
#include <charconv>

#include "core/error.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

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
