// Fuzz target: --set PATH=VALUE (Helm paths and Helm typing of values).
#include <string>

#include "core/document.hpp"
#include "fuzz/harness.hpp"
#include "render/internal/set_values.hpp"

void galley_fuzz_one(std::string_view input) {
  std::string text(input);
  size_t eq = text.find('=');
  std::string path = text.substr(0, eq);
  std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
  galley::core::Json values = galley::core::Json::object();
  galley::core::Json defaults = galley::core::Json::parse(R"({"driver": {"enabled": true, "version": "1"}, "list": [1, 2]})");
  galley::render::apply_set(values, path, galley::render::parse_set_value(value), defaults, galley::core::OptionField{"set"});
}
