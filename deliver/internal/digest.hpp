#pragma once
// Content digests as the OCI distribution API spells them (artifact.cpp); internal to deliver/.
#include <string>

namespace galley::deliver {

// "sha256:<hex>" of `bytes`. Never throws.
std::string digest_of(const std::string& bytes);

}  // namespace galley::deliver
