// Fuzz target: versions and version ranges.
#include <string>

#include "core/version.hpp"
#include "fuzz/harness.hpp"

void galley_fuzz_one(std::string_view input) {
  std::string text(input);
  auto v = galley::core::Version::parse(text);
  auto r = galley::core::Range::parse(text);
  if (v && r) {
    (void)r->contains(*v);
  }
}
