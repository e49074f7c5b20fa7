#pragma once
// Writing a folder atomically: it is built in a fresh temporary folder beside the target (same
// filesystem, so a rename is atomic), then renamed into place; a crash or kill at any point leaves
// either the old folder or the new one. Bundles (render, pull) and OCI image layouts (deliver) are
// written so. Files are not fsynced one by one (that was three quarters of `galley bundle`'s time).
#include <cstddef>
#include <filesystem>
#include <string>

namespace galley::bundle {

// Writes all of `bytes` to `fd`. Throws core::Error(io) naming `path`.
void write_all(int fd, const char* bytes, size_t size, const std::string& path);

// Creates the new file `path` (never through a link, never over an existing file) holding `bytes`,
// with exactly `mode`, whatever the umask. Throws core::Error(io).
void write_new_file(const std::filesystem::path& path, const std::string& bytes, unsigned mode = 0644);

// A fresh folder (mode 0755) beside `target`, named .NAME.TAG-XXXXXX, locked (flock) by this
// process until its TempDir lets it go. Temporary folders of earlier runs beside `target` that no
// live process holds (left by a kill -9) are removed first. Throws core::Error(io).
std::filesystem::path temp_beside(const std::filesystem::path& target, const std::string& tag);

// `dir` made suitable for a rename target: normalised, without a trailing '/', with a parent
// ("./x" for "x"). Never throws.
std::filesystem::path normal_target(const std::string& dir);

// What is at a target path now.
enum class Target {
  absent,
  empty_folder,
  folder,  // a folder holding something
  other,   // a file, a link, anything but a folder
};
// Never throws.
Target target_state(const std::filesystem::path& target);

// An exclusive advisory lock (flock) on a folder, held until destruction: writers that update a
// folder in place (push --oci-layout into an existing layout) take it around their whole
// read-modify-write, so concurrent ones serialise instead of losing each other's updates.
// Throws core::Error(io) when the folder cannot be opened or locked.
class FolderLock {
 public:
  explicit FolderLock(const std::filesystem::path& dir);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int m_fd = -1;
};

// Removes a temporary folder on scope exit unless released.
class TempDir {
 public:
  explicit TempDir(std::filesystem::path path) : m_path(std::move(path)) {}
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  void release();  // keeps the folder (and lets its lock go)

 private:
  std::filesystem::path m_path;
};

// What moving into place does with the folder at the target.
enum class Replace {
  no,   // the target is absent or an empty folder (removed first)
  yes,  // the target is a folder to replace: renamed aside, removed once the new one is in place,
        // put back if that rename fails
};

// Renames the finished folder `tmp` to `target` (from normal_target) and releases it. `shown` names
// the target in messages and `what` the content ("bundle", "layout"). Throws core::Error(io); the
// target is then as it was, and `tmp` is removed when it goes out of scope.
void move_into_place(TempDir& tmp, const std::filesystem::path& target, const std::string& shown, const std::string& what,
                     Replace replace);

}  // namespace galley::bundle
