#pragma once
// Walking a bundle folder on disk: every entry listed without following links, regular files
// optionally hashed, one rule for what is executable and one for what a bundle may hold.
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace galley::bundle {

// One regular file of a folder.
struct FileFacts {
  std::uint64_t size = 0;
  std::string sha256;       // lowercase hex; "" unless hashed
  bool executable = false;  // the owner's execute bit, as git and the inventory's 0755 read it
};

// What a walk found: relative '/'-separated paths.
struct Folder {
  std::map<std::string, FileFacts> files;  // regular files
  std::set<std::string> folders;           // folders below the root
  std::vector<std::string> problems;       // with OnProblem::collect: one line per entry refused
  // Every file and folder path, sorted (a folder before what it holds).
  std::vector<std::string> paths() const;
};

// What a walk does with an entry a bundle may not hold (a symbolic link, a special file) or a file
// it cannot read: record a line in Folder::problems, or throw at the first.
enum class OnProblem { collect, throw_error };
enum class Attestation { include, leave_out };  // attestation.sigstore.json at the root
enum class Hashing { none, sha256 };

struct WalkOptions {
  OnProblem on_problem = OnProblem::throw_error;
  Attestation attestation = Attestation::include;
  Hashing hashing = Hashing::none;
  std::uint64_t max_bytes = std::numeric_limits<std::uint64_t>::max();    // sum of file sizes
  std::uint64_t max_entries = std::numeric_limits<std::uint64_t>::max();  // files and folders
};

// Lists `dir`. Files are hashed, when asked, in one streaming pass each, opened without following a
// link. Throws core::Error: io when `dir` cannot be listed; bad_input over a limit; with
// OnProblem::throw_error, bad_input for a symbolic link or special file (naming it) and io for a
// file that cannot be read.
Folder walk_folder(const std::string& dir, const WalkOptions& options);

}  // namespace galley::bundle
