// Reading Snapshot documents. A 5,000-node cluster snapshot is tens of MB of JSON; yaml-cpp takes
// seconds on that, so JSON goes straight to nlohmann and the line map is built only when a schema
// error needs lines to point at (by re-reading the file as YAML, which JSON is).
#include "core/error.hpp"
#include "core/schema.hpp"
#include "validate/json_text.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

namespace {
constexpr size_t k_relines_limit = 16u << 20;  // above this, errors keep line 0 rather than re-read
}

core::Document read_snapshot(std::string_view text, const std::string& name) {
  if (!looks_like_json(text)) {
    core::Document doc = core::parse_yaml(text, name);
    core::check_document(doc, {"Snapshot"});
    return doc;
  }
  core::Document doc;
  doc.name = name;
  doc.value = parse_json(text, name);
  doc.lines.emplace("", 1);
  try {
    core::check_document(doc, {"Snapshot"});
  } catch (const core::Error&) {
    if (text.size() > k_relines_limit) {
      throw;
    }
    core::Document with_lines = core::parse_yaml(text, name);
    core::check_document(with_lines, {"Snapshot"});
    throw;  // not reached: the same document fails the same way
  }
  return doc;
}

}  // namespace galley::validate
