#include "core/files.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "core/error.hpp"

namespace galley::core {

namespace fs = std::filesystem;

namespace {

// Reads a pipe or standard input to its end, refusing more than max_bytes.
std::string read_stream(std::istream& in, const std::string& path, size_t max_bytes) {
  // Chunks, joined once at the end: refusing an oversized pipe costs max_bytes, not twice that.
  std::vector<std::string> chunks;
  size_t total = 0;
  std::string chunk(1u << 20, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    total += static_cast<size_t>(in.gcount());
    if (total > max_bytes) {
      throw Error(Exit::bad_input, Where{path, 0, ""}, "more than " + std::to_string(max_bytes) + " bytes; the limit is " +
                                                           std::to_string(max_bytes));
    }
    chunks.push_back(chunk.substr(0, static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) {
    throw Error(Exit::io, Where{path, 0, ""}, "read error");
  }
  std::string data;
  data.reserve(total);
  for (const auto& c : chunks) {
    data += c;
  }
  return data;
}

}  // namespace

namespace {

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

// Reads `fd` to its end, refusing more than max_bytes (pipes and FIFOs; regular files know their size).
std::string read_fd(int fd, const std::string& path, size_t max_bytes) {
  std::string data;
  std::string chunk(1u << 16, '\0');
  for (;;) {
    ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot read: ") + std::strerror(errno));
    }
    if (n == 0) {
      return data;
    }
    if (data.size() + static_cast<size_t>(n) > max_bytes) {
      throw Error(Exit::bad_input, Where{path, 0, ""}, "more than " + std::to_string(max_bytes) + " bytes; the limit is " +
                                                           std::to_string(max_bytes));
    }
    data.append(chunk.data(), static_cast<size_t>(n));
  }
}

}  // namespace

std::string read_file(const std::string& path, size_t max_bytes) {
  // Opened without blocking, then judged by what was opened (no race between a check and the open):
  // a FIFO with no writer or a device never hangs the command.
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (f.fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      throw Error(Exit::not_found, Where{path, 0, ""}, "no such file");
    }
    if (errno == ELOOP) {
      throw Error(Exit::bad_input, Where{path, 0, ""}, "too many levels of symbolic links (a link loop?)");
    }
    throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) {
    throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot read: ") + std::strerror(errno));
  }
  if (S_ISFIFO(st.st_mode)) {
    // A pipe, e.g. <(galley recipe ...), has its writer already: read to its end, blocking. A named
    // FIFO (mkfifo) may not have one yet, and reads as empty until it comes: wait for its first data
    // or hang-up, a bounded time (a FIFO nobody opens never hangs the command).
    constexpr long k_pipefs_magic = 0x50495045;
    constexpr int k_fifo_wait_ms = 5000;
    struct statfs fs_info {};
    if (::fstatfs(f.fd, &fs_info) == 0 && fs_info.f_type != k_pipefs_magic) {
      pollfd waiting{f.fd, POLLIN, 0};
      int ready = 0;
      do {
        ready = ::poll(&waiting, 1, k_fifo_wait_ms);
      } while (ready < 0 && errno == EINTR);
      if (ready == 0) {
        throw Error(Exit::bad_input, Where{path, 0, ""},
                    "a FIFO nothing was written to within " + std::to_string(k_fifo_wait_ms / 1000) + " s");
      }
    }
    int flags = ::fcntl(f.fd, F_GETFL);
    if (flags < 0 || ::fcntl(f.fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
      throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot read: ") + std::strerror(errno));
    }
    return read_fd(f.fd, path, max_bytes);
  }
  if (!S_ISREG(st.st_mode)) {
    throw Error(Exit::bad_input, Where{path, 0, ""},
                S_ISDIR(st.st_mode) ? "not a regular file" : "not a regular file (a device or socket)");
  }
  auto size = static_cast<size_t>(st.st_size);
  if (size > max_bytes) {
    throw Error(Exit::bad_input, Where{path, 0, ""},
                "file is " + std::to_string(size) + " bytes; the limit is " + std::to_string(max_bytes));
  }
  std::string data = read_fd(f.fd, path, max_bytes);
  return data;
}

void sweep_stale_temps(const std::string& dir, const std::string& prefix) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || name.size() != prefix.size() + 6 || !entry.is_regular_file(ec) ||
        entry.is_symlink(ec)) {
      continue;
    }
    int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      ::unlink(entry.path().c_str());
    }
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  // Only a regular file or a new path is replaced: never a folder, a device (-o /dev/null as
  // root), a FIFO or a link, which rename would swap for a file. The file keeps its mode.
  mode_t mode = 0644;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      throw Error(Exit::io, Where{path, 0, ""}, "is a directory");
    }
    if (!S_ISREG(st.st_mode)) {
      throw Error(Exit::bad_input, Where{path, 0, ""},
                  S_ISLNK(st.st_mode) ? "is a symbolic link; name a regular file or a new path"
                                      : "not a regular file (a device, FIFO or socket); name a regular file or a new path");
    }
    mode = st.st_mode & 07777;
  }
  sweep_stale_temps(dir.string(), "." + target.filename().string() + ".tmp-");
  // The temporary is locked while this process writes and renames it, so a sweep by another run
  // (of the same target, e.g. two jobs writing one blob) skips it; one swept between mkstemp and
  // flock (its link count is 0 once locked) is given up for a new name.
  std::string tmpl;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    fd = mkstemp(tmpl.data());
    if (fd < 0) {
      throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot create: ") + std::strerror(errno));
    }
    struct stat own {};
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && ::fstat(fd, &own) == 0 && own.st_nlink > 0) {
      break;
    }
    ::close(fd);
    fd = -1;
    if (attempt == 8) {
      throw Error(Exit::io, Where{path, 0, ""}, "cannot create: its temporary files keep being removed by another process");
    }
  }
  size_t done = 0;
  bool ok = true;
  while (ok && done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0;
    done += ok ? static_cast<size_t>(n) : 0;
  }
  ok = ok && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0 && ::rename(tmpl.c_str(), path.c_str()) == 0;
  int saved = errno;
  if (!ok) {
    ::unlink(tmpl.c_str());
  }
  if (::close(fd) != 0 && ok) {  // the lock goes with the descriptor, after the rename
    saved = errno;
    ok = false;
  }
  if (!ok) {
    throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot write: ") + std::strerror(saved));
  }
}

std::string read_input(const std::string& path, size_t max_bytes) {
  if (path == "-") {
    return read_stream(std::cin, input_name(path), max_bytes);
  }
  return read_file(path, max_bytes);
}

std::string input_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

}  // namespace galley::core
