#pragma once
// Attest: sign a bundle with SLSA provenance (an in-toto Statement v1 in a DSSE envelope, written as
// a Sigstore bundle v0.3 beside the inventory) and verify one offline, against a public key or a
// TrustPolicy, with RFC 3161 timestamps establishing when it was signed.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "bundle/bundle.hpp"

namespace galley::attest {

enum class KeyType { ecdsa_p256, ed25519 };

struct KeyPair {
  std::string private_pem;  // PKCS#8; "ENCRYPTED PRIVATE KEY" (AES-256-CBC) with a passphrase
  std::string public_pem;   // SubjectPublicKeyInfo
};

// Generates a key pair; `passphrase` "" leaves the private key unencrypted. Throws core::Error(io).
KeyPair generate_key(KeyType type, const std::string& passphrase);

// Writes NAME.key (mode 0600) and NAME.pub, refusing to overwrite either.
// Throws core::Error: bad_input when one exists, io when a write fails (nothing is left behind).
void write_key_pair(const KeyPair& keys, const std::string& name);

// The key id of a public key PEM: base64(sha256(DER SubjectPublicKeyInfo)), as cosign writes it.
// Throws core::Error(bad_input) for a PEM that is not an ECDSA P-256 or Ed25519 public key.
std::string key_id(const std::string& public_pem);

struct KeyHandle;  // an OpenSSL key, kept out of this header

// A private key ready to sign.
class SigningKey {
 public:
  // Reads a PEM private key (ECDSA P-256 or Ed25519). Throws core::Error: bad_input when the file
  // is readable or writable by group or others, not a supported key, or the passphrase is wrong;
  // not_found when missing.
  static SigningKey load(const std::string& path, const std::string& passphrase);
  const std::string& id() const { return m_id; }
  const KeyHandle& handle() const { return *m_key; }

 private:
  std::shared_ptr<const KeyHandle> m_key;
  std::string m_id;
};

struct SignOptions {
  std::string builder_id;                        // "" = https://galley.dev/galley@VERSION
  std::optional<std::int64_t> source_date_epoch;  // predicate startedOn; absent = no time in it
  std::string tsa_url;                           // "" = no timestamp; else http(s)://host[:port]/path
  std::string tsa_ca_file;                       // PEM CA certificates trusted for an https tsa_url ("" = the system's)
};

// The passphrase held by environment variable `var` ("" = none). Throws core::Error(bad_input) when
// `var` is named but unset or empty: a passphrase on the command line would show in `ps`.
std::string passphrase_from_env(const std::string& var);

// The in-toto statement (canonical JSON bytes) for a bundle whose files are `files`
// (path -> bytes, bundle.yaml and recipe.yaml among them; the signature file is not a subject).
// The same files and options give the same bytes. Throws core::Error(bad_input).
std::string make_statement(const bundle::Bundle& files, const SignOptions& options);

// Signs a rendered bundle: returns the bytes of its attestation file (bundle::k_attestation_file). With a tsa_url, the
// signature is timestamped over HTTP. Throws core::Error (bad_input; io for the TSA).
std::string sign_bundle(const bundle::Bundle& bundle, const SigningKey& key, const SignOptions& options);

// Signs an existing bundle folder after checking that its files match bundle.yaml's inventory, and
// writes DIR/attestation.sigstore.json atomically. Throws core::Error: check_failed when the
// folder does not match its inventory, bad_input, io.
void sign_folder(const std::string& dir, const SigningKey& key, const SignOptions& options);

// Air-gapped timestamps. The DER TimeStampReq (SHA-256 over the DSSE signature bytes of DIR's
// attestation); and attaching a DER TimeStampResp obtained out of band, after checking that its
// status is granted and that it covers that signature. Throw core::Error (bad_input, not_found, io).
std::string timestamp_query(const std::string& dir);
void attach_timestamp(const std::string& dir, const std::string& response_der, const std::string& response_name);

// --- Verification ---

enum class Untimestamped { allow, deny };

struct TrustedKey {
  std::string name;
  std::string public_pem;
  std::optional<std::int64_t> not_before;
  std::optional<std::int64_t> not_after;
};

struct Revocation {
  std::string key;  // a TrustedKey name
  std::int64_t date = 0;
  std::string reason;
};

struct TrustedTsa {
  std::string name;
  std::string certificates_pem;  // the TSA certificate and its issuers up to a self-signed root
};

// Who is trusted, for how long. From --key: one key, no window, untimestamped allowed.
struct Trust {
  std::string source;  // the policy's file or the key's, for messages
  std::vector<TrustedKey> keys;
  std::vector<Revocation> revocations;
  std::vector<std::string> allowed_builder_ids;  // empty = any
  std::string minimum_tool_version;              // "" = any
  Untimestamped untimestamped = Untimestamped::allow;
  std::vector<TrustedTsa> tsa;
};

// Trust in one public key file's PEM. Throws core::Error(bad_input) for an unsupported key.
Trust trust_from_key(const std::string& public_pem, const std::string& name);

// Trust from a TrustPolicy document (schema-checked here). Throws core::Error(bad_input) naming
// the file, line and field of each problem.
Trust trust_from_policy(const core::Document& policy);

// What a verification established and what failed. Every failure names what failed.
struct Report {
  std::string bundle;  // the folder verified
  std::string trust;   // the policy's file or the key's
  std::vector<std::string> failures;
  std::vector<std::string> not_established;  // e.g. the signing time, without a trusted timestamp
  core::Json established = core::Json::object();
  bool verified() const { return failures.empty(); }
};

// Verifies DIR offline: signature, statement, closed-world inventory, recipe digest, trust.
// `as_of` is the moment to judge keys at when no timestamp establishes the signing time
// (absent = now). Throws core::Error only for bad input (not_found when DIR is missing);
// everything about the bundle itself goes into the report.
Report verify_folder(const std::string& dir, const Trust& trust, std::optional<std::int64_t> as_of);

std::string to_text(const Report& report);   // a readable summary, one line per fact or failure
core::Json to_json(const Report& report);    // a verification statement

}  // namespace galley::attest
