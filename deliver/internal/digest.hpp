#pragma once
// Content digests as the OCI distribution API spells them (artifact.cpp); internal to deliver/.
#include <string>

namespace galley::deliver {

// "sha256:<hex>" of `bytes`. Never throws.
std::string digest_of(const std::string& bytes);

// The first 12 hex digits of a digest and an ellipsis, for progress lines. Never throws.
std::string short_digest(const std::string& digest);

}  // namespace galley::deliver
