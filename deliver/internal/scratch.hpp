#pragma once
// A scratch folder in the system's temporary folder, removed when it goes out of scope; internal to
// deliver/.
#include <string>

#include "bundle/folder_write.hpp"

namespace galley::deliver {

// Makes "<tmp>/galley-<tag>-XXXXXX". `what` says what it is for, in the error. Throws
// core::Error(io) when it cannot be made.
bundle::TempDir scratch_folder(const std::string& tag, const std::string& what);

}  // namespace galley::deliver
