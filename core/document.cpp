#include "core/document.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "core/error.hpp"
#include "core/internal/libyaml.hpp"

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

bool is_null_text(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// A path below `from`, re-rooted at `to`: the part of `path` after `from`, written after `to`.
std::string reroot(const std::string& from, const std::string& path, const std::string& to) {
  std::string rest = path.substr(from.size());
  if (from.empty() && !rest.empty() && rest[0] != '[') {
    rest.insert(0, ".");
  }
  if (to.empty() && !rest.empty() && rest[0] == '.') {
    rest.erase(0, 1);
  }
  return to + rest;
}

bool is_below(const std::string& path, const std::string& top) {
  if (path.size() <= top.size() || path.compare(0, top.size(), top) != 0) {
    return false;
  }
  return top.empty() || path[top.size()] == '.' || path[top.size()] == '[';
}

// Builds documents from libyaml events (after check_yaml_limits has passed the same text): values by
// the YAML 1.2 core schema, the line of every field, aliases expanded with the lines of what they
// repeat. Nothing recursive: open collections are an explicit stack, bounded by max_depth.
// A node's line is the line of its first token (its anchor or tag included); an empty node's is the
// line of the token after it, as yaml-cpp (the reader before this one) gave them, so messages name the
// same lines. Problems in a document's content (duplicate keys, a collection as a key, merge keys, a
// tag its value does not fit) are kept and thrown once the whole stream is read, so that several
// documents where one is expected is named first; an undefined alias is named at once.
class Builder {
 public:
  Builder(std::string_view text, const std::string& name, const ReadLimits& limits)
      : m_text(text), m_name(name), m_limits(limits), m_last_line(1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'))) {}

  // One read document: its value and lines, or the first problem in its content.
  struct Read {
    Document doc;
    int line = 0;  // of its root node
    std::optional<Error> problem;
  };

  // One event; false at the end of the stream.
  bool step(const yaml_event_t& e) {
    int line = static_cast<int>(e.start_mark.line) + 1;
    switch (e.type) {
      case YAML_STREAM_END_EVENT: return false;
      case YAML_DOCUMENT_START_EVENT:
        m_docs.push_back(Read{});
        m_docs.back().doc.name = m_name;
        m_docs.back().doc.lines.emplace("", 1);
        m_anchors.clear();
        m_nodes = 0;
        break;
      case YAML_SCALAR_EVENT: scalar(e, line); break;
      case YAML_ALIAS_EVENT: alias(e, line); break;
      case YAML_SEQUENCE_START_EVENT: open(false, e.data.sequence_start.anchor, line); break;
      case YAML_MAPPING_START_EVENT: open(true, e.data.mapping_start.anchor, line); break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: close(); break;
      default: break;
    }
    return true;
  }

  // The documents read so far: all of them once step() returned false.
  std::vector<Read>& documents() { return m_docs; }

 private:
  enum class Kind { null, scalar, sequence, map };

  // A finished node: its value, its line, and for a scalar its text (a map key is the text).
  struct Node {
    Json value;
    int line = 0;
    Kind kind = Kind::null;
    std::string text;
    std::string anchor;
  };

  // What an anchor names: the node and the lines below it (paths relative to `path`).
  struct Anchored {
    Node node;
    std::string path;
    std::vector<std::pair<std::string, int>> lines;
    size_t nodes = 1;  // the nodes it holds, itself included
  };

  // An open collection.
  struct Frame {
    Node node;
    std::string path;
    size_t items = 0;
    size_t nodes_at_start = 0;
    std::optional<Node> key;  // a map's key waiting for its value
    bool is_key = false;      // this collection is a map key
    int first_line = 0;       // the line of its first finished child
  };

  Document& doc() { return m_docs.back().doc; }

  // The first problem of the document; none inside a collection used as a key, which is refused whole.
  void problem(int line, const std::string& path, const std::string& message) {
    if (m_key_frames == 0 && !m_docs.back().problem) {
      m_docs.back().problem = Error(Exit::bad_input, Where{m_name, line, path}, message);
    }
  }

  void count(int line, int depth, size_t n = 1) {
    if (n > m_limits.max_nodes || m_nodes > m_limits.max_nodes - n) {
      throw Error(Exit::bad_input, Where{m_name, line, ""},
                  "document expands to more than " + std::to_string(m_limits.max_nodes) + " nodes (an alias bomb?)");
    }
    m_nodes += n;
    if (depth > m_limits.max_depth) {
      throw Error(Exit::bad_input, Where{m_name, line, ""}, "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels");
    }
  }

  // The line of the first token at or after `mark` (blanks, line breaks and comments skipped): an
  // empty node's line, where libyaml marks the end of the indicator before it.
  int next_token_line(const yaml_mark_t& mark) const {
    if (mark.index >= m_text.size()) {
      return m_last_line;  // libyaml starts a new line at the end even without a line break
    }
    int line = static_cast<int>(mark.line) + 1;
    for (size_t i = mark.index; i < m_text.size(); ++i) {
      char c = m_text[i];
      if (c == '\n') {
        ++line;
      } else if (c == '#') {
        while (i + 1 < m_text.size() && m_text[i + 1] != '\n') {
          ++i;
        }
      } else if (c != ' ' && c != '\t' && c != '\r') {
        break;
      }
    }
    return line;
  }

  bool at_key() const { return !m_stack.empty() && m_stack.back().node.kind == Kind::map && !m_stack.back().key; }

  // The path a node starting now will have ("" for a key: keys hold no lines of their own).
  std::string next_path() const {
    if (m_stack.empty()) {
      return "";
    }
    const Frame& top = m_stack.back();
    if (top.node.kind == Kind::sequence) {
      return index(top.path, top.items);
    }
    return top.key ? child(top.path, top.key->text) : "";
  }

  void scalar(const yaml_event_t& e, int line) {
    const auto& s = e.data.scalar;
    Node n;
    n.line = line;
    n.text.assign(reinterpret_cast<const char*>(s.value), s.length);
    n.anchor = s.anchor != nullptr ? reinterpret_cast<const char*>(s.anchor) : "";
    count(line, static_cast<int>(m_stack.size()));
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    std::string tag = s.tag != nullptr ? reinterpret_cast<const char*>(s.tag) : "";
    // A tagged empty root node is null, as yaml-cpp read it (a tagged empty node elsewhere is "").
    bool empty_root = m_stack.empty() && plain && n.text.empty();
    if ((tag.empty() && plain && is_null_text(n.text)) || empty_root) {
      n.kind = Kind::null;
      n.value = nullptr;
      if (n.text.empty() && n.anchor.empty()) {
        n.line = next_token_line(e.start_mark);
      }
    } else {
      n.kind = Kind::scalar;
      n.value = scalar_value(n, tag, plain, line);
    }
    complete(std::move(n));
  }

  Json scalar_value(const Node& n, const std::string& tag, bool plain, int line) {
    if (tag == "!" || tag == "tag:yaml.org,2002:str" || (tag.empty() && !plain)) {
      return n.text;
    }
    Json v = resolve_plain_scalar(n.text);
    bool ok = tag.empty() || (tag == "tag:yaml.org,2002:int" && v.is_number_integer()) ||
              (tag == "tag:yaml.org,2002:float" && v.is_number()) ||
              (tag == "tag:yaml.org,2002:bool" && v.is_boolean()) || (tag == "tag:yaml.org,2002:null" && v.is_null());
    if (!ok && !at_key()) {
      problem(line, next_path(), "unsupported tag " + tag + " on \"" + n.text + "\"");
    }
    return v;
  }

  void alias(const yaml_event_t& e, int line) {
    std::string name = reinterpret_cast<const char*>(e.data.alias.anchor);
    auto it = m_anchors.find(name);
    if (it == m_anchors.end()) {
      for (const Frame& f : m_stack) {
        if (f.node.anchor == name) {  // an alias inside the node it names: endless nesting
          // named where yaml-cpp's expansion passed the depth: the node's first child
          throw Error(Exit::bad_input, Where{m_name, f.first_line > 0 ? f.first_line : f.node.line, ""},
                      "nesting deeper than " + std::to_string(m_limits.max_depth) + " levels");
        }
      }
      throw Error(Exit::bad_input, Where{m_name, line, ""}, "invalid YAML: the referenced anchor is not defined");
    }
    const Anchored& a = it->second;
    int depth = static_cast<int>(m_stack.size());
    count(line, depth, a.nodes);
    std::string path = next_path();
    if (!at_key()) {
      for (const auto& [below, below_line] : a.lines) {
        doc().lines.emplace(reroot(a.path, below, path), below_line);
      }
    }
    Node n = a.node;
    n.anchor.clear();
    complete(std::move(n));
  }

  void open(bool map, const unsigned char* anchor, int line) {
    count(line, static_cast<int>(m_stack.size()));
    Frame f;
    f.node.kind = map ? Kind::map : Kind::sequence;
    f.node.value = map ? Json::object() : Json::array();
    f.node.line = line;
    f.node.anchor = anchor != nullptr ? reinterpret_cast<const char*>(anchor) : "";
    if (!f.node.anchor.empty()) {
      m_anchors.erase(f.node.anchor);  // redefined from here on: an alias inside names this node
    }
    f.path = next_path();
    f.nodes_at_start = m_nodes - 1;
    f.is_key = at_key();
    m_key_frames += f.is_key ? 1 : 0;
    if (!m_stack.empty() && m_stack.back().node.kind == Kind::sequence) {
      doc().lines.emplace(f.path, line);
    }
    m_stack.push_back(std::move(f));
  }

  // The end of the innermost collection (libyaml pairs every end event with its start).
  void close() {
    Frame f = std::move(m_stack.back());
    m_stack.pop_back();
    m_key_frames -= f.is_key ? 1 : 0;
    if (!f.node.anchor.empty()) {
      remember(f.node, f.path, m_nodes - f.nodes_at_start);
    }
    f.node.anchor.clear();
    attach(std::move(f.node));
  }

  void remember(const Node& n, const std::string& path, size_t nodes) {
    Anchored a{n, path, {}, nodes};
    a.node.anchor.clear();
    if (n.kind == Kind::sequence || n.kind == Kind::map) {
      const auto& lines = doc().lines;
      for (auto it = lines.lower_bound(path); it != lines.end() && (it->first == path || is_below(it->first, path)); ++it) {
        if (it->first != path) {
          a.lines.emplace_back(it->first, it->second);
        }
      }
    }
    m_anchors[n.anchor] = std::move(a);
  }

  // A scalar, null or alias is complete: remembered when anchored, then placed.
  void complete(Node n) {
    if (!n.anchor.empty()) {
      remember(n, next_path(), 1);
      n.anchor.clear();
    }
    if (!m_stack.empty() && m_stack.back().node.kind == Kind::sequence) {
      doc().lines.emplace(next_path(), n.line);
    }
    attach(std::move(n));
  }

  // Places a finished node in the innermost open collection, or as the document's root.
  void attach(Node n) {
    if (m_stack.empty()) {
      if (!m_docs.empty()) {
        m_docs.back().doc.value = std::move(n.value);
        m_docs.back().line = n.line;
      }
      return;
    }
    Frame& top = m_stack.back();
    if (top.first_line == 0) {
      top.first_line = n.line;
    }
    if (top.node.kind == Kind::sequence) {
      top.node.value.push_back(std::move(n.value));
      ++top.items;
      return;
    }
    if (!top.key) {
      key(top, std::move(n));
      return;
    }
    std::string key_text = std::move(top.key->text);
    top.key.reset();
    top.node.value[key_text] = std::move(n.value);
  }

  void key(Frame& top, Node n) {
    std::string path = child(top.path, n.text);
    if (n.kind != Kind::scalar) {
      problem(n.line, top.path, "a map key must be a plain value");
    } else if (n.text == "<<") {
      problem(n.line, top.path, "merge keys (<<) are not supported");
    } else if (top.node.value.contains(n.text)) {
      problem(n.line, path, "duplicate key");
    } else {
      doc().lines.emplace(path, n.line);
    }
    top.key = std::move(n);
  }

  std::string_view m_text;
  const std::string& m_name;
  const ReadLimits& m_limits;
  std::vector<Read> m_docs;
  std::vector<Frame> m_stack;
  std::map<std::string, Anchored> m_anchors;
  size_t m_nodes = 0;
  int m_key_frames = 0;  // open collections that are map keys
  int m_last_line;       // the line at the end of the text
};

// Refuses what YAML readers disagree on (found by fuzzing libyaml against yaml-cpp): a carriage
// return without a line feed (a line break to libyaml, text to yaml-cpp) and a byte order mark after
// the start of the text. Only \n and \r\n end lines.
void check_line_ends(std::string_view text, const std::string& name) {
  int line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
    } else if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
      throw Error(Exit::bad_input, Where{name, line, ""}, "a carriage return without a line feed (lines end with \\n or \\r\\n)");
    } else if (text[i] == '\xEF' && i > 0 && text.compare(i, 3, "\xEF\xBB\xBF") == 0) {
      throw Error(Exit::bad_input, Where{name, line, ""}, "a byte order mark (U+FEFF) after the start of the text");
    }
  }
}

std::vector<Builder::Read> read_documents(std::string_view text, const std::string& name, const ReadLimits& limits) {
  if (int line = first_bad_utf8_line(text)) {
    throw Error(Exit::bad_input, Where{name, line, ""}, "text is not valid UTF-8");
  }
  check_line_ends(text, name);
  check_yaml_limits(text, name, limits);  // limits, tags and syntax, before anything is built
  Builder builder(text, name, limits);
  for_each_yaml_event(text, name, [&builder](const yaml_event_t& e) { return builder.step(e); });
  return std::move(builder.documents());
}

}  // namespace

Document parse_yaml(std::string_view text, const std::string& name, const ReadLimits& limits) {
  std::vector<Builder::Read> docs = read_documents(text, name, limits);
  if (docs.size() > 1) {
    throw Error(Exit::bad_input, Where{name, docs[1].line, ""},
                "expected one YAML document, found " + std::to_string(docs.size()));
  }
  if (docs.empty()) {
    Document doc;
    doc.name = name;
    doc.lines.emplace("", 1);
    return doc;
  }
  if (docs[0].problem) {
    throw *docs[0].problem;
  }
  return std::move(docs[0].doc);
}

std::vector<Json> parse_yaml_stream(std::string_view text, const std::string& name, const ReadLimits& limits) {
  std::vector<Json> out;
  for (auto& read : read_documents(text, name, limits)) {
    if (read.problem) {
      throw *read.problem;
    }
    out.push_back(std::move(read.doc.value));
  }
  return out;
}

}  // namespace galley::core
