#pragma once
#include "core/base64.hpp"
#include "core/clock.hpp"
#include "core/yaml_fast.hpp"
// attest's internal pieces, shared by its .cpp files and its tests; cli/ includes only attest.hpp.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attest/attest.hpp"
#include "bundle/folder.hpp"
#include "core/document.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::attest {

inline constexpr const char* k_payload_type = "application/vnd.in-toto+json";
inline constexpr const char* k_statement_type = "https://in-toto.io/Statement/v1";
inline constexpr const char* k_predicate_type = "https://slsa.dev/provenance/v1";
inline constexpr const char* k_build_type = "https://galley.dev/bundle/v1";

// Safe lookups in JSON that nobody checked (a statement, a tampered recipe): the value at a path
// of object keys, or nullptr when any step is missing or not an object; and its text, "" unless a
// string. They never throw.
inline const core::Json* find_at(const core::Json& root, std::initializer_list<const char*> keys) {
  const core::Json* at = &root;
  for (const char* key : keys) {
    if (!at->is_object()) {
      return nullptr;
    }
    auto it = at->find(key);
    if (it == at->end()) {
      return nullptr;
    }
    at = &*it;
  }
  return at;
}
inline std::string text_at(const core::Json& root, std::initializer_list<const char*> keys) {
  const core::Json* at = find_at(root, keys);
  return at != nullptr && at->is_string() ? at->get<std::string>() : "";
}
// The JSON text of the value at the path, or "(missing)": for messages.
inline std::string shown_at(const core::Json& root, std::initializer_list<const char*> keys) {
  const core::Json* at = find_at(root, keys);
  return at != nullptr ? at->dump() : "(missing)";
}

// --- read.cpp (core/yaml_fast.hpp) ---
using core::read_yaml_fast;
// A document read fast when possible, schema-checked as `kind` (nullptr = none); a failure is
// reported by core::parse_yaml and core::check_schema, with lines. Throws core::Error(bad_input).
core::Document read_document(std::string_view text, const std::string& name, const char* kind);
// The same for a Recipe, checked by resolver::check_recipe (schema and digest), read into its view.
resolver::RecipeView read_recipe(std::string_view text, const std::string& name);

// --- encoding.cpp (base64 from core/base64.hpp) ---
using core::base64_decode;  // standard or URL-safe alphabet, padding optional (as DSSE requires)
using core::base64_encode;
// DSSE v1 pre-authentication encoding: "DSSEv1 LEN(type) type LEN(body) body".
std::string pae(std::string_view type, std::string_view body);

// --- statement.cpp ---
// The statement over subjects (path -> sha256 hex), bundle.yaml's values and recipe.yaml's view.
std::string statement_from(const std::map<std::string, std::string>& digests, const core::Json& manifest,
                           const resolver::RecipeView& recipe, const SignOptions& options);

// --- keys.cpp ---
// A public key from PEM (ECDSA P-256 or Ed25519). Throws core::Error(bad_input) naming `name`.
std::shared_ptr<const KeyHandle> load_public_key(const std::string& pem, const std::string& name);
std::string key_id(const KeyHandle& key);          // base64(sha256(SPKI DER))
std::string key_type_name(const KeyHandle& key);   // "ECDSA P-256" | "Ed25519"
// ECDSA P-256 with SHA-256 (DER signature, randomized nonce) or pure Ed25519 (deterministic).
std::string sign_bytes(const KeyHandle& key, std::string_view message);
bool verify_bytes(const KeyHandle& key, std::string_view message, std::string_view signature);

// --- envelope.cpp ---
// A Sigstore bundle v0.3 with one DSSE signature, read back.
struct Envelope {
  std::string media_type;
  std::string hint;
  std::string payload_type;
  std::string payload;    // decoded statement bytes
  std::string keyid;
  std::string signature;  // decoded signature bytes
  std::vector<std::string> timestamps;  // decoded DER TimeStampResp each
};
std::string sigstore_json(const Envelope& envelope);
// Throws core::Error(check_failed) naming the first thing that is malformed.
Envelope parse_sigstore(std::string_view text, const std::string& name);
// Signs the statement: the whole envelope, without timestamps yet.
Envelope sign_statement(const std::string& statement, const SigningKey& key);

// DIR as signing and verifying see it (bundle/folder.hpp): every file hashed, the attestation left
// out, a problem line for each symlink or special file. Throws core::Error(io) when DIR cannot be listed.
bundle::Folder scan_folder(const std::string& dir);
// Reads and schema-checks DIR/bundle.yaml, once bundle::require_bundle_folder accepts DIR. Throws core::Error.
core::Document read_manifest(const std::string& dir);

// --- timestamp.cpp ---
std::string timestamp_request(std::string_view signature, bool with_nonce);
// Parses a DER TimeStampResp; checks status granted and that it covers `signature` (SHA-256,
// -384 or -512 imprint). Returns its genTime. Throws core::Error(bad_input) saying what is wrong.
std::int64_t check_timestamp_response(std::string_view response, std::string_view signature);
// POSTs the DER TimeStampReq `query` to the TSA at `url` (plain http://: the response is signed) and
// returns the body of its 200 answer, unchecked. Throws core::Error: bad_input for a URL that is not
// http://HOST[:PORT][/PATH] or carries credentials; io when the TSA is unreachable, answers another
// status, or sends more than 1 MiB.
std::string request_timestamp(const std::string& url, const std::string& query);
// Verifies a TimeStampResp against a TSA chain at its own genTime, signer pinned to the chain's
// leaf. Returns genTime, or an error message.
struct TimestampResult {
  std::optional<std::int64_t> time;
  std::string error;
};
TimestampResult verify_timestamp(std::string_view response, std::string_view signature, const TrustedTsa& tsa);

// "" when `pem` is a TSA certificate and its issuers up to one self-signed root; else what is wrong.
std::string tsa_chain_problem(const std::string& pem);


}  // namespace galley::attest
