// Is this folder a Galley bundle? One answer for render (never clobber anything else), attest
// (sign or verify) and deliver (pack, publish, pull).
#include "bundle/bundle.hpp"

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/schema.hpp"

namespace galley::bundle {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

std::string manifest_head() { return std::string("apiVersion: ") + core::k_api_version + "\nkind: " + k_kind + "\n"; }

FolderCheck check_bundle_folder(const std::string& dir) {
  std::error_code ec;
  auto st = fs::status(dir, ec);  // `dir` itself may be a link; nothing inside it is followed later
  if (!fs::exists(st)) {
    return FolderCheck::missing;
  }
  if (!fs::is_directory(st)) {
    return FolderCheck::not_folder;
  }
  fs::path manifest = fs::path(dir) / k_manifest_file;
  if (!fs::is_regular_file(manifest, ec)) {
    return FolderCheck::no_manifest;
  }
  // Reading the head is enough to know: galley writes it first, always the same.
  std::string head = manifest_head();
  std::string have(head.size(), '\0');
  std::ifstream in(manifest, std::ios::binary);
  in.read(have.data(), static_cast<std::streamsize>(have.size()));
  if (!in || have != head) {
    return FolderCheck::foreign_manifest;
  }
  return FolderCheck::bundle;
}

void require_bundle_folder(const std::string& dir) {
  switch (check_bundle_folder(dir)) {
    case FolderCheck::bundle:
      return;
    case FolderCheck::missing:
      throw Error(Exit::not_found, core::Where{dir, 0, ""}, "no such bundle folder");
    case FolderCheck::not_folder:
      throw Error(Exit::bad_input, core::Where{dir, 0, ""}, "is not a folder");
    case FolderCheck::no_manifest:
      throw Error(Exit::bad_input, core::Where{dir, 0, ""}, std::string("is not a Galley bundle (no ") + k_manifest_file + ")");
    case FolderCheck::foreign_manifest:
      break;
  }
  throw Error(Exit::bad_input, core::Where{(fs::path(dir) / k_manifest_file).string(), 1, ""},
              std::string("is not a Galley bundle manifest (it does not begin with apiVersion ") + core::k_api_version +
                  ", kind " + k_kind + ")");
}

}  // namespace galley::bundle
