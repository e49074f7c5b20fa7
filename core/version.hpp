#pragma once
// Versions and version ranges with the semantics clusters need: optional "v", any number of
// numeric parts (missing parts are 0), pre-release suffixes (-rc.1, -alpha, -beta, -pre, -dev)
// sorting before the release, and vendor suffixes (-gke.1616000, -eks-..., -1024-aws) that
// compare equal to the plain release unless both sides carry one.
#include <optional>
#include <string>
#include <vector>

namespace galley::core {

struct Version {
  std::vector<long long> parts;  // at least one
  std::string suffix;            // without the leading '-' or '+'; "" when none
  bool prerelease = false;
  std::string text;              // as written

  static std::optional<Version> parse(const std::string& text);
};

// <0, 0, >0. Numeric parts first, then pre-release before release, then vendor suffixes
// compared part by part (numbers numerically) when both versions carry one.
int compare(const Version& a, const Version& b);

// A range: alternatives joined by "||", each a list of comparisons joined by ",".
// Operators >= <= > < = == != ; a bare version means "=". "*" matches everything.
class Range {
 public:
  static std::optional<Range> parse(const std::string& text);
  bool contains(const Version& v) const;
  const std::string& text() const { return m_text; }

 private:
  enum class Op { ge, le, gt, lt, eq, ne };
  struct Comparison {
    Op op;
    Version version;
  };
  std::vector<std::vector<Comparison>> m_any;  // OR of ANDs; empty = "*"
  std::string m_text;
};

}  // namespace galley::core
