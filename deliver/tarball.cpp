// The bundle tarball: written reproducibly, read back refusing anything that could land outside the
// target folder or exhaust the disk.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "bundle/folder.hpp"
#include "bundle/folder_write.hpp"
#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/walk.hpp"
#include "net/lazy_library.hpp"

// GALLEY_LIBARCHIVE_SONAME comes from deliver/CMakeLists.txt.
#define LAZY_ARCHIVE(fn) GALLEY_LAZY(GALLEY_LIBARCHIVE_SONAME, "libarchive13", fn)

namespace galley::deliver {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;

namespace {

struct ArchiveWrite {
  archive* a = LAZY_ARCHIVE(archive_write_new)();
  ~ArchiveWrite() { LAZY_ARCHIVE(archive_write_free)(a); }
};

struct ArchiveRead {
  archive* a = LAZY_ARCHIVE(archive_read_new)();
  ~ArchiveRead() { LAZY_ARCHIVE(archive_read_free)(a); }
};

struct EntryPtr {
  archive_entry* e = LAZY_ARCHIVE(archive_entry_new)();
  ~EntryPtr() { LAZY_ARCHIVE(archive_entry_free)(e); }
};

la_ssize_t append_cb(archive*, void* data, const void* buffer, size_t length) {
  static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

[[noreturn]] void archive_fail(archive* a, const std::string& where, const std::string& what) {
  const char* msg = LAZY_ARCHIVE(archive_error_string)(a);
  throw Error(Exit::io, core::Where{where, 0, ""}, what + ": " + (msg != nullptr ? msg : "libarchive error"));
}

}  // namespace

std::string bundle_tarball(const std::string& dir, const Limits& limits, TarballAttestation attestation) {
  // The attestation is left out by default: in an OCI artifact it is a layer of its own.
  bundle::Folder folder = bundle::walk_folder(
      dir, walk_within(limits, attestation == TarballAttestation::include ? bundle::Attestation::include
                                                                          : bundle::Attestation::leave_out));
  std::string out;
  ArchiveWrite w;
  if (LAZY_ARCHIVE(archive_write_set_format_pax_restricted)(w.a) != ARCHIVE_OK || LAZY_ARCHIVE(archive_write_add_filter_gzip)(w.a) != ARCHIVE_OK ||
      LAZY_ARCHIVE(archive_write_set_filter_option)(w.a, "gzip", "timestamp", nullptr) != ARCHIVE_OK ||
      LAZY_ARCHIVE(archive_write_set_bytes_in_last_block)(w.a, 1) != ARCHIVE_OK ||
      LAZY_ARCHIVE(archive_write_open2)(w.a, &out, nullptr, append_cb, nullptr, nullptr) != ARCHIVE_OK) {
    archive_fail(w.a, dir, "cannot start the tarball");
  }
  for (const auto& path : folder.paths()) {
    core::check_deadline();
    auto file = folder.files.find(path);
    bool is_dir = file == folder.files.end();
    std::uint64_t size = is_dir ? 0 : file->second.size;
    EntryPtr entry;
    LAZY_ARCHIVE(archive_entry_set_pathname)(entry.e, path.c_str());
    LAZY_ARCHIVE(archive_entry_set_filetype)(entry.e, is_dir ? AE_IFDIR : AE_IFREG);
    LAZY_ARCHIVE(archive_entry_set_perm)(entry.e, is_dir || file->second.executable ? 0755 : 0644);
    LAZY_ARCHIVE(archive_entry_set_size)(entry.e, static_cast<la_int64_t>(size));
    LAZY_ARCHIVE(archive_entry_set_mtime)(entry.e, 0, 0);
    LAZY_ARCHIVE(archive_entry_set_uid)(entry.e, 0);
    LAZY_ARCHIVE(archive_entry_set_gid)(entry.e, 0);
    std::string bytes;
    if (!is_dir) {
      bytes = core::read_file((fs::path(dir) / path).string(), limits.max_unpacked);
      if (bytes.size() != size) {
        throw Error(Exit::io, core::Where{(fs::path(dir) / path).string(), 0, ""}, "changed while being read");
      }
    }
    if (LAZY_ARCHIVE(archive_write_header)(w.a, entry.e) != ARCHIVE_OK) {
      archive_fail(w.a, path, "cannot add to the tarball");
    }
    if (!bytes.empty() && LAZY_ARCHIVE(archive_write_data)(w.a, bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())) {
      archive_fail(w.a, path, "cannot add to the tarball");
    }
  }
  if (LAZY_ARCHIVE(archive_write_close)(w.a) != ARCHIVE_OK) {
    archive_fail(w.a, dir, "cannot finish the tarball");
  }
  return out;
}

namespace {

// A tar path made safe, or a reason to refuse it.
std::string safe_relative(const std::string& name) {
  if (name.empty()) {
    throw Error(Exit::bad_input, core::Where{"", 0, ""}, "the tarball has an entry with an empty name");
  }
  if (name.front() == '/') {
    throw Error(Exit::bad_input, core::Where{name, 0, ""}, "the tarball has an absolute path");
  }
  std::string out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      throw Error(Exit::bad_input, core::Where{name, 0, ""}, "the tarball has a path with '..'");
    }
    if (!part.empty() && part != ".") {
      if (part.find('\0') != std::string::npos || part.find('\\') != std::string::npos) {
        throw Error(Exit::bad_input, core::Where{name, 0, ""}, "the tarball has a path with a backslash or NUL");
      }
      out += (out.empty() ? "" : "/") + part;
    }
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  return out;  // "" = the root folder itself
}

void make_dirs(const fs::path& root, const std::string& rel) {
  fs::path p = root;
  size_t start = 0;
  while (start < rel.size()) {
    size_t slash = rel.find('/', start);
    p /= rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (::mkdir(p.c_str(), 0755) != 0 && errno != EEXIST) {
      throw Error(Exit::io, core::Where{p.string(), 0, ""}, std::string("cannot create: ") + std::strerror(errno));
    }
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      throw Error(Exit::bad_input, core::Where{rel, 0, ""}, "the tarball has a file where a folder is needed");
    }
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
}

}  // namespace

void unpack_tarball(const std::string& tarball, const std::string& dir, const Limits& limits, const std::string& tarball_name) {
  ArchiveRead r;
  LAZY_ARCHIVE(archive_read_support_filter_gzip)(r.a);
  LAZY_ARCHIVE(archive_read_support_format_tar)(r.a);
  if (LAZY_ARCHIVE(archive_read_open_memory)(r.a, tarball.data(), tarball.size()) != ARCHIVE_OK) {
    throw Error(Exit::bad_input, core::Where{tarball_name, 0, ""},
                std::string("not a tar+gzip: ") + (LAZY_ARCHIVE(archive_error_string)(r.a) ? LAZY_ARCHIVE(archive_error_string)(r.a) : "?"));
  }
  std::uint64_t total = 0;
  std::uint64_t count = 0;
  std::vector<char> buffer(1 << 16);
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = LAZY_ARCHIVE(archive_read_next_header)(r.a, &entry);
    if (rc == ARCHIVE_EOF) {
      break;
    }
    if (rc != ARCHIVE_OK) {
      throw Error(Exit::bad_input, core::Where{tarball_name, 0, ""},
                  std::string("unreadable tarball: ") + (LAZY_ARCHIVE(archive_error_string)(r.a) ? LAZY_ARCHIVE(archive_error_string)(r.a) : "?"));
    }
    if (++count > limits.max_entries) {
      throw Error(Exit::bad_input, core::Where{tarball_name, 0, ""},
                  "the tarball has more than " + std::to_string(limits.max_entries) + " entries");
    }
    const char* raw = LAZY_ARCHIVE(archive_entry_pathname)(entry);
    std::string name = raw != nullptr ? raw : "";
    std::string rel = safe_relative(name);
    if (LAZY_ARCHIVE(archive_entry_hardlink)(entry) != nullptr || LAZY_ARCHIVE(archive_entry_symlink)(entry) != nullptr) {
      throw Error(Exit::bad_input, core::Where{name, 0, ""}, "the tarball has a link; links are refused");
    }
    auto type = LAZY_ARCHIVE(archive_entry_filetype)(entry);
    if (type == AE_IFDIR) {
      if (!rel.empty()) {
        make_dirs(dir, rel);
      }
      continue;
    }
    if (type != AE_IFREG) {
      throw Error(Exit::bad_input, core::Where{name, 0, ""}, "the tarball has an entry that is not a file or folder");
    }
    if (rel.empty()) {
      throw Error(Exit::bad_input, core::Where{name, 0, ""}, "the tarball has a file named as the root folder");
    }
    la_int64_t size = LAZY_ARCHIVE(archive_entry_size)(entry);
    if (size < 0 || total + static_cast<std::uint64_t>(size) > limits.max_unpacked) {
      throw Error(Exit::bad_input, core::Where{name, 0, ""},
                  "the tarball unpacks to more than the limit of " + std::to_string(limits.max_unpacked) + " bytes");
    }
    size_t slash = rel.rfind('/');
    if (slash != std::string::npos) {
      make_dirs(dir, rel.substr(0, slash));
    }
    fs::path target = fs::path(dir) / rel;
    mode_t mode = (LAZY_ARCHIVE(archive_entry_perm)(entry) & 0111) != 0 ? 0755 : 0644;
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
      if (errno == EEXIST) {
        throw Error(Exit::bad_input, core::Where{name, 0, ""}, "the tarball has this path twice");
      }
      throw Error(Exit::io, core::Where{target.string(), 0, ""}, std::string("cannot create: ") + std::strerror(errno));
    }
    std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
    for (;;) {
      la_ssize_t n = LAZY_ARCHIVE(archive_read_data)(r.a, buffer.data(), buffer.size());
      if (n == 0) {
        break;
      }
      if (n < 0) {
        throw Error(Exit::bad_input, core::Where{name, 0, ""},
                    std::string("unreadable tarball: ") + (LAZY_ARCHIVE(archive_error_string)(r.a) ? LAZY_ARCHIVE(archive_error_string)(r.a) : "?"));
      }
      total += static_cast<std::uint64_t>(n);
      if (total > limits.max_unpacked) {
        throw Error(Exit::bad_input, core::Where{name, 0, ""},
                    "the tarball unpacks to more than the limit of " + std::to_string(limits.max_unpacked) + " bytes");
      }
      bundle::write_all(fd, buffer.data(), static_cast<size_t>(n), target.string());
    }
    if (::fchmod(fd, mode) != 0) {
      throw Error(Exit::io, core::Where{target.string(), 0, ""}, std::string("cannot write: ") + std::strerror(errno));
    }
  }
}

}  // namespace galley::deliver
