#include "validate/internal/json_text.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace galley::validate {

using core::Json;

namespace {

int line_at(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// One pass over the bytes outside strings: the deepest nesting and roughly how many values there
// are (each ',' '[' '{' starts one). Cheap next to parsing, and it refuses absurd input first.
void check_shape(std::string_view text, const std::string& name, const core::ReadLimits& limits) {
  int depth = 0;
  size_t values = 1;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        ++values;
        if (++depth > limits.max_depth) {
          throw core::Error(core::Exit::bad_input, core::Where{name, line_at(text, i), ""},
                            "nesting deeper than " + std::to_string(limits.max_depth) + " levels");
        }
        break;
      case ']':
      case '}': --depth; break;
      case ',': ++values; break;
      default: break;
    }
  }
  if (values > limits.max_nodes) {
    throw core::Error(core::Exit::bad_input, core::Where{name, 0, ""},
                      "document has more than " + std::to_string(limits.max_nodes) + " values");
  }
}

}  // namespace

bool looks_like_json(std::string_view text) {
  size_t at = text.find_first_not_of(" \t\r\n");
  return at != std::string_view::npos && (text[at] == '{' || text[at] == '[');
}

Json parse_json(std::string_view text, const std::string& name, const std::set<std::string>& drop,
                const core::ReadLimits& limits) {
  if (text.size() > limits.max_bytes) {
    throw core::Error(core::Exit::bad_input, core::Where{name, 0, ""},
                      "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                          std::to_string(limits.max_bytes));
  }
  check_shape(text, name, limits);
  try {
    if (drop.empty()) {
      return Json::parse(text);
    }
    return Json::parse(text, [&drop](int, Json::parse_event_t event, Json& parsed) {
      return event != Json::parse_event_t::key || drop.count(parsed.get_ref<const std::string&>()) == 0;
    });
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    if (auto at = what.find("syntax error"); at != std::string::npos) {
      what = what.substr(at);
    }
    throw core::Error(core::Exit::bad_input, core::Where{name, line_at(text, e.byte > 0 ? e.byte - 1 : 0), ""},
                      "invalid JSON: " + what);
  }
}

}  // namespace galley::validate
