// Writing a bundle folder atomically (bundle/folder_write.hpp).
//
// The bundle is complete in memory before anything touches the disk. After a power loss,
// re-render. Replacing an existing bundle (Overwrite::yes) exchanges the old and the new folder in
// one rename (bundle::move_into_place) and removes the old one after. A folder that holds anything
// but exactly the Galley bundle its inventory lists is never touched.
#include <filesystem>
#include <string>
#include <vector>

#include "bundle/bundle.hpp"
#include "bundle/folder.hpp"
#include "bundle/folder_write.hpp"
#include "bundle/inventory.hpp"
#include "core/deadline.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "core/yaml_fast.hpp"
#include "render/render.hpp"

namespace galley::render {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

namespace {

// Why the folder `dir` (a Galley bundle by its head) may not be replaced: --force replaces only a
// folder that verifiably is a Galley bundle, its bundle.yaml readable and every file and folder in
// it one its inventory lists, unchanged. Anything else (a .git/, notes, an edited file, a two-line
// bundle.yaml) is the user's, and is never deleted. Empty when it may be replaced.
std::vector<std::string> replace_problems(const fs::path& dir) {
  std::string manifest_path = (dir / bundle::k_manifest_file).string();
  core::Document manifest;
  try {
    manifest = core::read_checked(core::read_file(manifest_path, 16u << 20), manifest_path,
                                  [](const core::Document& doc) { core::check_document(doc, {bundle::k_kind}); });
  } catch (const Error& e) {
    return {std::string("its bundle.yaml is not one galley wrote: ") + e.what()};
  }
  bundle::WalkOptions options;
  options.on_problem = bundle::OnProblem::collect;
  options.attestation = bundle::Attestation::leave_out;
  options.hashing = bundle::Hashing::sha256;
  options.max_entries = 100'000;
  try {
    return bundle::inventory_differences(manifest.value, bundle::walk_folder(dir.string(), options));
  } catch (const Error& e) {
    return {e.what()};
  }
}

}  // namespace

bool check_bundle_target(const std::string& dir_text, Overwrite overwrite) {
  fs::path dir = bundle::normal_target(dir_text);
  bundle::Target state = bundle::target_state(dir);
  if (state == bundle::Target::other) {
    throw Error(Exit::bad_input, core::Where{dir_text, 0, ""}, "exists and is not a folder");
  }
  if (state == bundle::Target::folder) {
    if (bundle::check_bundle_folder(dir.string()) != bundle::FolderCheck::bundle) {
      throw Error(Exit::bad_input, core::Where{dir_text, 0, ""},
                  "is a non-empty folder that is not a Galley bundle; it was left untouched");
    }
    if (overwrite == Overwrite::no) {
      // The field is the option that asks for the replacement; the CLI shows it as its flag.
      throw Error(Exit::bad_input, core::OptionField{"force"},
                  dir_text + " already holds a bundle; replacing it needs this option");
    }
    std::vector<std::string> problems = replace_problems(dir);
    if (!problems.empty()) {
      for (auto& line : problems) {
        line = dir_text + ": " + line;
      }
      problems.push_back(dir_text + ": holds more or other than the bundle its inventory lists; it was left untouched "
                                    "(move your own files out, or choose another folder)");
      throw Error(Exit::bad_input, problems);
    }
  }
  return state == bundle::Target::folder;
}

void write_bundle(const bundle::Bundle& content, const std::string& dir_text, Overwrite overwrite) {
  fs::path dir = bundle::normal_target(dir_text);
  bool replace = check_bundle_target(dir_text, overwrite);
  std::error_code ec;
  if (!fs::is_directory(dir.parent_path(), ec)) {
    throw Error(Exit::io, core::Where{dir_text, 0, ""}, "the parent folder does not exist");
  }
  bundle::TempDir tmp(bundle::temp_beside(dir, "new"));
  for (const auto& [path, file] : content.files) {
    core::check_deadline();
    fs::path target = tmp.path() / path;
    fs::create_directories(target.parent_path());
    bundle::write_new_file(target, file.bytes, file.executable ? 0755 : 0644);
  }
  bundle::move_into_place(tmp, dir, dir_text, "bundle",
                          replace ? bundle::Replace::yes : bundle::Replace::no);
}

}  // namespace galley::render
