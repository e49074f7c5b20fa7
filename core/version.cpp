#include "core/version.hpp"

#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>

#include "core/text.hpp"

namespace galley::core {

namespace {

// Version texts are trimmed of spaces and tabs only (a line break is not part of a version).
constexpr std::string_view k_blanks = " \t";

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) {
      return out;
    }
    start = at + sep.size();
  }
}

bool is_prerelease_word(const std::string& suffix) {
  for (const char* w : {"alpha", "beta", "rc", "pre", "dev"}) {
    if (suffix.rfind(w, 0) == 0) {
      return true;
    }
  }
  return false;
}

// Compares two suffixes piece by piece: runs of digits numerically, other runs as text.
int compare_suffix(const std::string& a, const std::string& b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
    bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
    size_t ei = i;
    size_t ej = j;
    while (ei < a.size() && (std::isdigit(static_cast<unsigned char>(a[ei])) != 0) == da) {
      ++ei;
    }
    while (ej < b.size() && (std::isdigit(static_cast<unsigned char>(b[ej])) != 0) == db) {
      ++ej;
    }
    std::string pa = a.substr(i, ei - i);
    std::string pb = b.substr(j, ej - j);
    if (da && db) {
      pa.erase(0, std::min(pa.find_first_not_of('0'), pa.size() - 1));
      pb.erase(0, std::min(pb.find_first_not_of('0'), pb.size() - 1));
      if (pa.size() != pb.size()) {
        return pa.size() < pb.size() ? -1 : 1;
      }
    }
    if (int c = pa.compare(pb); c != 0) {
      return c < 0 ? -1 : 1;
    }
    i = ei;
    j = ej;
  }
  return (i < a.size()) - (j < b.size());
}

}  // namespace

std::optional<Version> Version::parse(const std::string& raw) {
  Version v;
  v.text = raw;
  std::string s = raw;
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) {
    s.erase(0, 1);
  }
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++i;
    }
    if (i == start || i - start > 15) {
      return std::nullopt;
    }
    long long part = 0;
    std::from_chars(s.data() + start, s.data() + i, part);
    v.parts.push_back(part);
    if (i < s.size() && s[i] == '.' && v.parts.size() < 8) {
      ++i;
      continue;
    }
    break;
  }
  if (i < s.size()) {
    if (s[i] != '-' && s[i] != '+') {
      return std::nullopt;
    }
    v.suffix = s.substr(i + 1);
    if (v.suffix.empty() || v.suffix.size() > 128) {
      return std::nullopt;
    }
    for (char c : v.suffix) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '+' ||
            c == '_')) {
        return std::nullopt;
      }
    }
    v.prerelease = s[i] == '-' && is_prerelease_word(v.suffix);
  }
  return v;
}

int compare(const Version& a, const Version& b) {
  size_t n = std::max(a.parts.size(), b.parts.size());
  for (size_t k = 0; k < n; ++k) {
    long long x = k < a.parts.size() ? a.parts[k] : 0;
    long long y = k < b.parts.size() ? b.parts[k] : 0;
    if (x != y) {
      return x < y ? -1 : 1;
    }
  }
  if (a.prerelease != b.prerelease) {
    return a.prerelease ? -1 : 1;
  }
  if (a.suffix.empty() || b.suffix.empty()) {
    return 0;
  }
  return compare_suffix(a.suffix, b.suffix);
}

std::optional<Range> Range::parse(const std::string& raw) {
  Range r;
  r.m_text = raw;
  std::string text = trim(raw, k_blanks);
  if (text == "*") {
    return r;
  }
  if (text.empty() || raw.size() > 256) {
    return std::nullopt;
  }
  for (const auto& alternative : split(text, "||")) {
    std::vector<Comparison> all;
    for (const auto& piece : split(alternative, ",")) {
      std::string p = trim(piece, k_blanks);
      // Two-character operators first, so ">=" is not read as ">" and "=1.0".
      static constexpr std::pair<std::string_view, Op> k_operators[] = {
          {">=", Op::ge}, {"<=", Op::le}, {"==", Op::eq}, {"!=", Op::ne}, {">", Op::gt}, {"<", Op::lt}, {"=", Op::eq}};
      Op op = Op::eq;
      size_t skip = 0;
      for (const auto& [spelling, meaning] : k_operators) {
        if (p.starts_with(spelling)) {
          op = meaning;
          skip = spelling.size();
          break;
        }
      }
      auto v = Version::parse(trim(p.substr(skip), k_blanks));
      if (!v) {
        return std::nullopt;
      }
      all.push_back({op, *v});
    }
    r.m_any.push_back(std::move(all));
  }
  return r;
}

bool Range::contains(const Version& v) const {
  if (m_any.empty()) {
    return true;
  }
  for (const auto& all : m_any) {
    bool ok = true;
    for (const auto& c : all) {
      int cmp = compare(v, c.version);
      switch (c.op) {
        case Op::ge: ok = cmp >= 0; break;
        case Op::le: ok = cmp <= 0; break;
        case Op::gt: ok = cmp > 0; break;
        case Op::lt: ok = cmp < 0; break;
        case Op::eq: ok = cmp == 0; break;
        case Op::ne: ok = cmp != 0; break;
      }
      if (!ok) {
        break;
      }
    }
    if (ok) {
      return true;
    }
  }
  return false;
}

}  // namespace galley::core
