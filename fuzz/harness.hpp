#pragma once
// The one harness of every fuzz target: a target defines galley_fuzz_one(), which must return
// normally or throw core::Error (a clean refusal); anything else (another exception, a crash, a
// sanitizer report, a hang) is a finding. Built two ways from the same source:
// - with clang and -DGALLEY_FUZZ=ON: libFuzzer's entry point (make fuzz, scripts/fuzz.sh);
// - otherwise: a replay main() that feeds every file named (or found in a folder named) on the
//   command line through the target once: the seeds and fuzz/regressions/ in every ctest run.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"

// One input. Defined by each target.
void galley_fuzz_one(std::string_view input);

#ifdef GALLEY_FUZZ_REPLAY
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      for (const auto& e : fs::recursive_directory_iterator(argv[i], ec)) {
        if (e.is_regular_file()) {
          files.push_back(e.path());
        }
      }
    } else if (fs::is_regular_file(argv[i], ec)) {
      files.emplace_back(argv[i]);
    }
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::string data = bytes.str();
    try {
      galley_fuzz_one(data);
    } catch (const galley::core::Error&) {
      // a clean refusal
    }
  }
  std::cout << argv[0] << ": " << files.size() << " inputs replayed\n";
  return 0;
}
#else
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    galley_fuzz_one(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const galley::core::Error&) {
    // a clean refusal
  }
  return 0;
}
#endif
