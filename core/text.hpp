#pragma once
// Small text helpers every library uses: trimming, ASCII lowercase, redacting secrets.
#include <string>
#include <string_view>

namespace galley::core {

// `text` without leading and trailing characters from `blanks` (space, tab, CR and LF unless told).
std::string trim(std::string_view text, std::string_view blanks = " \t\r\n");

// `text` with ASCII A-Z turned into a-z; other bytes unchanged (locale-independent).
std::string to_lower(std::string_view text);

// `name` (a file name, a key) in double quotes for a message, with '"', '\\' and control characters
// escaped (\n, \t, \u001b) and bytes that are not UTF-8 written \xFF: a name can never forge a line
// of output or break a JSON report. Never throws.
std::string quote_name(std::string_view name);

// `text` with secrets replaced by "***": the user-info of every URL (scheme://user:pass@host ->
// scheme://***@host) and the base64 body of any PEM private key. Every message galley prints passes
// through it (cli/main.cpp), so no credential reaches a terminal or a log at any level.
std::string redact_secrets(std::string_view text);

}  // namespace galley::core
