#include "core/hash.hpp"

// OpenSSL's SHA256_* functions are deprecated in 3.0 in favour of EVP, but EVP's first digest
// fetches and initialises the default provider, about 1.5 ms per process: a fifth of
// `galley recipe`. The low-level functions compute the same FIPS 180-4 digest without it.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <memory>

namespace galley::core {

namespace {
SHA256_CTX* ctx_of(void* p) { return static_cast<SHA256_CTX*>(p); }
}  // namespace

Sha256::Sha256() : m_ctx(new SHA256_CTX) { SHA256_Init(ctx_of(m_ctx)); }

Sha256::~Sha256() { delete ctx_of(m_ctx); }

void Sha256::update(std::string_view bytes) { SHA256_Update(ctx_of(m_ctx), bytes.data(), bytes.size()); }

std::string Sha256::hex() {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256_Final(md, ctx_of(m_ctx));
  static const char* const k_hex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char byte : md) {
    out += k_hex[byte >> 4];
    out += k_hex[byte & 0xf];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

std::string files_digest(const std::map<std::string, std::string>& files) {
  Sha256 h;
  for (const auto& [rel, bytes] : files) {
    h.update(rel + ":" + std::to_string(bytes.size()) + ":");
    h.update(bytes);
  }
  return h.hex();
}

}  // namespace galley::core
