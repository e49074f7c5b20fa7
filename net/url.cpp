#include "net/url.hpp"

#include <cctype>
#include <cstdio>

namespace galley::net {

std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::optional<Url> split_url(const std::string& text) {
  size_t sep = text.find("://");
  if (sep == std::string::npos || sep == 0) {
    return std::nullopt;
  }
  Url out;
  out.scheme = text.substr(0, sep);
  std::string rest = text.substr(sep + 3);
  size_t slash = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, slash);
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (!out.path.starts_with("/")) {
    out.path = "/" + out.path;
  }
  if (size_t at = authority.rfind('@'); at != std::string::npos) {
    out.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  size_t colon = std::string::npos;
  if (authority.starts_with("[")) {  // [IPv6]:port
    size_t close = authority.find(']');
    if (close == std::string::npos) {
      return std::nullopt;
    }
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        return std::nullopt;
      }
      colon = close + 1;
    }
  } else {
    colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
  }
  if (colon != std::string::npos) {
    out.port = authority.substr(colon + 1);
    if (out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
  }
  if (out.host.empty()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace galley::net
