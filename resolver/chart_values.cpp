#include "resolver/chart_values.hpp"

#include "core/embedded.hpp"
#include "core/error.hpp"

namespace galley::resolver {

namespace {
std::optional<std::string_view> embedded(const std::string& file) {
  for (const auto& f : chart_values_data::files()) {
    if (f.path == file) {
      return f.bytes;
    }
  }
  return std::nullopt;
}
}  // namespace

std::optional<core::Document> chart_values(const std::string& component) {
  std::string file = "charts/" + component + ".yaml";
  auto bytes = embedded(file);
  if (!bytes) {
    return std::nullopt;
  }
  return core::parse_yaml(*bytes, "recipes/" + file);
}

std::optional<core::Json> chart_values_schema(const std::string& component) {
  std::string file = "charts/" + component + ".schema.json";
  auto bytes = embedded(file);
  if (!bytes) {
    return std::nullopt;
  }
  try {
    return core::Json::parse(*bytes);
  } catch (const core::Json::exception& e) {
    throw core::Error(core::Exit::bad_input, core::Where{"recipes/" + file, 0, ""}, e.what());
  }
}

}  // namespace galley::resolver
