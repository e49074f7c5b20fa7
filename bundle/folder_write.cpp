// Writing a folder atomically, and the new files inside it.
#include "bundle/folder_write.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "core/error.hpp"

namespace galley::bundle {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

namespace {

// The locks of this process's temporary folders, by path (temp_beside takes, TempDir lets go).
std::map<std::string, int>& temp_locks() {
  static std::map<std::string, int> locks;
  return locks;
}

void unlock_temp(const fs::path& path) {
  auto& locks = temp_locks();
  if (auto it = locks.find(path.string()); it != locks.end()) {
    ::close(it->second);
    locks.erase(it);
  }
}

// True when `name` is NAME.TAG-XXXXXX's shape for `prefix` = ".NAME.": a tag of letters, '-', six
// characters from mkdtemp.
bool is_temp_name(const std::string& name, const std::string& prefix) {
  if (!name.starts_with(prefix) || name.size() < prefix.size() + 8) {
    return false;
  }
  size_t dash = name.rfind('-');
  if (dash == std::string::npos || dash < prefix.size() + 1 || name.size() - dash - 1 != 6) {
    return false;
  }
  for (size_t i = prefix.size(); i < dash; ++i) {
    if (!std::isalpha(static_cast<unsigned char>(name[i]))) {
      return false;
    }
  }
  return true;
}

// Removes the temporary folders beside `target` that no live process holds: debris of a kill -9.
void sweep_debris(const fs::path& target) {
  std::string prefix = "." + target.filename().string() + ".";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(target.parent_path().empty() ? "." : target.parent_path(), ec)) {
    std::string name = entry.path().filename().string();
    if (!is_temp_name(name, prefix) || !entry.is_directory(ec) || entry.is_symlink(ec)) {
      continue;
    }
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
      continue;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      std::error_code remove_ec;
      fs::remove_all(entry.path(), remove_ec);  // nobody holds it: its writer is gone
    }
    ::close(fd);
  }
}

[[noreturn]] void io_error(const std::string& path, const std::string& what, int err) {
  throw Error(Exit::io, core::Where{path, 0, ""}, what + ": " + std::strerror(err));
}

}  // namespace

void write_all(int fd, const char* bytes, size_t size, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, bytes + done, size - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      io_error(path, "cannot write", errno);
    }
    done += static_cast<size_t>(n);
  }
}

void write_new_file(const fs::path& path, const std::string& bytes, unsigned mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    io_error(path.string(), "cannot create", errno);
  }
  try {
    write_all(fd, bytes.data(), bytes.size(), path.string());
    if (::fchmod(fd, mode) != 0) {  // exactly `mode`, whatever the umask
      io_error(path.string(), "cannot write", errno);
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) {
    io_error(path.string(), "cannot write", errno);
  }
}

fs::path normal_target(const std::string& dir_text) {
  fs::path dir = fs::path(dir_text).lexically_normal();
  if (dir.filename().empty()) {
    dir = dir.parent_path();
  }
  if (dir.parent_path().empty()) {
    dir = fs::path(".") / dir;
  }
  return dir;
}

fs::path temp_beside(const fs::path& target, const std::string& tag) {
  sweep_debris(target);
  std::string tmpl = (target.parent_path() / ("." + target.filename().string() + "." + tag + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    io_error(target.string(), "cannot create a temporary folder beside it", errno);
  }
  // Locked at once: a sweep by another run skips it while this process lives.
  int fd = ::open(tmpl.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0) {
    temp_locks()[tmpl] = fd;
  } else if (fd >= 0) {
    ::close(fd);
  }
  ::chmod(tmpl.c_str(), 0755);
  return tmpl;
}

FolderLock::FolderLock(const fs::path& dir) {
  m_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (m_fd < 0) {
    io_error(dir.string(), "cannot open the folder to lock it", errno);
  }
  while (::flock(m_fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      int saved = errno;
      ::close(m_fd);
      m_fd = -1;
      io_error(dir.string(), "cannot lock the folder", saved);
    }
  }
}

FolderLock::~FolderLock() {
  if (m_fd >= 0) {
    ::close(m_fd);  // releases the lock
  }
}

Target target_state(const fs::path& target) {
  std::error_code ec;
  auto st = fs::symlink_status(target, ec);
  if (ec || !fs::exists(st)) {
    return Target::absent;
  }
  if (!fs::is_directory(st)) {
    return Target::other;
  }
  return fs::is_empty(target, ec) ? Target::empty_folder : Target::folder;
}

TempDir::~TempDir() {
  if (!m_path.empty()) {
    std::error_code ec;
    fs::remove_all(m_path, ec);
    unlock_temp(m_path);
  }
}

void TempDir::release() {
  unlock_temp(m_path);
  m_path.clear();
}

void move_into_place(TempDir& tmp, const fs::path& target, const std::string& shown, const std::string& what,
                     Replace replace) {
  std::error_code ec;
  if (replace == Replace::no) {
    if (target_state(target) == Target::empty_folder) {
      fs::remove(target, ec);
    }
    if (::rename(tmp.path().c_str(), target.c_str()) != 0) {
      io_error(shown, "cannot move the " + what + " into place", errno);
    }
    tmp.release();
    return;
  }
  // One atomic exchange: the new folder takes the target's name and the old one the temporary's,
  // so a kill at any moment leaves the old bundle or the new one at the target, never neither.
  if (::renameat2(AT_FDCWD, tmp.path().c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    fs::path old = tmp.path();
    tmp.release();
    fs::remove_all(old, ec);  // a kill before this leaves it for the next run's sweep
    return;
  }
  if (errno != EINVAL && errno != ENOSYS) {
    io_error(shown, "cannot move the " + what + " into place", errno);
  }
  // A filesystem without exchange: move the old aside, the new in, put the old back on failure.
  fs::path old = temp_beside(target, "old");
  fs::remove(old, ec);
  unlock_temp(old);
  if (::rename(target.c_str(), old.c_str()) != 0) {
    io_error(shown, "cannot move the old " + what + " aside", errno);
  }
  if (::rename(tmp.path().c_str(), target.c_str()) != 0) {
    int saved = errno;
    ::rename(old.c_str(), target.c_str());
    io_error(shown, "cannot move the " + what + " into place", saved);
  }
  tmp.release();
  fs::remove_all(old, ec);
}

}  // namespace galley::bundle
