// The bundle folder as deliver reads it (tarball, publish): files and folders only, within limits.
#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal.hpp"

namespace galley::deliver {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

std::vector<FolderEntry> list_bundle_folder(const std::string& dir, const Limits& limits, Attestation attestation) {
  std::vector<FolderEntry> entries;
  std::uint64_t total = 0;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  if (ec) {
    throw Error(Exit::io, core::Where{dir, 0, ""}, "cannot read the folder: " + ec.message());
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      throw Error(Exit::io, core::Where{dir, 0, ""}, "cannot read the folder: " + ec.message());
    }
    const fs::path& p = it->path();
    std::string rel = fs::relative(p, dir).generic_string();
    auto st = fs::symlink_status(p, ec);
    if (fs::is_symlink(st)) {
      throw Error(Exit::bad_input, core::Where{p.string(), 0, ""}, "is a symbolic link; a bundle holds only files and folders");
    }
    if (fs::is_directory(st)) {
      entries.push_back(FolderEntry{rel, true, true, 0});
    } else if (fs::is_regular_file(st)) {
      if (rel == k_attestation_file && attestation == Attestation::leave_out) {
        continue;  // e.g. its own layer
      }
      auto perms = st.permissions();
      bool exec = (perms & (fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec)) != fs::perms::none;
      std::uint64_t size = fs::file_size(p, ec);
      total += size;
      if (total > limits.max_unpacked) {
        throw Error(Exit::bad_input, core::Where{dir, 0, ""},
                    "the bundle is larger than the limit of " + std::to_string(limits.max_unpacked) + " bytes");
      }
      entries.push_back(FolderEntry{rel, false, exec, size});
    } else {
      throw Error(Exit::bad_input, core::Where{p.string(), 0, ""}, "is not a regular file or folder");
    }
    if (entries.size() > limits.max_entries) {
      throw Error(Exit::bad_input, core::Where{dir, 0, ""},
                  "the bundle has more than " + std::to_string(limits.max_entries) + " entries");
    }
  }
  std::sort(entries.begin(), entries.end(), [](const FolderEntry& a, const FolderEntry& b) { return a.path < b.path; });
  return entries;
}

}  // namespace galley::deliver
