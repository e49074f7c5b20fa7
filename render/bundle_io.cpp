// Writing a bundle folder atomically (bundle/folder_write.hpp).
//
// The bundle is complete in memory before anything touches the disk. After a power loss,
// re-render. Replacing an existing bundle (Overwrite::yes) renames the old one aside first and removes it
// only after the new one is in place. A folder that holds anything but a Galley bundle is never
// touched.
#include <filesystem>

#include "bundle/bundle.hpp"
#include "bundle/folder_write.hpp"
#include "core/error.hpp"
#include "render/render.hpp"

namespace galley::render {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

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
    fs::path target = tmp.path() / path;
    fs::create_directories(target.parent_path());
    bundle::write_new_file(target, file.bytes, file.executable ? 0755 : 0644);
  }
  bundle::move_into_place(tmp, dir, dir_text, "bundle",
                          replace ? bundle::Replace::yes : bundle::Replace::no);
}

}  // namespace galley::render
