// Fuzz target: tar entries on pull (deliver::unpack_tarball: names, types, links, sizes, limits),
// unpacked into a fresh temporary folder that is removed after each input.
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "deliver/deliver.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  std::string dir = (std::filesystem::temp_directory_path() / "galley-fuzz-tar-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) {
    return;
  }
  struct Remove {
    std::string dir;
    ~Remove() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } remove{dir};
  galley::deliver::Limits limits;
  limits.max_unpacked = 8u << 20;  // small, so that the limit itself is reached while fuzzing
  limits.max_entries = 1000;
  galley::deliver::unpack_tarball(std::string(input), dir, limits, "fuzz.tar");
}
