#include "core/error.hpp"

#include <algorithm>
#include <numeric>

namespace galley::core {

std::string Where::str() const {
  std::string s = file;
  if (!file.empty() && line > 0) {
    s += ":" + std::to_string(line);
  }
  if (!field.empty()) {
    s += s.empty() ? field : ": " + field;
  }
  return s;
}

namespace {
std::string render(const Where& where, const std::string& message) {
  std::string w = where.str();
  return w.empty() ? message : w + ": " + message;
}
std::string first_or_empty(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) {
    all += all.empty() ? l : "\n" + l;
  }
  return all;
}
}  // namespace

Error::Error(Exit exit, const Where& where, const std::string& message)
    : Error(exit, std::vector<std::string>{render(where, message)}) {}

Error::Error(Exit exit, const OptionField& option, const std::string& message)
    : Error(exit, Where{"", 0, option.value.empty() ? option.name : option.name + " " + option.value}, message) {
  m_option = option.name;
}

Error::Error(Exit exit, const std::string& message) : Error(exit, std::vector<std::string>{message}) {}

Error::Error(Exit exit, std::vector<std::string> lines)
    : std::runtime_error(first_or_empty(lines)), m_exit(exit), m_lines(std::move(lines)) {}

void Diagnostics::add(const Where& where, const std::string& message) {
  std::string line = render(where, message);
  if (std::find(m_lines.begin(), m_lines.end(), line) == m_lines.end()) {
    m_lines.push_back(std::move(line));
  }
}

void Diagnostics::throw_if_any(Exit exit) const {
  if (!m_lines.empty()) {
    throw Error(exit, m_lines);
  }
}

namespace {
// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters each cost 1, so a typed "gek" is nearer "gke" (one swap) than "eks".
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  std::iota(d[0].begin(), d[0].end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}
}  // namespace

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 2) + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    s += (i == 0 ? "" : sep) + items[i];
  }
  return s;
}

}  // namespace galley::core
