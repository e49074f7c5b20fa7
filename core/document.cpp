#include "core/document.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "core/error.hpp"

namespace galley::core {

namespace {

// Binary search in a [path, line, ...] table sorted by path; 0 when absent.
int table_line(const Json& table, const std::string& path) {
  if (!table.is_array()) {
    return 0;
  }
  size_t lo = 0;
  size_t hi = table.size() / 2;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const auto& key = table[2 * mid].get_ref<const std::string&>();
    if (key < path) {
      lo = mid + 1;
    } else if (path < key) {
      hi = mid;
    } else {
      return table[2 * mid + 1].get<int>();
    }
  }
  return 0;
}

}  // namespace

int Document::line_of(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (lines.empty()) {
      if (int line = table_line(line_table, p); line > 0) {
        return line;
      }
    } else if (auto it = lines.find(p); it != lines.end()) {
      return it->second;
    }
    if (p.empty()) {
      return 0;
    }
    size_t cut = p.find_last_of(".[");
    p = cut == std::string::npos ? "" : p.substr(0, cut);
  }
}

namespace {

bool needs_brackets(const std::string& key) {
  if (key.empty()) {
    return true;
  }
  for (char c : key) {
    if (c == '.' || c == '[' || c == ']' || c == '"' || c == ' ' || c == '\\') {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string child(const std::string& path, const std::string& key) {
  if (needs_brackets(key)) {
    std::string quoted = Json(key).dump();
    return path + "[" + quoted + "]";
  }
  return path.empty() ? key : path + "." + key;
}

std::string index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

namespace {

// Returns 0 when `text` is valid UTF-8, else the 1-based line of the first bad byte.
int first_bad_utf8_line(std::string_view text) {
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    if (c == '\n') {
      ++line;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      extra = 1;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      extra = 3;
    } else {
      return line;
    }
    if (i + extra >= text.size()) {
      return line;
    }
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return line;
      }
    }
    i += extra + 1;
  }
  return 0;
}

bool all_digits(std::string_view s, int base) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                         : (c >= '0' && c < static_cast<char>('0' + base));
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::optional<Json> as_integer(std::string_view s) {
  int base = 10;
  std::string_view digits = s;
  bool negative = false;
  if (s.starts_with("0x")) {
    base = 16;
    digits = s.substr(2);
  } else if (s.starts_with("0o")) {
    base = 8;
    digits = s.substr(2);
  } else if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    digits = s.substr(1);
  }
  if (!all_digits(digits, base)) {
    return std::nullopt;
  }
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    return std::nullopt;  // too large: kept as a float below, or a string
  }
  return Json(negative ? -v : v);
}

bool is_float_syntax(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    ++i;
  }
  size_t int_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    ++i;
    ++int_digits;
  }
  size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++i;
      ++frac_digits;
    }
  }
  if (int_digits + frac_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
      ++i;
    }
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++i;
    }
  }
  return i == s.size();
}

}  // namespace

// The YAML 1.2 core schema's reading of a plain (unquoted) scalar.
Json resolve_plain_scalar(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    return nullptr;
  }
  if (s == "true" || s == "True" || s == "TRUE") {
    return true;
  }
  if (s == "false" || s == "False" || s == "FALSE") {
    return false;
  }
  if (auto i = as_integer(s)) {
    return *i;
  }
  if (is_float_syntax(s)) {
    std::string copy(s);
    double d = std::strtod(copy.c_str(), nullptr);
    if (std::isfinite(d)) {
      return d;
    }
  }
  return std::string(s);
}

namespace {

class Converter {
 public:
  Converter(Document& doc, const ReadLimits& limits) : m_doc(doc), m_limits(limits) {}

  // Counts nodes (aliases expanded) up to the limit before anything is built: an alias bomb is
  // refused after a cheap walk instead of after building millions of values.
  void precount(const YAML::Node& node, int depth) {
    if (++m_nodes > m_limits.max_nodes) {
      fail(node, "", "document expands to more than " + std::to_string(m_limits.max_nodes) +
                         " nodes (an alias bomb?)");
    }
    if (depth > m_limits.max_depth) {
      fail(node, "", "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels");
    }
    if (node.IsSequence()) {
      for (const auto& item : node) {
        precount(item, depth + 1);
      }
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        precount(kv.second, depth + 1);
      }
    }
  }

  Json convert_checked(const YAML::Node& node) {
    precount(node, 0);
    m_nodes = 0;
    return convert(node, "", 0);
  }

  Json convert(const YAML::Node& node, const std::string& path, int depth) {
    if (++m_nodes > m_limits.max_nodes) {
      fail(node, path, "document expands to more than " + std::to_string(m_limits.max_nodes) +
                           " nodes (an alias bomb?)");
    }
    if (depth > m_limits.max_depth) {
      fail(node, path, "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels");
    }
    switch (node.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        return nullptr;
      case YAML::NodeType::Scalar:
        return scalar(node, path);
      case YAML::NodeType::Sequence:
        return sequence(node, path, depth);
      case YAML::NodeType::Map:
        return map(node, path, depth);
    }
    return nullptr;
  }

 private:
  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& msg) {
    throw Error(Exit::bad_input, Where{m_doc.name, node.Mark().line + 1, path}, msg);
  }

  Json scalar(const YAML::Node& node, const std::string& path) {
    const std::string& tag = node.Tag();
    const std::string& text = node.Scalar();
    if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      return text;
    }
    if (tag == "?" || tag.empty()) {
      return resolve_plain_scalar(text);
    }
    Json v = resolve_plain_scalar(text);
    bool ok = (tag == "tag:yaml.org,2002:int" && v.is_number_integer()) ||
              (tag == "tag:yaml.org,2002:float" && v.is_number()) ||
              (tag == "tag:yaml.org,2002:bool" && v.is_boolean()) ||
              (tag == "tag:yaml.org,2002:null" && v.is_null());
    if (!ok) {
      fail(node, path, "unsupported tag " + tag + " on \"" + text + "\"");
    }
    return v;
  }

  Json sequence(const YAML::Node& node, const std::string& path, int depth) {
    Json out = Json::array();
    size_t i = 0;
    for (const auto& item : node) {
      std::string p = index(path, i++);
      m_doc.lines.emplace(p, item.Mark().line + 1);
      out.push_back(convert(item, p, depth + 1));
    }
    return out;
  }

  Json map(const YAML::Node& node, const std::string& path, int depth) {
    Json out = Json::object();
    for (const auto& kv : node) {
      if (!kv.first.IsScalar()) {
        fail(kv.first, path, "a map key must be a plain value");
      }
      const std::string& key = kv.first.Scalar();
      if (key == "<<") {
        fail(kv.first, path, "merge keys (<<) are not supported");
      }
      std::string p = child(path, key);
      if (out.contains(key)) {
        fail(kv.first, p, "duplicate key");
      }
      m_doc.lines.emplace(p, kv.first.Mark().line + 1);
      out[key] = convert(kv.second, p, depth + 1);
    }
    return out;
  }

  Document& m_doc;
  const ReadLimits& m_limits;
  size_t m_nodes = 0;
};

}  // namespace

namespace {

std::vector<YAML::Node> load_all(std::string_view text, const std::string& name, const ReadLimits& limits) {
  if (int line = first_bad_utf8_line(text)) {
    throw Error(Exit::bad_input, Where{name, line, ""}, "text is not valid UTF-8");
  }
  check_yaml_limits(text, name, limits);  // before yaml-cpp builds anything
  try {
    return YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(Exit::bad_input, Where{name, e.mark.line + 1, ""}, "invalid YAML: " + e.msg);
  }
}

Json convert_document(const YAML::Node& node, Document& doc, const ReadLimits& limits) {
  try {
    Converter converter(doc, limits);
    return converter.convert_checked(node);
  } catch (const YAML::Exception& e) {
    throw Error(Exit::bad_input, Where{doc.name, e.mark.line + 1, ""}, "invalid YAML: " + e.msg);
  }
}

}  // namespace

Document parse_yaml(std::string_view text, const std::string& name, const ReadLimits& limits) {
  Document doc;
  doc.name = name;
  std::vector<YAML::Node> docs = load_all(text, name, limits);
  if (docs.size() > 1) {
    throw Error(Exit::bad_input, Where{name, docs[1].Mark().line + 1, ""},
                "expected one YAML document, found " + std::to_string(docs.size()));
  }
  doc.lines.emplace("", 1);
  if (!docs.empty()) {
    doc.value = convert_document(docs[0], doc, limits);
  }
  return doc;
}

std::vector<Json> parse_yaml_stream(std::string_view text, const std::string& name, const ReadLimits& limits) {
  std::vector<Json> out;
  for (const auto& node : load_all(text, name, limits)) {
    Document doc;
    doc.name = name;
    out.push_back(convert_document(node, doc, limits));
  }
  return out;
}

}  // namespace galley::core
