#pragma once
// Fixtures shared by attest's tests: scratch folders, key pairs on disk, the rendered bundle, a
// signed bundle folder, and what a call throws.
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "attest/attest.hpp"
#include "bundle/bundle.hpp"
#include "core/error.hpp"

namespace galley::attest_test {

// A fresh folder under the system's temporary folder, removed at the end of the test.
struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& name) const;
  std::string path;
};

// Writes `bytes` to `path` and gives it `mode`.
void write(const std::string& path, const std::string& bytes, mode_t mode = 0600);

// The bytes of the file at `path`.
std::string read(const std::string& path);

// The bundle rendered once for eks/h100/ubuntu/training/1.34.
const bundle::Bundle& rendered();

// A key pair on disk: DIR/NAME.key (0600) and the public PEM.
struct Keys {
  Keys(const TempDir& dir, attest::KeyType type, const std::string& name = "k");
  std::string public_pem;
  std::optional<attest::SigningKey> key;
};

// The exit code of the core::Error `f` throws, or Exit::ok.
core::Exit exit_of(const std::function<void()>& f);

// The message of the core::Error `f` throws, or "".
std::string message_of(const std::function<void()>& f);

// True when one of `lines` contains `part`.
bool has_line(const std::vector<std::string>& lines, const std::string& part);

// A signed bundle folder DIR/NAME: the rendered bundle plus its attestation.
std::string signed_folder(const TempDir& dir, const attest::SigningKey& key, const std::string& name = "b");

}  // namespace galley::attest_test
