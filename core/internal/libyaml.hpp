#pragma once
// libyaml's parser and events as scoped objects, for core's two libyaml readers (the fast reader and
// the streaming limit check). Internal to core/.
#include <yaml.h>

#include <functional>
#include <string>
#include <string_view>

namespace galley::core {

// A libyaml parser, deleted on scope exit; `ok` is false when it could not be initialised.
struct YamlParser {
  YamlParser() { ok = yaml_parser_initialize(&parser) == 1; }
  ~YamlParser() { yaml_parser_delete(&parser); }
  YamlParser(const YamlParser&) = delete;
  YamlParser& operator=(const YamlParser&) = delete;
  yaml_parser_t parser{};
  bool ok = false;
};

// One parsed event, deleted on scope exit once `valid` is set.
struct YamlEvent {
  ~YamlEvent() {
    if (valid) {
      yaml_event_delete(&event);
    }
  }
  yaml_event_t event{};
  bool valid = false;
};

// Parses `text` (UTF-8) and hands each event to `step` until it returns false or the stream ends.
// Throws core::Error(bad_input) naming `name` and the line for a syntax error (libyaml's words),
// io when libyaml cannot start. Defined in read_limits.cpp.
void for_each_yaml_event(std::string_view text, const std::string& name, const std::function<bool(const yaml_event_t&)>& step);

}  // namespace galley::core
