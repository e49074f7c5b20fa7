#pragma once
// SHA-256 (OpenSSL), as lowercase hex.
#include <string>
#include <string_view>

namespace galley::core {

std::string sha256_hex(std::string_view bytes);

// Incremental form, for digests over many pieces (the catalog digest).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex();  // finishes the digest

 private:
  void* m_ctx;
};

}  // namespace galley::core
