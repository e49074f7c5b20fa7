// OCI name shapes, one linear pass each (names.hpp).
#include "deliver/internal/names.hpp"

namespace galley::deliver {

namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

// One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*
bool is_component(std::string_view c) {
  size_t i = 0;
  while (i < c.size()) {
    size_t run = i;
    while (i < c.size() && lower_alnum(c[i])) {
      ++i;
    }
    if (i == run) {
      return false;  // a separator at the start, twice, or at the end
    }
    if (i == c.size()) {
      return true;
    }
    size_t sep = i;
    while (i < c.size() && !lower_alnum(c[i])) {
      ++i;
    }
    std::string_view s = c.substr(sep, i - sep);
    bool ok = s == "." || s == "_" || s == "__" || s.find_first_not_of('-') == std::string_view::npos;
    if (!ok || i == c.size()) {
      return false;
    }
  }
  return !c.empty();
}

}  // namespace

bool is_host(std::string_view text) {
  size_t colon = text.find(':');
  std::string_view name = text.substr(0, colon);
  if (name.empty() || name.size() > 253) {  // DNS names are at most 253 characters
    return false;
  }
  for (char c : name) {
    if (!alnum(c) && c != '.' && c != '-') {
      return false;
    }
  }
  if (colon == std::string_view::npos) {
    return true;
  }
  std::string_view port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5) {
    return false;
  }
  for (char c : port) {
    if (!digit(c)) {
      return false;
    }
  }
  return true;
}

bool is_repository(std::string_view text) {
  if (text.size() > 255) {  // the distribution spec's limit for a repository name
    return false;
  }
  size_t start = 0;
  for (;;) {
    size_t slash = text.find('/', start);
    if (!is_component(text.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start))) {
      return false;
    }
    if (slash == std::string_view::npos) {
      return true;
    }
    start = slash + 1;
  }
}

bool is_tag(std::string_view text) {
  if (text.empty() || text.size() > 128 || !(alnum(text[0]) || text[0] == '_')) {
    return false;
  }
  for (char c : text) {
    if (!alnum(c) && c != '_' && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

bool is_sha256_digest(std::string_view text) {
  if (text.size() != 71 || !text.starts_with("sha256:")) {
    return false;
  }
  for (char c : text.substr(7)) {
    if (!digit(c) && !(c >= 'a' && c <= 'f')) {
      return false;
    }
  }
  return true;
}

std::string shown_name(std::string_view text) {
  constexpr size_t k_shown = 80;
  if (text.size() <= k_shown) {
    return "\"" + std::string(text) + "\"";
  }
  return "\"" + std::string(text.substr(0, k_shown)) + "...\" (" + std::to_string(text.size()) + " characters)";
}

}  // namespace galley::deliver
