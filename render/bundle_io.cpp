// Writing a bundle folder atomically.
//
// The bundle is complete in memory before anything touches the disk. It is written into a fresh
// temporary folder beside DIR (same filesystem, so rename is atomic), then renamed into place: a
// crash or kill at any point leaves either the old folder or the new one. Files are not fsynced one
// by one (that was three quarters of `galley bundle`'s time); after a power loss, re-render. Replacing an existing bundle (--force) renames the old one aside first and
// removes it only after the new one is in place; if that rename fails the old one is put back.
// A folder that holds anything but a Galley bundle is never touched.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "core/files.hpp"
#include "render/render.hpp"

namespace galley::render {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

namespace {

[[noreturn]] void io_error(const std::string& path, const std::string& what) {
  throw Error(Exit::io, core::Where{path, 0, ""}, what + ": " + std::strerror(errno));
}

void write_one(const fs::path& path, const File& file) {
  fs::create_directories(path.parent_path());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, file.executable ? 0755 : 0644);
  if (fd < 0) {
    io_error(path.string(), "cannot create");
  }
  size_t done = 0;
  while (done < file.bytes.size()) {
    ssize_t n = ::write(fd, file.bytes.data() + done, file.bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      ::close(fd);
      io_error(path.string(), "cannot write");
    }
    done += static_cast<size_t>(n);
  }
  // Modes exactly as in the inventory, whatever the umask.
  if (::fchmod(fd, file.executable ? 0755 : 0644) != 0) {
    ::close(fd);
    io_error(path.string(), "cannot write");
  }
  if (::close(fd) != 0) {
    io_error(path.string(), "cannot write");
  }
}

bool is_galley_bundle(const fs::path& dir) {
  fs::path manifest = dir / "bundle.yaml";
  std::error_code ec;
  if (!fs::is_regular_file(manifest, ec)) {
    return false;
  }
  // Our bundle.yaml always begins so (keys are written sorted); reading the head is enough to know.
  try {
    return core::read_file(manifest.string(), 16u << 20).starts_with("apiVersion: galley.dev/v1alpha1\nkind: Bundle\n");
  } catch (const Error&) {
    return false;
  }
}

fs::path temp_beside(const fs::path& dir, const std::string& tag) {
  std::string tmpl = (dir.parent_path() / ("." + dir.filename().string() + "." + tag + "-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    io_error(dir.string(), "cannot create a temporary folder beside it");
  }
  return tmpl;
}

}  // namespace

void write_bundle(const Bundle& bundle, const std::string& dir_text, Overwrite overwrite) {
  fs::path dir = fs::path(dir_text).lexically_normal();
  if (dir.filename().empty()) {
    dir = dir.parent_path();
  }
  if (dir.parent_path().empty()) {
    dir = fs::path(".") / dir;
  }
  std::error_code ec;
  auto st = fs::symlink_status(dir, ec);
  bool exists = !ec && fs::exists(st);
  if (exists && !fs::is_directory(st)) {
    throw Error(Exit::bad_input, core::Where{dir_text, 0, ""}, "exists and is not a folder");
  }
  bool replace = false;
  if (exists && !fs::is_empty(dir, ec)) {
    if (!is_galley_bundle(dir)) {
      throw Error(Exit::bad_input, core::Where{dir_text, 0, ""},
                  "is a non-empty folder that is not a Galley bundle; it was left untouched");
    }
    if (overwrite == Overwrite::no) {
      throw Error(Exit::bad_input, core::Where{dir_text, 0, ""}, "already holds a bundle; use --force to replace it");
    }
    replace = true;
  }
  if (!fs::is_directory(dir.parent_path(), ec)) {
    throw Error(Exit::io, core::Where{dir_text, 0, ""}, "the parent folder does not exist");
  }
  fs::path tmp = temp_beside(dir, "new");
  try {
    for (const auto& [path, file] : bundle.files) {
      write_one(tmp / path, file);
    }
    ::chmod(tmp.c_str(), 0755);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  if (!replace) {
    if (exists) {
      fs::remove(dir, ec);  // an empty folder
    }
    if (::rename(tmp.c_str(), dir.c_str()) != 0) {
      int saved = errno;
      fs::remove_all(tmp, ec);
      errno = saved;
      io_error(dir_text, "cannot move the bundle into place");
    }
    return;
  }
  fs::path old = temp_beside(dir, "old");
  fs::remove(old, ec);
  if (::rename(dir.c_str(), old.c_str()) != 0) {
    int saved = errno;
    fs::remove_all(tmp, ec);
    errno = saved;
    io_error(dir_text, "cannot move the old bundle aside");
  }
  if (::rename(tmp.c_str(), dir.c_str()) != 0) {
    int saved = errno;
    ::rename(old.c_str(), dir.c_str());
    fs::remove_all(tmp, ec);
    errno = saved;
    io_error(dir_text, "cannot move the bundle into place");
  }
  fs::remove_all(old, ec);
}

}  // namespace galley::render
