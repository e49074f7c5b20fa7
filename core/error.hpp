#pragma once
// Errors and exit codes: one enum for the whole CLI, one exception type for every library.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace galley::core {

// The documented exit codes (README, --help). Turned into a number only by to_int().
enum class Exit { ok = 0, check_failed = 1, bad_input = 2, not_found = 3, unsatisfiable = 4, io = 5 };
inline int to_int(Exit e) { return static_cast<int>(e); }

// Where a problem is: a file (display name), a 1-based line (0 = unknown) and a field path.
struct Where {
  std::string file;
  int line = 0;
  std::string field;
  std::string str() const;  // "file:line: field" with the absent parts left out
};

// A problem in one of a command's inputs given as an option rather than a document, named by the
// option's field ("tsa-url", "as-of") and, for an option given several times, the value at fault
// ("set", "gpu-operator:driver.enabld=false"). Libraries never spell a flag; the CLI, which knows
// them, shows the field as its flag ("--tsa-url: ...", "--set gpu-operator:driver.enabld=false: ...").
struct OptionField {
  OptionField(std::string name_, std::string value_ = {}) : name(std::move(name_)), value(std::move(value_)) {}
  std::string name;
  std::string value;  // "" when the option has one value
};

// The one exception the libraries throw. what() is "file:line: field: message", and for a list of
// problems (one Error carrying several diagnostics) one such line per problem.
class Error : public std::runtime_error {
 public:
  Error(Exit exit, const Where& where, const std::string& message);
  Error(Exit exit, const OptionField& option, const std::string& message);  // "name: message"
  Error(Exit exit, const std::string& message);
  Error(Exit exit, std::vector<std::string> lines);  // several rendered problems, in order
  Exit exit() const { return m_exit; }
  const std::vector<std::string>& lines() const { return m_lines; }
  // The option the problem is in, when it was thrown with an OptionField ("" otherwise).
  const std::string& option() const { return m_option; }

 private:
  Exit m_exit;
  std::vector<std::string> m_lines;
  std::string m_option;
};

// Collects problems, then throws them together (one run shows every bad field of a file).
class Diagnostics {
 public:
  void add(const Where& where, const std::string& message);
  bool empty() const { return m_lines.empty(); }
  void throw_if_any(Exit exit) const;  // throws Error(exit, all lines) when any were added

 private:
  std::vector<std::string> m_lines;
};

// The closest candidate to `word` by edit distance, or "" when none is reasonably close.
std::string closest(const std::string& word, const std::vector<std::string>& candidates);

// "a, b, c" ; quoted when asked.
std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

}  // namespace galley::core
