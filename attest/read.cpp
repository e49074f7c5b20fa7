// Reading the documents a bundle holds: fast when galley wrote them, core::parse_yaml otherwise.
#include <filesystem>

#include "attest/internal/read.hpp"
#include "bundle/bundle.hpp"
#include "core/files.hpp"
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

resolver::RecipeView read_recipe(std::string_view text, const std::string& name) {
  core::Document doc = core::read_checked(text, name, [](const core::Document& d) { resolver::check_recipe(d); });
  return resolver::read_recipe_view(doc.value);
}

bundle::Folder scan_folder(const std::string& dir) {
  return bundle::walk_folder(dir, bundle::WalkOptions{bundle::OnProblem::collect, bundle::Attestation::leave_out,
                                                      bundle::Hashing::sha256});
}

core::Document read_manifest(const std::string& dir) {
  bundle::require_bundle_folder(dir);
  std::string path = (std::filesystem::path(dir) / bundle::k_manifest_file).string();
  return read_document(core::read_file(path), path, bundle::k_kind);
}

}  // namespace galley::attest
