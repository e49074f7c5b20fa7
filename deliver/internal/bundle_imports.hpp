#pragma once
// What deliver/*.cpp take from bundle/: the bundle's names (bundle/bundle.hpp) and the atomic folder
// write (bundle/folder_write.hpp). Internal to deliver/.
#include "bundle/bundle.hpp"
#include "bundle/folder_write.hpp"

namespace galley::deliver {

using bundle::k_artifact_type;
using bundle::k_attestation_file;
using bundle::normal_target;
using bundle::temp_beside;
using bundle::TempDir;
using bundle::write_all;
using bundle::write_new_file;

}  // namespace galley::deliver
