// Reading Snapshot documents. A 5,000-node cluster snapshot is tens of MB of JSON; a YAML reader with
// a line per field takes long on that, so JSON goes straight to nlohmann and the line map is built only when a schema
// error needs lines to point at (by re-reading the file as YAML, which JSON is).
#include "core/schema.hpp"
#include "core/yaml_fast.hpp"
#include "validate/internal/json_text.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

namespace {
constexpr size_t k_relines_limit = 16u << 20;  // above this, errors keep line 1 rather than re-read
}

core::Document read_snapshot(std::string_view text, const std::string& name) {
  core::FastRead fast;
  fast.read = [&name](std::string_view json) -> std::optional<core::Json> {
    if (!looks_like_json(json)) {
      return std::nullopt;  // YAML: parse_yaml, with lines
    }
    return parse_json(json, name);
  };
  fast.reread_limit = k_relines_limit;
  fast.root_line = true;
  return core::read_checked(text, name, [](const core::Document& doc) { core::check_document(doc, {"Snapshot"}); },
                            fast);
}

}  // namespace galley::validate
