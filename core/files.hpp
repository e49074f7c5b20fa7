#pragma once
// File I/O at the edges: bounded reads, atomic writes.
#include <cstddef>
#include <string>

namespace galley::core {

// Reads a regular file, refusing one larger than `max_bytes` before reading it.
// Throws core::Error: not_found when missing, bad_input when not a regular file or too large,
// io when unreadable.
std::string read_file(const std::string& path, size_t max_bytes = 64u << 20);

// Removes the files named `prefix` and six more characters in `dir` that no live process holds
// locked (flock): the temporaries of a writer killed with -9. Never throws.
void sweep_stale_temps(const std::string& dir, const std::string& prefix);

// Reads `path` as read_file does, or standard input when `path` is "-" (up to `max_bytes`; more is
// core::Error(bad_input) naming <stdin>). The one reader of standard input.
std::string read_input(const std::string& path, size_t max_bytes = 64u << 20);

// The name messages use for `path`: "<stdin>" for "-", else the path.
std::string input_name(const std::string& path);

// Writes `bytes` to `path` atomically: a temporary file beside it, fsync, rename. On failure the
// old file (if any) is untouched and no temporary is left; a kill -9 leaves one, which the next
// write beside it removes. Only a regular file or a new path is replaced (a device, FIFO or link:
// bad_input), and it keeps its mode. Throws core::Error(io, bad_input).
void write_file_atomic(const std::string& path, const std::string& bytes);

}  // namespace galley::core
