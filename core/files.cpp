#include "core/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
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

std::string read_file(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    throw Error(Exit::not_found, Where{path, 0, ""}, "no such file");
  }
  if (fs::is_fifo(status)) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot open: ") + std::strerror(errno));
    }
    return read_stream(in, path, max_bytes);  // a pipe, e.g. <(galley recipe ...)
  }
  if (!fs::is_regular_file(status)) {
    throw Error(Exit::bad_input, Where{path, 0, ""}, "not a regular file");
  }
  auto size = fs::file_size(path, ec);
  if (ec) {
    throw Error(Exit::io, Where{path, 0, ""}, "cannot read: " + ec.message());
  }
  if (size > max_bytes) {
    throw Error(Exit::bad_input, Where{path, 0, ""},
                "file is " + std::to_string(size) + " bytes; the limit is " + std::to_string(max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot open: ") + std::strerror(errno));
  }
  std::string data;
  data.resize(size);
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) {
    throw Error(Exit::io, Where{path, 0, ""}, "short read");
  }
  return data;
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    throw Error(Exit::io, Where{path, 0, ""}, "is a directory");
  }
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    throw Error(Exit::io, Where{path, 0, ""}, std::string("cannot create: ") + std::strerror(errno));
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
  ok = ok && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
  int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmpl.c_str(), path.c_str()) != 0) {
    saved = ok ? errno : saved;
    ::unlink(tmpl.c_str());
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
