#include "core/yaml_emit.hpp"

#include "core/error.hpp"

namespace galley::core {

namespace {

bool is_indicator(char c) {
  switch (c) {
    case '-': case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#':
    case '&': case '*': case '!': case '|': case '>': case '\'': case '"': case '%': case '@':
    case '`':
      return true;
    default:
      return false;
  }
}

// A string may be written plain when a YAML reader gives it back as the same string.
bool plain_ok(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || is_indicator(s.front())) {
    return false;
  }
  if (!resolve_plain_scalar(s).is_string()) {
    return false;
  }
  static const char* const k_yaml11_words[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
                                               "NO", "on", "On", "ON", "off", "Off", "OFF"};
  for (const char* w : k_yaml11_words) {
    if (s == w) {
      return false;  // YAML 1.1 readers (Helm's) would take these for booleans
    }
  }
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      return false;
    }
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) {
      return false;
    }
    if (c == '#' && i > 0 && s[i - 1] == ' ') {
      return false;
    }
  }
  return true;
}

// Multi-line text reads best as a literal block; only when every line is printable.
bool block_ok(const std::string& s) {
  if (s.find('\n') == std::string::npos || s.front() == ' ' || s.front() == '\n') {
    return false;
  }
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n') || c == 0x7f) {
      return false;
    }
  }
  return true;
}

std::string quoted(const std::string& s) { return Json(s).dump(-1, ' ', false, Json::error_handler_t::strict); }

std::string scalar_text(const Json& v) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    return plain_ok(s) ? s : quoted(s);
  }
  return v.dump();
}

void emit(const Json& v, int indent, std::string& out);

std::string block_literal(const std::string& s, int indent) {
  std::string chomp = "|-";
  if (s.back() == '\n') {
    chomp = (s.size() >= 2 && s[s.size() - 2] == '\n') ? "|+" : "|";
  }
  std::string pad(static_cast<size_t>(indent), ' ');
  std::string out = chomp + "\n";
  size_t start = 0;
  std::string body = chomp == "|-" ? s : s.substr(0, s.size() - 1);
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    std::string line = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += line.empty() ? "\n" : pad + line + "\n";
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return out;
}

bool is_empty_collection(const Json& v) { return (v.is_object() || v.is_array()) && v.empty(); }

// Writes the value that follows "key:" or "- ".
void emit_after_key(const Json& v, int indent, std::string& out) {
  if (is_empty_collection(v)) {
    out += v.is_object() ? " {}\n" : " []\n";
  } else if (v.is_object() || v.is_array()) {
    out += "\n";
    emit(v, indent, out);
  } else if (v.is_string() && block_ok(v.get_ref<const std::string&>())) {
    out += " " + block_literal(v.get_ref<const std::string&>(), indent);
  } else {
    out += " " + scalar_text(v) + "\n";
  }
}

void emit(const Json& v, int indent, std::string& out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      out += pad + scalar_text(Json(key)) + ":";
      emit_after_key(value, indent + 2, out);
    }
  } else if (v.is_array()) {
    for (const auto& item : v) {
      if (item.is_object() && !item.empty()) {
        // "- key: value" with the rest of the map aligned under the first key.
        std::string nested;
        emit(item, indent + 2, nested);
        out += pad + "- " + nested.substr(static_cast<size_t>(indent) + 2);
      } else {
        out += pad + "-";
        emit_after_key(item, indent + 2, out);
      }
    }
  } else {
    out += pad + scalar_text(v) + "\n";
  }
}

}  // namespace

std::string to_yaml(const Json& value) {
  std::string out;
  try {
    if (is_empty_collection(value) || !(value.is_object() || value.is_array())) {
      out = scalar_text(value.is_object() && value.empty() ? Json() : value);
      if (value.is_object()) {
        out = "{}";
      } else if (value.is_array()) {
        out = "[]";
      }
      out += "\n";
    } else {
      emit(value, 0, out);
    }
  } catch (const Json::exception& e) {
    throw Error(Exit::bad_input, std::string("cannot write YAML: ") + e.what());
  }
  return out;
}

std::string canonical_json(const Json& value) {
  try {
    return value.dump(-1, ' ', false, Json::error_handler_t::strict);
  } catch (const Json::exception& e) {
    throw Error(Exit::bad_input, std::string("cannot write canonical JSON: ") + e.what());
  }
}

std::string to_pretty_json(const Json& value) {
  try {
    return value.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
  } catch (const Json::exception& e) {
    throw Error(Exit::bad_input, std::string("cannot write JSON: ") + e.what());
  }
}

}  // namespace galley::core
