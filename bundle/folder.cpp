// Walking a bundle folder. One rule for "executable": the owner's execute bit. It is the bit git
// records (a checkout of a published bundle keeps it), the umask never clears it, and it round-trips
// the 0755 / 0644 that bundle.yaml's inventory and the tarball write.
#include "bundle/folder.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>

#include "bundle/bundle.hpp"
#include "core/text.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"

namespace galley::bundle {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

namespace {

constexpr size_t k_buffer = 1u << 20;

// An entry refused: where it is, what is wrong, and the exit code when it is thrown.
struct Problem {
  Exit exit;
  std::string text;
};

// Hashes a regular file without following a link (1 MiB reads, as fast as sha256sum).
std::optional<FileFacts> hash_file(const fs::path& path, std::vector<char>& buffer, Problem& problem) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);  // a FIFO swapped in never blocks
  if (fd < 0) {
    problem = {Exit::io, std::string("cannot be read: ") + std::strerror(errno)};
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    problem = {Exit::bad_input, "is not a regular file or folder"};
    return std::nullopt;
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  core::Sha256 sha;
  FileFacts facts;
  facts.executable = (st.st_mode & S_IXUSR) != 0;
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      problem = {Exit::io, std::string("cannot be read: ") + std::strerror(errno)};
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) {
      break;
    }
    sha.update(std::string_view(buffer.data(), static_cast<size_t>(n)));
    facts.size += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  facts.sha256 = sha.hex();
  return facts;
}

class Walker {
 public:
  Walker(const std::string& dir, const WalkOptions& options) : m_dir(dir), m_options(options) {}

  Folder run() {
    std::error_code ec;
    fs::recursive_directory_iterator it(m_dir, fs::directory_options::none, ec);
    if (ec) {
      throw Error(Exit::io, core::Where{m_dir, 0, ""}, "cannot list the folder: " + ec.message());
    }
    std::string prefix = fs::path(m_dir).generic_string();
    if (!prefix.empty() && prefix.back() != '/') {
      prefix += '/';
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        refuse("", {Exit::io, "cannot list the folder: " + ec.message()});
        break;
      }
      // Lexically, never through links: the entry's path is `dir` joined with the relative one.
      visit(it->path(), it->path().generic_string().substr(prefix.size()), it->symlink_status(ec));
    }
    return std::move(m_folder);
  }

 private:
  void visit(const fs::path& path, const std::string& rel, const fs::file_status& status) {
    if (fs::is_symlink(status)) {
      refuse(rel, {Exit::bad_input, "is a symbolic link; a bundle holds only files and folders"});
      return;
    }
    if (fs::is_directory(status)) {
      m_folder.folders.insert(rel);
      count(0);
      return;
    }
    if (!fs::is_regular_file(status)) {
      refuse(rel, {Exit::bad_input, "is not a regular file or folder"});
      return;
    }
    if (rel == k_attestation_file && m_options.attestation == Attestation::leave_out) {
      return;
    }
    FileFacts facts;
    if (m_options.hashing == Hashing::sha256) {
      Problem problem{Exit::io, ""};
      m_buffer.resize(k_buffer);
      auto hashed = hash_file(path, m_buffer, problem);
      if (!hashed) {
        refuse(rel, problem);
        return;
      }
      facts = *hashed;
    } else {
      std::error_code ec;
      facts.size = fs::file_size(path, ec);
      facts.executable = (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
    }
    m_folder.files.emplace(rel, facts);
    count(facts.size);
  }

  // Limits fail closed, whatever the policy for problems.
  void count(std::uint64_t size) {
    m_bytes += size;
    if (m_bytes > m_options.max_bytes) {
      throw Error(Exit::bad_input, core::Where{m_dir, 0, ""},
                  "the bundle is larger than the limit of " + std::to_string(m_options.max_bytes) + " bytes");
    }
    if (m_folder.files.size() + m_folder.folders.size() > m_options.max_entries) {
      throw Error(Exit::bad_input, core::Where{m_dir, 0, ""},
                  "the bundle has more than " + std::to_string(m_options.max_entries) + " entries");
    }
  }

  void refuse(const std::string& rel, const Problem& problem) {
    if (m_options.on_problem == OnProblem::throw_error) {
      throw Error(problem.exit, core::Where{rel.empty() ? m_dir : (fs::path(m_dir) / rel).string(), 0, ""}, problem.text);
    }
    // The name quoted: a newline cannot forge a line of output, invalid UTF-8 is escaped.
    std::string name = core::quote_name(rel);
    m_folder.problems.push_back(rel.empty() ? problem.text : name + " " + problem.text);
  }

  std::string m_dir;
  const WalkOptions& m_options;
  Folder m_folder;
  std::uint64_t m_bytes = 0;
  std::vector<char> m_buffer;  // sized on the first file hashed
};

}  // namespace

std::vector<std::string> Folder::paths() const {
  std::vector<std::string> out;
  out.reserve(files.size() + folders.size());
  auto f = files.begin();
  auto d = folders.begin();
  while (f != files.end() || d != folders.end()) {
    if (d == folders.end() || (f != files.end() && f->first < *d)) {
      out.push_back((f++)->first);
    } else {
      out.push_back(*d++);
    }
  }
  return out;
}

Folder walk_folder(const std::string& dir, const WalkOptions& options) { return Walker(dir, options).run(); }

}  // namespace galley::bundle
