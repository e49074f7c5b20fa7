#include "render/internal/set_values.hpp"

#include <charconv>
#include <variant>

#include "core/error.hpp"

namespace galley::render {

using core::Error;
using core::Exit;
using core::Json;

namespace {

std::vector<std::string> split_list(const std::string& inner) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\' && i + 1 < inner.size()) {
      cur += inner[++i];
    } else if (inner[i] == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += inner[i];
    }
  }
  out.push_back(cur);
  return out;
}

using Segment = std::variant<std::string, size_t>;

std::vector<Segment> parse_path(const std::string& path, const core::OptionField& what) {
  std::vector<Segment> out;
  std::string key;
  auto bad = [&](const std::string& why) { return Error(Exit::bad_input, what, why); };
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '\\' && i + 1 < path.size()) {
      key += path[++i];
    } else if (c == '.') {
      if (key.empty()) {
        if (!out.empty() && std::holds_alternative<size_t>(out.back())) {
          continue;  // "a[0].b"
        }
        throw bad("empty key in path \"" + path + "\"");
      }
      out.emplace_back(key);
      key.clear();
    } else if (c == '[') {
      if (!key.empty()) {
        out.emplace_back(key);
        key.clear();
      }
      size_t close = path.find(']', i);
      std::string num = close == std::string::npos ? "" : path.substr(i + 1, close - i - 1);
      size_t n = 0;
      auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
      if (num.empty() || ec != std::errc() || p != num.data() + num.size() || n > 10000) {
        throw bad("bad list index in path \"" + path + "\"");
      }
      out.emplace_back(n);
      i = close;
    } else {
      key += c;
    }
  }
  if (!key.empty()) {
    out.emplace_back(key);
  } else if (out.empty() || !std::holds_alternative<size_t>(out.back())) {
    throw bad("empty key in path \"" + path + "\"");
  }
  return out;
}

std::string kind_of(const Json& v) {
  if (v.is_object()) {
    return "a map";
  }
  if (v.is_array()) {
    return "a list";
  }
  if (v.is_boolean()) {
    return "a boolean";
  }
  return v.is_null() ? "null" : "a scalar";
}

// Structure must agree with the chart's default; scalars of another type only for booleans.
bool conflicts(const Json& chart, const Json& value) {
  if (chart.is_null() || value.is_null()) {
    return false;
  }
  if (chart.is_object() != value.is_object() || chart.is_array() != value.is_array()) {
    return true;
  }
  return chart.is_boolean() != value.is_boolean() && chart.is_primitive() && value.is_primitive();
}

}  // namespace

Json parse_set_value(const std::string& text) {
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    Json list = Json::array();
    for (const auto& item : split_list(text.substr(1, text.size() - 2))) {
      list.push_back(parse_set_value(item));
    }
    return list;
  }
  if (text == "true" || text == "false") {
    return text == "true";
  }
  if (text == "null") {
    return nullptr;
  }
  long long n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  bool leading_zero = text.size() > 1 && text[0] == '0';
  if (!text.empty() && ec == std::errc() && p == text.data() + text.size() && !leading_zero) {
    return n;  // Helm keeps other numbers (1.5, 0123) as strings
  }
  return text;
}

void apply_set(Json& values, const std::string& path, const Json& value, const Json& defaults,
               const core::OptionField& what) {
  auto segments = parse_path(path, what);
  Json* target = &values;
  const Json* chart = &defaults;
  static const Json k_null;
  for (size_t i = 0; i < segments.size(); ++i) {
    bool last = i + 1 == segments.size();
    if (const auto* key = std::get_if<std::string>(&segments[i])) {
      if (!target->is_object()) {
        *target = Json::object();
      }
      target = &(*target)[*key];
      chart = chart->is_object() && chart->contains(*key) ? &(*chart)[*key] : &k_null;
    } else {
      size_t n = std::get<size_t>(segments[i]);
      if (chart->is_object() || (chart->is_primitive() && !chart->is_null())) {
        throw Error(Exit::bad_input, what, "the chart has " + kind_of(*chart) + " here, not a list");
      }
      if (!target->is_array()) {
        *target = Json::array();
      }
      while (target->size() <= n) {
        target->push_back(nullptr);
      }
      target = &(*target)[n];
      chart = chart->is_array() && n < chart->size() ? &(*chart)[n] : &k_null;
    }
    if (!last && chart->is_primitive() && !chart->is_null()) {
      throw Error(Exit::bad_input, what, "the chart has " + kind_of(*chart) + " at a parent of this path");
    }
  }
  if (conflicts(*chart, value)) {
    throw Error(Exit::bad_input, what,
                "type conflict: the chart's value here is " + kind_of(*chart) + " (" + chart->dump().substr(0, 60) +
                    "), the value given is " + kind_of(value));
  }
  *target = value;
}

}  // namespace galley::render
