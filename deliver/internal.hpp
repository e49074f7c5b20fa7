#pragma once
// Helpers shared by deliver/*.cpp; not part of the library's interface.
#include <string>

#include "bundle/bundle.hpp"
#include "bundle/folder_write.hpp"

namespace galley::deliver {

// The bundle's names (bundle/bundle.hpp) and the atomic folder write (bundle/folder_write.hpp).
using bundle::k_artifact_type;
using bundle::k_attestation_file;
using bundle::normal_target;
using bundle::temp_beside;
using bundle::TempDir;
using bundle::write_all;
using bundle::write_new_file;

// "sha256:<hex>" of `bytes`.
std::string digest_of(const std::string& bytes);

}  // namespace galley::deliver
