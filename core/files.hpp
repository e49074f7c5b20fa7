#pragma once
// File I/O at the edges: bounded reads, atomic writes.
#include <cstddef>
#include <string>

namespace galley::core {

// Reads a regular file, refusing one larger than `max_bytes` before reading it.
// Throws core::Error: not_found when missing, bad_input when not a regular file or too large,
// io when unreadable.
std::string read_file(const std::string& path, size_t max_bytes = 64u << 20);

// Writes `bytes` to `path` atomically: a temporary file beside it, fsync, rename. On failure the
// old file (if any) is untouched and no temporary is left. Throws core::Error(io).
void write_file_atomic(const std::string& path, const std::string& bytes);

}  // namespace galley::core
