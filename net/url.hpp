#pragma once
// URLs as the HTTP client and its callers handle them: percent-encoding a query value, and splitting
// an http(s) URL into its parts to check it before any connection is made.
#include <optional>
#include <string>

namespace galley::net {

// `text` with every byte but the RFC 3986 unreserved ones (A-Z a-z 0-9 - _ . ~) written as %XX.
std::string url_encode(const std::string& text);

// The parts of SCHEME://[USERINFO@]HOST[:PORT][/PATH].
struct Url {
  std::string scheme;    // lowercase as written, without "://"
  std::string userinfo;  // "" when absent
  std::string host;      // without the brackets of an IPv6 literal
  std::string port;      // "" when absent; digits otherwise
  std::string path;      // "/" when absent; with the query
};

// Splits `text`; nullopt when it has no "scheme://", names no host, or its port is not digits.
// Throws nothing.
std::optional<Url> split_url(const std::string& text);

}  // namespace galley::net
