#pragma once
// SHA-256 (OpenSSL), as lowercase hex.
#include <map>
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

// The digest of a folder's files (relative path -> bytes): sha256 over "path:size:" + bytes for each
// file in path order, as lowercase hex. The build computes it for the embedded catalog; the resolver
// for --data layers, so both agree.
std::string files_digest(const std::map<std::string, std::string>& files);

}  // namespace galley::core
