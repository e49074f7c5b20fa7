// Limits enforced while reading (docs/limits.md): a streaming pass of libyaml events before
// core/document.cpp builds anything, and nlohmann's iterative parser with a callback for JSON. Both refuse at
// the first event over a limit, so a 16 MB flow list or a 100,000-level nesting costs milliseconds
// and no tree, and nothing recursive ever sees input deeper than max_depth.
#include <algorithm>
#include <map>
#include <vector>

#include "core/document.hpp"
#include "core/error.hpp"
#include "core/internal/libyaml.hpp"

namespace galley::core {

namespace {

int line_at(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

[[noreturn]] void over(const std::string& name, int line, const std::string& what) {
  throw Error(Exit::bad_input, Where{name, line, ""}, what);
}

void check_size(std::string_view text, const std::string& name, const ReadLimits& limits) {
  if (text.size() > limits.max_bytes) {
    over(name, 0, "file is " + std::to_string(text.size()) + " bytes; the limit is " + std::to_string(limits.max_bytes));
  }
}

std::string nodes_message(const ReadLimits& limits) {
  return "document has more than " + std::to_string(limits.max_nodes) + " nodes (the limit; an alias bomb?)";
}

std::string depth_message(const ReadLimits& limits) {
  return "nesting deeper than " + std::to_string(limits.max_depth) + " levels (the limit)";
}

std::string key_message(size_t size, const ReadLimits& limits) {
  return "a map key of " + std::to_string(size) + " bytes; the limit is " + std::to_string(limits.max_key);
}

std::string string_message(size_t size, const ReadLimits& limits) {
  return "a value of " + std::to_string(size) + " bytes; the limit is " + std::to_string(limits.max_string);
}

std::string keys_message(const ReadLimits& limits) {
  return "a map with more than " + std::to_string(limits.max_keys) + " keys (the limit)";
}

const char* const k_core = "tag:yaml.org,2002:";

bool allowed_tag(const unsigned char* raw, yaml_event_type_t type) {
  if (raw == nullptr) {
    return true;
  }
  std::string tag(reinterpret_cast<const char*>(raw));
  if (tag == "!") {
    return true;
  }
  if (tag.rfind(k_core, 0) != 0) {
    return false;
  }
  std::string kind = tag.substr(std::char_traits<char>::length(k_core));
  switch (type) {
    case YAML_SCALAR_EVENT:
      return kind == "str" || kind == "int" || kind == "float" || kind == "bool" || kind == "null";
    case YAML_SEQUENCE_START_EVENT: return kind == "seq";
    case YAML_MAPPING_START_EVENT: return kind == "map";
    default: return false;
  }
}

// The walk over events: open collections, the nodes counted so far and what each anchor repeats.
class YamlScan {
 public:
  YamlScan(std::string_view text, const std::string& name, const ReadLimits& limits)
      : m_text(text), m_name(name), m_limits(limits) {}

  // One event; false at the end of the stream.
  bool step(const yaml_event_t& e) {
    m_line = static_cast<int>(e.start_mark.line) + 1;
    switch (e.type) {
      case YAML_STREAM_END_EVENT: return false;
      case YAML_SCALAR_EVENT: scalar(e); break;
      case YAML_ALIAS_EVENT: alias(e); break;
      case YAML_SEQUENCE_START_EVENT:
        open(e, false, e.data.sequence_start.anchor, e.data.sequence_start.tag);
        break;
      case YAML_MAPPING_START_EVENT:
        open(e, true, e.data.mapping_start.anchor, e.data.mapping_start.tag);
        break;
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: close(); break;
      default: break;
    }
    return true;
  }

 private:
  struct Frame {
    bool map = false;
    bool expect_key = true;
    size_t keys = 0;
    size_t nodes_at_start = 0;
    int height = 0;  // levels below this collection so far
    std::string anchor;
  };

  int depth() const { return static_cast<int>(m_stack.size()); }

  void count(size_t n) {
    if (n > m_limits.max_nodes || m_nodes > m_limits.max_nodes - n) {
      over(m_name, m_line, nodes_message(m_limits));
    }
    m_nodes += n;
  }

  bool at_key() const { return !m_stack.empty() && m_stack.back().map && m_stack.back().expect_key; }

  // A node of `height` levels below it is complete: the parent learns its height and, in a map,
  // flips between key and value.
  void done(int height) {
    if (m_stack.empty()) {
      return;
    }
    Frame& top = m_stack.back();
    top.height = std::max(top.height, height + 1);
    if (top.map) {
      top.expect_key = !top.expect_key;
    }
  }

  void key_seen() {
    if (++m_stack.back().keys > m_limits.max_keys) {
      over(m_name, m_line, keys_message(m_limits));
    }
  }

  void check_tag(const unsigned char* tag, yaml_event_type_t type) {
    if (!allowed_tag(tag, type)) {
      over(m_name, m_line, std::string("unsupported tag ") + reinterpret_cast<const char*>(tag) +
                               " (values are plain data: strings, numbers, booleans, null, maps and lists)");
    }
  }

  // YAML 1.2 anchor names hold no flow indicator; libyaml (YAML 1.1) takes "&a," whole where
  // yaml-cpp reads "&a" then a "," it loops on forever (found by fuzz/yaml_document): refused here.
  // Likewise "&u?," : libyaml ends the anchor at '?', yaml-cpp takes "u?" and spins on the ','. An
  // anchor is followed by a blank, a line break, the end or (in a flow) an indicator.
  void check_anchor(const unsigned char* anchor, size_t from) {
    if (anchor == nullptr) {
      return;
    }
    std::string_view name(reinterpret_cast<const char*>(anchor));
    if (name.find_first_of(",[]{}") != std::string_view::npos) {
      over(m_name, m_line, "an anchor or alias name holds one of , [ ] { }");
    }
    size_t at = m_text.find(name, from);
    size_t after = at == std::string_view::npos ? m_text.size() : at + name.size();
    if (after < m_text.size() && std::string_view(" \t\r\n,]}").find(m_text[after]) == std::string_view::npos) {
      over(m_name, m_line, "an anchor or alias name must be followed by a space");
    }
  }

  void remember(const unsigned char* anchor, size_t nodes, int height) {
    if (anchor != nullptr) {
      m_anchors[reinterpret_cast<const char*>(anchor)] = {nodes, height};
    }
  }

  void scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    check_tag(s.tag, e.type);
    check_anchor(s.anchor, e.start_mark.index);
    count(1);
    if (depth() > m_limits.max_depth) {
      over(m_name, m_line, depth_message(m_limits));
    }
    if (at_key()) {
      if (s.length > m_limits.max_key) {
        over(m_name, m_line, key_message(s.length, m_limits));
      }
      key_seen();
    } else if (s.length > m_limits.max_string) {
      over(m_name, m_line, string_message(s.length, m_limits));
    }
    remember(s.anchor, 1, 0);
    done(0);
  }

  void alias(const yaml_event_t& e) {
    check_anchor(e.data.alias.anchor, e.start_mark.index);
    auto it = m_anchors.find(reinterpret_cast<const char*>(e.data.alias.anchor));
    if (it == m_anchors.end()) {
      return;  // unknown or unfinished anchor: the parser that follows names the error
    }
    count(it->second.first);
    if (depth() + it->second.second > m_limits.max_depth) {
      over(m_name, m_line, depth_message(m_limits));
    }
    if (at_key()) {
      key_seen();
    }
    done(it->second.second);
  }

  void open(const yaml_event_t& e, bool map, const unsigned char* anchor, const unsigned char* tag) {
    check_tag(tag, e.type);
    check_anchor(anchor, e.start_mark.index);
    count(1);
    if (depth() + 1 > m_limits.max_depth) {
      over(m_name, m_line, depth_message(m_limits));
    }
    if (at_key()) {
      key_seen();
    }
    Frame f;
    f.map = map;
    f.nodes_at_start = m_nodes - 1;
    f.anchor = anchor != nullptr ? reinterpret_cast<const char*>(anchor) : "";
    m_stack.push_back(std::move(f));
  }

  void close() {
    if (m_stack.empty()) {
      return;
    }
    Frame f = std::move(m_stack.back());
    m_stack.pop_back();
    if (!f.anchor.empty()) {
      m_anchors[f.anchor] = {m_nodes - f.nodes_at_start, f.height};
    }
    done(f.height);
  }

  std::string_view m_text;
  const std::string& m_name;
  const ReadLimits& m_limits;
  int m_line = 0;
  size_t m_nodes = 0;
  std::vector<Frame> m_stack;
  std::map<std::string, std::pair<size_t, int>> m_anchors;  // nodes and height of each anchored node
};

}  // namespace

void for_each_yaml_event(std::string_view text, const std::string& name, const std::function<bool(const yaml_event_t&)>& step) {
  YamlParser p;
  if (!p.ok) {
    throw Error(Exit::io, Where{name, 0, ""}, "cannot start the YAML reader");
  }
  yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);
  for (;;) {
    YamlEvent e;
    if (yaml_parser_parse(&p.parser, &e.event) != 1) {
      // A syntax error is named here and never handed on: yaml-cpp loops forever on some (a lone
      // "," grows memory without end), found by fuzz/criteria_document.
      std::string problem = p.parser.problem != nullptr ? p.parser.problem : "syntax error";
      if (p.parser.context != nullptr) {
        problem = std::string(p.parser.context) + ": " + problem;
      }
      throw Error(Exit::bad_input, Where{name, static_cast<int>(p.parser.problem_mark.line) + 1, ""}, "invalid YAML: " + problem);
    }
    e.valid = true;
    if (!step(e.event)) {
      return;
    }
  }
}

void check_yaml_limits(std::string_view text, const std::string& name, const ReadLimits& limits) {
  check_size(text, name, limits);
  YamlScan scan(text, name, limits);
  for_each_yaml_event(text, name, [&scan](const yaml_event_t& e) { return scan.step(e); });
}

Json parse_json(std::string_view text, const std::string& name, const std::set<std::string>& drop,
                const ReadLimits& limits) {
  check_size(text, name, limits);
  size_t nodes = 0;
  std::vector<size_t> keys;  // per open collection: keys so far (arrays keep 0)
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (++nodes > limits.max_nodes) {
          over(name, 0, nodes_message(limits));
        }
        if (depth + 1 > limits.max_depth) {
          over(name, 0, depth_message(limits));
        }
        keys.push_back(0);
        return true;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (!keys.empty()) {
          keys.pop_back();
        }
        return true;
      case Json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (key.size() > limits.max_key) {
          over(name, 0, key_message(key.size(), limits));
        }
        if (!keys.empty() && ++keys.back() > limits.max_keys) {
          over(name, 0, keys_message(limits));
        }
        return drop.empty() || drop.count(key) == 0;
      }
      case Json::parse_event_t::value:
        if (++nodes > limits.max_nodes) {
          over(name, 0, nodes_message(limits));
        }
        if (parsed.is_string() && parsed.get_ref<const std::string&>().size() > limits.max_string) {
          over(name, 0, string_message(parsed.get_ref<const std::string&>().size(), limits));
        }
        return true;
    }
    return true;
  };
  try {
    return Json::parse(text, callback);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    if (auto at = what.find("syntax error"); at != std::string::npos) {
      what = what.substr(at);
    }
    if (auto at = what.find("; last read:"); at != std::string::npos) {
      what = what.substr(0, at);  // never echo the input: it may hold a credential
    }
    throw Error(Exit::bad_input, Where{name, line_at(text, e.byte > 0 ? e.byte - 1 : 0), ""}, "invalid JSON: " + what);
  } catch (const Json::out_of_range& e) {
    // 406: a number beyond a double's range (1e999)
    std::string what = e.what();
    std::string number;
    if (auto open = what.find('\''), close = what.rfind('\''); open != std::string::npos && close > open) {
      number = what.substr(open + 1, close - open - 1);
    }
    int line = number.empty() ? 0 : line_at(text, text.find(number));
    throw Error(Exit::bad_input, Where{name, line, ""},
                "number " + (number.size() > 40 ? number.substr(0, 40) + "..." : number) +
                    " is out of range (the limit is a 64-bit float)");
  }
}

}  // namespace galley::core
