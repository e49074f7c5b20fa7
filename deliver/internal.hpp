#pragma once
// Helpers shared by deliver/*.cpp; not part of the library's interface.
#include <filesystem>
#include <cstdint>
#include <string>
#include <vector>

namespace galley::deliver {

// "sha256:<hex>" of `bytes`.
std::string digest_of(const std::string& bytes);

// Writes all of `bytes` to `fd`. Throws core::Error(io) naming `path`.
void write_all(int fd, const char* bytes, size_t size, const std::string& path);

// Writes a new file (O_EXCL) with `mode`. Throws core::Error(io).
void write_new_file(const std::filesystem::path& path, const std::string& bytes, unsigned mode = 0644);

// A fresh folder beside `target` (same filesystem, so a rename is atomic). Throws core::Error(io).
std::filesystem::path temp_beside(const std::filesystem::path& target, const std::string& tag);

// `dir` made suitable for a rename target: normalised, with a parent ("./x" for "x").
std::filesystem::path normal_target(const std::string& dir);

struct Limits;  // deliver.hpp

// One entry of a bundle folder.
struct FolderEntry {
  std::string path;  // relative, '/'-separated
  bool dir = false;
  bool executable = false;  // any execute bit (folders: true)
  std::uint64_t size = 0;
};
enum class Attestation { include, leave_out };

// Every file and folder under `dir`, sorted by path; attestation.sigstore.json left out on request.
// Throws core::Error: bad_input for a symbolic link or special file, or a folder over `limits`
// (entries, total size); io when the folder cannot be read.
std::vector<FolderEntry> list_bundle_folder(const std::string& dir, const Limits& limits, Attestation attestation);

// Removes a temporary folder on scope exit unless released.
class TempDir {
 public:
  explicit TempDir(std::filesystem::path path) : m_path(std::move(path)) {}
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  void release() { m_path.clear(); }

 private:
  std::filesystem::path m_path;
};

}  // namespace galley::deliver
