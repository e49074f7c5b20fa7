// A fast reader for the YAML galley writes itself (recipe.yaml, bundle.yaml), on libyaml's event
// parser. Why: yaml-cpp reads a 70 kB recipe in about 10-20 ms, which alone would break the 20 ms
// budgets of `galley bundle --recipe`, `galley verify` and `galley attest`; libyaml reads it in about 1 ms.
// It is a fast path only, never the authority: anything beyond plain block YAML (anchors, aliases,
// tags, several documents, duplicate or non-scalar keys, a parse error) returns nullopt and the
// caller falls back to core::parse_yaml, with its limits and messages. Scalars resolve exactly as
// core::parse_yaml resolves them: plain ones by the YAML 1.2 core schema
// (resolve_plain_scalar), quoted and block ones as strings. The tests compare both readers
// on every recipe of the catalog.
#include <memory>
#include <vector>

#include "core/yaml_fast.hpp"

#include "core/error.hpp"
#include "core/internal/libyaml.hpp"

namespace galley::core {


namespace {

// Beyond ReadLimits' defaults the fast reader gives up, and parse_yaml's streaming check names the
// limit; so the fast path never builds more than the limits allow either.
const ReadLimits k_limits{};

}  // namespace

std::optional<Json> read_yaml_fast(std::string_view text) {
  // A carriage return not followed by a line feed: parse_yaml refuses it and names the line
  // (fuzz/yaml_fast found the two readers disagreeing on it before).
  for (size_t at = text.find('\r'); at != std::string_view::npos; at = text.find('\r', at + 1)) {
    if (at + 1 == text.size() || text[at + 1] != '\n') {
      return std::nullopt;
    }
  }
  if (text.size() > 3 && text.find("\xEF\xBB\xBF", 1) != std::string_view::npos) {
    return std::nullopt;  // a byte order mark after the start: parse_yaml refuses it
  }
  YamlParser p;
  if (!p.ok) {
    return std::nullopt;
  }
  yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);

  Json root;
  bool have_root = false;
  int documents = 0;
  // The open collections, each with the key waiting for its value (mappings only).
  struct Frame {
    Json* node;
    std::optional<std::string> key;
  };
  std::vector<Frame> stack;
  size_t nodes = 0;

  // Places `value` in the innermost open collection (or as the root); returns where it went.
  auto place = [&](Json&& value) -> Json* {
    if (stack.empty()) {
      if (have_root) {
        return nullptr;
      }
      root = std::move(value);
      have_root = true;
      return &root;
    }
    Frame& top = stack.back();
    if (top.node->is_array()) {
      top.node->push_back(std::move(value));
      return &top.node->back();
    }
    if (!top.key) {
      return nullptr;  // a collection as a key
    }
    std::string key = std::move(*top.key);
    top.key.reset();
    auto [it, inserted] = top.node->emplace(key, std::move(value));
    return inserted ? &*it : nullptr;  // nullptr: a duplicate key
  };

  for (;;) {
    YamlEvent e;
    if (yaml_parser_parse(&p.parser, &e.event) != 1) {
      return std::nullopt;
    }
    e.valid = true;
    switch (e.event.type) {
      case YAML_STREAM_START_EVENT:
      case YAML_DOCUMENT_END_EVENT:
        break;
      case YAML_DOCUMENT_START_EVENT:
        if (++documents > 1) {
          return std::nullopt;
        }
        break;
      case YAML_STREAM_END_EVENT:
        return have_root && stack.empty() ? std::optional<Json>(std::move(root)) : std::nullopt;
      case YAML_ALIAS_EVENT:
        return std::nullopt;
      case YAML_SCALAR_EVENT: {
        const auto& s = e.event.data.scalar;
        if (s.anchor != nullptr || s.tag != nullptr) {
          return std::nullopt;
        }
        std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
        if (++nodes > k_limits.max_nodes || s.length > k_limits.max_string ||
            static_cast<int>(stack.size()) > k_limits.max_depth) {
          return std::nullopt;
        }
        bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
        if (!stack.empty() && stack.back().node->is_object() && !stack.back().key) {
          if (value == "<<" || value.size() > k_limits.max_key ||
              stack.back().node->size() >= k_limits.max_keys) {
            return std::nullopt;  // a merge key or over a limit: core::parse_yaml names it
          }
          if (plain && resolve_plain_scalar(value).is_null()) {
            return std::nullopt;  // a null key ("?", "~:", "null:"): core::parse_yaml refuses it
          }
          stack.back().key = std::string(value);
          break;
        }
        if (place(plain ? resolve_plain_scalar(value) : Json(std::string(value))) == nullptr) {
          return std::nullopt;
        }
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        bool seq = e.event.type == YAML_SEQUENCE_START_EVENT;
        const unsigned char* anchor = seq ? e.event.data.sequence_start.anchor : e.event.data.mapping_start.anchor;
        const unsigned char* tag = seq ? e.event.data.sequence_start.tag : e.event.data.mapping_start.tag;
        if (anchor != nullptr || tag != nullptr || static_cast<int>(stack.size()) >= k_limits.max_depth ||
            ++nodes > k_limits.max_nodes) {
          return std::nullopt;
        }
        Json* node = place(seq ? Json::array() : Json::object());
        if (node == nullptr) {
          return std::nullopt;
        }
        stack.push_back(Frame{node, std::nullopt});
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (stack.empty() || stack.back().key) {
          return std::nullopt;
        }
        stack.pop_back();
        break;
      case YAML_NO_EVENT:
        return std::nullopt;
    }
  }
}


Document read_checked(std::string_view text, const std::string& name,
                      const std::function<void(const Document&)>& check, const FastRead& fast) {
  if (auto value = fast.read(text)) {
    Document doc{name, std::move(*value), {}, {}};
    if (fast.root_line) {
      doc.lines.emplace("", 1);
    }
    try {
      check(doc);
      return doc;
    } catch (const Error&) {
      if (text.size() > fast.reread_limit) {
        throw;
      }
      // read it again the slow way, for messages with lines
    }
  }
  Document doc = parse_yaml(text, name);
  check(doc);
  return doc;
}

}  // namespace galley::core
