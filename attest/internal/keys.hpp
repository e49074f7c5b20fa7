#pragma once
// Public keys, key ids and raw signatures (keys.cpp); internal to attest/.
#include <memory>
#include <string>
#include <string_view>

#include "attest/attest.hpp"

namespace galley::attest {

// A public key from PEM (ECDSA P-256 or Ed25519). Throws core::Error(bad_input) naming `name`.
std::shared_ptr<const KeyHandle> load_public_key(const std::string& pem, const std::string& name);
std::string key_id(const KeyHandle& key);          // base64(sha256(SPKI DER))
std::string key_type_name(const KeyHandle& key);   // "ECDSA P-256" | "Ed25519"
// ECDSA P-256 with SHA-256 (DER signature, randomized nonce) or pure Ed25519 (deterministic).
std::string sign_bytes(const KeyHandle& key, std::string_view message);
bool verify_bytes(const KeyHandle& key, std::string_view message, std::string_view signature);

}  // namespace galley::attest
