#pragma once
// Small text helpers every library uses: trimming and ASCII lowercase.
#include <string>
#include <string_view>

namespace galley::core {

// `text` without leading and trailing characters from `blanks` (space, tab, CR and LF unless told).
std::string trim(std::string_view text, std::string_view blanks = " \t\r\n");

// `text` with ASCII A-Z turned into a-z; other bytes unchanged (locale-independent).
std::string to_lower(std::string_view text);

}  // namespace galley::core
