#pragma once
// Content digests as the OCI distribution API spells them (artifact.cpp); internal to deliver/.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>

namespace galley::deliver {

// "sha256:<hex>" of `bytes`. Never throws.
std::string digest_of(const std::string& bytes);

// The size of the file at `path` and its "sha256:<hex>", read in one streaming pass. Throws
// core::Error(io) when it cannot be read.
std::pair<std::uint64_t, std::string> file_digest(const std::filesystem::path& path);

// The first 12 hex digits of a digest and an ellipsis, for progress lines. Never throws.
std::string short_digest(const std::string& digest);

}  // namespace galley::deliver
