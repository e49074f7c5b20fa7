#include "core/text.hpp"

#include <algorithm>

namespace galley::core {

std::string trim(std::string_view text, std::string_view blanks) {
  size_t begin = text.find_first_not_of(blanks);
  if (begin == std::string_view::npos) {
    return "";
  }
  size_t end = text.find_last_not_of(blanks);
  return std::string(text.substr(begin, end - begin + 1));
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

namespace {

// The user-info of every scheme://user-info@host, replaced by "***".
std::string redact_user_info(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t scheme_end = text.find("://", i);
    if (scheme_end == std::string_view::npos) {
      break;
    }
    size_t start = scheme_end + 3;
    size_t end = start;
    while (end < text.size() && std::string_view("/?#\"'<>` \t\r\n").find(text[end]) == std::string_view::npos) {
      ++end;
    }
    size_t at = text.substr(start, end - start).rfind('@');
    out.append(text.substr(i, start - i));
    if (at != std::string_view::npos) {
      out.append("***");
      out.append(text.substr(start + at, end - start - at));
    } else {
      out.append(text.substr(start, end - start));
    }
    i = end;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

}  // namespace

std::string quote_name(std::string_view name) {
  static const char* const k_hex = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < name.size()) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    } else if (c >= 0x80) {
      // A whole, valid UTF-8 sequence is kept; any other byte is shown as \xNN.
      size_t extra = (c & 0xE0) == 0xC0 && c >= 0xC2 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 3 : 0;
      bool whole = extra > 0;
      for (size_t k = 1; whole && k <= extra; ++k) {
        whole = i + k < name.size() && (static_cast<unsigned char>(name[i + k]) & 0xC0) == 0x80;
      }
      if (whole) {
        out.append(name.substr(i, extra + 1));
        i += extra + 1;
        continue;
      }
      out += "\\x";
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string redact_secrets(std::string_view text) {
  std::string out = redact_user_info(text);
  const std::string_view marker = "PRIVATE KEY-----";
  size_t from = 0;
  while ((from = out.find(marker, from)) != std::string::npos) {
    size_t body = from + marker.size();
    size_t end = out.find("-----END", body);
    end = end == std::string::npos ? out.size() : end;
    // Keep the quote that closes a shown value, if any, so the message still reads.
    size_t quote = out.find('"', body);
    end = quote != std::string::npos && quote < end ? quote : end;
    out.replace(body, end - body, "***");
    from = body + 3;
  }
  return out;
}

}  // namespace galley::core
