// Reading the documents a bundle holds: fast when galley wrote them, core::parse_yaml otherwise.
#include "attest/internal.hpp"
#include "core/schema.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::attest {

core::Document read_document(std::string_view text, const std::string& name, const char* kind) {
  return core::read_checked(text, name, [kind](const core::Document& doc) {
    if (kind != nullptr) {
      core::check_schema(doc, kind);
    }
  });
}

core::Document read_recipe(std::string_view text, const std::string& name) {
  return core::read_checked(text, name, [](const core::Document& doc) { resolver::check_recipe(doc); });
}

}  // namespace galley::attest
