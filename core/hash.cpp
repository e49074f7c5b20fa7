#include "core/hash.hpp"

#include <openssl/evp.h>

#include "core/error.hpp"

namespace galley::core {

namespace {
EVP_MD_CTX* ctx_of(void* p) { return static_cast<EVP_MD_CTX*>(p); }
}  // namespace

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
  if (m_ctx == nullptr || EVP_DigestInit_ex(ctx_of(m_ctx), EVP_sha256(), nullptr) != 1) {
    throw Error(Exit::io, "OpenSSL: cannot start a SHA-256 digest");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_of(m_ctx)); }

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(ctx_of(m_ctx), bytes.data(), bytes.size()) != 1) {
    throw Error(Exit::io, "OpenSSL: SHA-256 update failed");
  }
}

std::string Sha256::hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_of(m_ctx), md, &len) != 1) {
    throw Error(Exit::io, "OpenSSL: SHA-256 final failed");
  }
  static const char* const k_hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += k_hex[md[i] >> 4];
    out += k_hex[md[i] & 0xf];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

}  // namespace galley::core
