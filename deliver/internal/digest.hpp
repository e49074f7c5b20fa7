#pragma once
// Content digests as the OCI distribution API spells them (artifact.cpp); internal to deliver/.
#include <string>

namespace galley::deliver {

// "sha256:<hex>" of `bytes`. Never throws.
std::string digest_of(const std::string& bytes);

// Whether `text` is "sha256:" and 64 lowercase hex digits. Never throws.
bool is_sha256_digest(const std::string& text);

// The first 12 hex digits of a digest and an ellipsis, for progress lines. Never throws.
std::string short_digest(const std::string& digest);

}  // namespace galley::deliver
