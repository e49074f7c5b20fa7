#pragma once
// Fixtures shared by deliver's tests: scratch folders, files written with a mode, a minimal bundle
// folder, and what a call throws.
#include <filesystem>
#include <functional>
#include <string>

#include "core/error.hpp"

namespace galley::deliver_test {

// A fresh folder under the system's temporary folder, removed at the end of the test.
struct Scratch {
  std::filesystem::path dir;
  Scratch();
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

// Writes `bytes` to `p` (its parent folders created) and gives it `mode`.
void put(const std::filesystem::path& p, const std::string& bytes,
         std::filesystem::perms mode = std::filesystem::perms(0644));

// The recipe digest the minimal bundle's bundle.yaml and recipe.yaml name.
extern const char* k_digest;

// A minimal bundle folder under `root`: what read_bundle_info needs, plus a few files. Returns `root`.
std::filesystem::path make_bundle(const std::filesystem::path& root, const std::string& extra = "x");

// The exit code of the core::Error `f` throws (its message into `message` when given), or Exit::ok.
core::Exit exit_of(const std::function<void()>& f, std::string* message = nullptr);

}  // namespace galley::deliver_test
