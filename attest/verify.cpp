// Verifying a signed bundle, offline.
//
// The problem: months later, with nothing but the folder and a policy, prove who signed the bundle,
// from which recipe, and that not one byte changed, after keys may have rotated or been revoked.
//
// The approach is closed-world and layered. The signature covers the statement; the statement
// names every file of the folder (the inventory's files and bundle.yaml itself) with its sha256;
// bundle.yaml's inventory names the same files with sizes and modes; recipe.yaml's digest is in the
// statement, in bundle.yaml and recomputed from recipe.yaml's content. The folder is then listed
// without following links: a file the statement does not name, a named file that is missing, a
// symlink or a changed byte each fail, so a renamed file fails twice (missing and extra). Every
// check runs and every failure is reported, as the harness verifiers do: a bad signature does not
// hide a changed file.
//
// Time: a key is trusted only inside its window and before its revocation. When an RFC 3161
// timestamp from a TSA the policy trusts covers the signature, its genTime is the signing time and
// the key is judged then, so a key rotated out since still verifies what it signed while valid.
// Without one the signing time is not established: the policy either refuses (untimestamped: deny)
// or judges the key now (--as-of), and the report says the time was not established. We rejected
// trusting a time written by the signer (startedOn): whoever holds the key can write any time.
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <set>

#include "attest/internal/encoding.hpp"
#include "attest/internal/envelope.hpp"
#include "attest/internal/json_path.hpp"
#include "attest/internal/keys.hpp"
#include "attest/internal/read.hpp"
#include "attest/internal/statement.hpp"
#include "attest/internal/timestamp.hpp"
#include "bundle/inventory.hpp"
#include "core/clock.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "core/yaml_emit.hpp"

namespace galley::attest {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;
using core::Json;

namespace {

bool is_sha256_hex(const Json& v) {
  return v.is_string() && v.get<std::string>().size() == 64 &&
         v.get<std::string>().find_first_not_of("0123456789abcdef") == std::string::npos;
}

class Verifier {
 public:
  Verifier(const std::string& dir, const Trust& trust, std::int64_t now) : m_dir(dir), m_trust(trust), m_now(now) {
    m_report.bundle = dir;
    m_report.trust = trust.source;
  }

  Report run() {
    m_folder = scan_folder(m_dir);
    if (read_envelope()) {
      check_envelope_shape();   // media type, payload type, hint == keyid
      check_signature();        // some trusted key verifies PAE(payloadType, payload)
      check_statement();        // in-toto v1, SLSA v1, Galley build type, subjects well formed
      check_subjects();         // every subject present with its digest; nothing else in the folder
    }
    check_manifest();           // bundle.yaml's inventory matches the folder
    check_recipe_digest();      // statement, bundle.yaml and recipe.yaml agree
    if (m_signer) {
      check_builder();          // allowed builder ids, minimum tool version
      establish_time();         // trusted RFC 3161 timestamps
      check_key_in_time();      // window and revocations at the signing time, or now
    }
    return m_report;
  }

 private:
  void fail(const std::string& line) { m_report.failures.push_back(line); }
  Json& facts() { return m_report.established; }

  bool read_envelope() {
    std::string path = (fs::path(m_dir) / bundle::k_attestation_file).string();
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      fail(std::string(bundle::k_attestation_file) + " is missing: the bundle is not signed");
      return false;
    }
    if (!S_ISREG(st.st_mode)) {
      fail(std::string(bundle::k_attestation_file) + " is not a regular file");
      return false;
    }
    try {
      m_envelope = parse_sigstore(core::read_file(path, 16u << 20), bundle::k_attestation_file);
    } catch (const Error& e) {
      fail(e.what());
      return false;
    }
    return true;
  }

  void check_envelope_shape() {
    const Envelope& e = *m_envelope;
    if (e.media_type != bundle::k_attestation_media_type) {
      fail("mediaType is \"" + e.media_type + "\", expected " + bundle::k_attestation_media_type);
    }
    if (e.payload_type != k_payload_type) {
      fail("payloadType is \"" + e.payload_type + "\", expected " + k_payload_type);
    }
    if (e.hint != e.keyid) {
      fail("verificationMaterial.publicKey.hint \"" + e.hint + "\" differs from the DSSE keyid \"" + e.keyid + "\"");
    }
  }

  // The hint only orders the candidates (keys it names are tried first); the key that verifies is the signer.
  void check_signature() {
    const Envelope& e = *m_envelope;
    std::string message = pae(e.payload_type, e.payload);
    for (bool named_by_hint : {true, false}) {
      for (const auto& k : m_trust.keys) {
        auto handle = load_public_key(k.public_pem, k.name);
        std::string id = key_id(*handle);
        if ((id == e.hint) == named_by_hint && verify_bytes(*handle, message, e.signature)) {
          m_signer = &k;
          facts()["signature"] = {{"key", k.name}, {"keyId", id}, {"algorithm", key_type_name(*handle)}};
          return;
        }
      }
    }
    fail("signature: no trusted key verifies it (tried " + std::to_string(m_trust.keys.size()) + " key(s) from " +
         m_trust.source + "; the bundle names key id \"" + e.hint + "\")");
  }

  void check_statement() {
    Json s;
    try {
      s = core::parse_json(m_envelope->payload, "statement");  // depth and size bounded while reading
    } catch (const Error& e) {
      fail(std::string("statement: the payload is not a JSON object within the read limits: ") + e.what());
      return;
    }
    if (!s.is_object()) {
      fail("statement: the payload is not a JSON object");
      return;
    }
    m_statement = s;
    if (text_at(s, {"_type"}) != k_statement_type) {
      fail("statement: _type is " + shown_at(s, {"_type"}) + ", expected " + k_statement_type);
    }
    if (text_at(s, {"predicateType"}) != k_predicate_type) {
      fail("statement: predicateType is " + shown_at(s, {"predicateType"}) + ", expected " + k_predicate_type);
    }
    if (text_at(s, {"predicate", "buildDefinition", "buildType"}) != k_build_type) {
      fail("statement: buildType is " + shown_at(s, {"predicate", "buildDefinition", "buildType"}) + ", expected " + k_build_type);
    }
    const Json* subjects = find_at(s, {"subject"});
    if (subjects == nullptr || !subjects->is_array() || subjects->empty()) {
      fail("statement: subject is missing or empty");
    }
  }

  void check_subjects() {
    const Json* subject_list = find_at(m_statement, {"subject"});
    if (subject_list == nullptr || !subject_list->is_array()) {
      return;
    }
    size_t before = m_report.failures.size();
    std::set<std::string> named;
    const Json& subjects = *subject_list;
    for (size_t i = 0; i < subjects.size(); ++i) {
      const Json& sub = subjects[i];
      std::string label = "subject[" + std::to_string(i) + "]";
      const Json* digest = find_at(sub, {"digest", "sha256"});
      const Json* name_field = find_at(sub, {"name"});
      if (name_field == nullptr || !name_field->is_string() || digest == nullptr || !is_sha256_hex(*digest)) {
        fail(label + ": no name or no 64-hex digest.sha256");
        continue;
      }
      std::string name = name_field->get<std::string>();
      std::string want = digest->get<std::string>();
      label += " " + core::quote_name(name);
      if (!named.insert(name).second) {
        fail(label + ": named twice");
      }
      auto it = m_folder.files.find(name);
      if (it == m_folder.files.end()) {
        fail(label + ": no such file in the folder");
      } else if (it->second.sha256 != want) {
        fail(label + ": sha256 mismatch: file has " + it->second.sha256 + ", statement says " + want);
      }
    }
    for (const auto& [path, file] : m_folder.files) {
      if (!named.contains(path)) {
        fail("file " + core::quote_name(path) + " is in the folder but is not a subject of the statement");
      }
    }
    for (const auto& problem : m_folder.problems) {
      fail(problem);
    }
    m_subjects_ok = m_report.failures.size() == before;
  }

  void check_manifest() {
    try {
      m_manifest = read_manifest(m_dir).value;
    } catch (const Error& e) {
      fail(std::string("bundle.yaml: ") + e.what());
      return;
    }
    auto diffs = bundle::inventory_differences(m_manifest, m_folder);
    for (const auto& d : diffs) {
      fail("inventory: " + d);
    }
    if (diffs.empty() && m_subjects_ok && m_signer != nullptr) {  // facts only from a verified statement
      facts()["inventory"] = {{"complete", true}, {"files", m_folder.files.size()}};
    }
  }

  std::string statement_recipe_digest() const {
    const Json* deps = find_at(m_statement, {"predicate", "buildDefinition", "resolvedDependencies"});
    if (deps == nullptr || !deps->is_array()) {
      return "(none)";
    }
    for (const auto& dep : *deps) {
      if (text_at(dep, {"name"}) == "recipe") {
        return "sha256:" + text_at(dep, {"digest", "sha256"});
      }
    }
    return "(none)";
  }

  // "sha256:..." over the canonical JSON of a recipe without its metadata.digest.
  static std::string content_digest(const Json& recipe) {
    Json copy = recipe;
    if (copy.is_object() && copy.contains("metadata") && copy["metadata"].is_object()) {
      copy["metadata"].erase("digest");
    }
    return "sha256:" + core::sha256_hex(core::canonical_json(copy));
  }

  // Not schema-checked: a recipe written by an older galley must still verify after the schema
  // grew. Read fast (libyaml); a digest that does not match is judged again by core::parse_yaml,
  // the authority, so the fast reader can never fail a good bundle.
  void check_recipe_digest() {
    std::string path = (fs::path(m_dir) / bundle::k_recipe_file).string();
    std::string stated;
    std::string actual;
    try {
      std::string text = core::read_file(path);
      auto fast = read_yaml_fast(text);
      if (fast) {
        stated = text_at(*fast, {"metadata", "digest"});
        actual = content_digest(*fast);
      }
      if (!fast || stated != actual) {
        Json recipe = core::parse_yaml(text, bundle::k_recipe_file).value;
        stated = text_at(recipe, {"metadata", "digest"});
        actual = content_digest(recipe);
      }
    } catch (const Error& e) {
      fail(std::string("recipe: ") + e.what());
      return;
    }
    std::string in_statement = m_envelope ? statement_recipe_digest() : "";
    std::string in_manifest = text_at(m_manifest, {"spec", "recipeDigest"});
    size_t before = m_report.failures.size();
    if (stated != actual) {
      fail("recipe digest: recipe.yaml says " + (stated.empty() ? "nothing" : stated) + " but its content digests to " + actual);
    }
    if (m_envelope && in_statement != stated) {
      fail("recipe digest: the statement says " + in_statement + " but recipe.yaml says " + stated);
    }
    if (!m_manifest.is_null() && in_manifest != stated) {
      fail("recipe digest: bundle.yaml says " + in_manifest + " but recipe.yaml says " + stated);
    }
    if (m_report.failures.size() == before && m_signer != nullptr) {
      facts()["recipeDigest"] = stated;
    }
  }

  void check_builder() {
    std::string id = text_at(m_statement, {"predicate", "runDetails", "builder", "id"});
    std::string version = text_at(m_statement, {"predicate", "runDetails", "builder", "version", "galley"});
    if (id.empty()) {
      fail("statement: predicate.runDetails.builder.id is missing or empty");
      return;
    }
    const auto& allowed = m_trust.allowed_builder_ids;
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), id) == allowed.end()) {
      fail("builder: \"" + id + "\" is not one of the policy's allowedBuilderIds (" + core::join(allowed) + ")");
      return;
    }
    if (!m_trust.minimum_tool_version.empty()) {
      auto have = core::Version::parse(version);
      auto want = core::Version::parse(m_trust.minimum_tool_version);
      if (!have || !want || core::compare(*have, *want) < 0) {
        fail("tool version: the bundle was made by galley " + (version.empty() ? "(unknown)" : version) +
             ", older than the policy's minimumToolVersion " + m_trust.minimum_tool_version);
        return;
      }
    }
    facts()["builder"] = {{"id", id}, {"toolVersion", version}};
  }

  void establish_time() {
    const auto& stamps = m_envelope->timestamps;
    if (stamps.empty()) {
      return;
    }
    if (m_trust.tsa.empty()) {
      m_report.not_established.push_back("the bundle carries " + std::to_string(stamps.size()) +
                                         " RFC 3161 timestamp(s), but no TSA is trusted (a TrustPolicy's spec.tsa)");
      return;
    }
    for (size_t i = 0; i < stamps.size(); ++i) {
      std::string errors;
      for (const auto& tsa : m_trust.tsa) {
        TimestampResult r = verify_timestamp(stamps[i], m_envelope->signature, tsa);
        if (r.time && (!m_signed_at || *r.time < *m_signed_at)) {
          m_signed_at = r.time;
          m_tsa = tsa.name;
        }
        if (r.time) {
          errors.clear();
          break;
        }
        errors += (errors.empty() ? "" : "; ") + ("TSA \"" + tsa.name + "\": " + r.error);
      }
      if (!errors.empty()) {
        fail("timestamp[" + std::to_string(i) + "]: not verified by any trusted TSA: " + errors);
      }
    }
    if (m_signed_at) {
      facts()["signedAt"] = {{"time", core::rfc3339(*m_signed_at)}, {"tsa", m_tsa}};
    }
  }

  void check_key_in_time() {
    const TrustedKey& k = *m_signer;
    std::int64_t when = m_signed_at.value_or(m_now);
    std::string at = m_signed_at ? "the signing time " + core::rfc3339(when) : "the verification time " + core::rfc3339(when);
    if (!m_signed_at) {
      m_report.not_established.push_back("signing time: no trusted RFC 3161 timestamp covers the signature; key \"" +
                                         k.name + "\" was judged at " + core::rfc3339(m_now) + " instead");
      if (m_trust.untimestamped == Untimestamped::deny) {
        fail("signing time: not established, and the policy (untimestamped: deny) requires a trusted timestamp");
      }
    }
    if (k.not_before && when < *k.not_before) {
      fail("key \"" + k.name + "\": not valid before " + core::rfc3339(*k.not_before) + ", after " + at);
    }
    if (k.not_after && when > *k.not_after) {
      fail("key \"" + k.name + "\": expired " + core::rfc3339(*k.not_after) + ", before " + at +
           (m_signed_at ? "" : " (no trusted timestamp shows it was signed while the key was valid)"));
    }
    for (const auto& r : m_trust.revocations) {
      bool revoked = m_signed_at ? r.date <= *m_signed_at : r.date <= m_now;  // later ones were unknown then
      if (r.key == k.name && revoked) {
        fail("key \"" + k.name + "\": revoked " + core::rfc3339(r.date) + (r.reason.empty() ? "" : " (" + r.reason + ")") +
             ", before " + at);
      }
    }
  }

  std::string m_dir;
  const Trust& m_trust;
  std::int64_t m_now;
  Report m_report;
  bundle::Folder m_folder;
  std::optional<Envelope> m_envelope;
  Json m_statement = Json::object();
  Json m_manifest;
  const TrustedKey* m_signer = nullptr;
  bool m_subjects_ok = false;
  std::optional<std::int64_t> m_signed_at;
  std::string m_tsa;
};

}  // namespace

Report verify_folder(const std::string& dir, const Trust& trust, std::optional<std::int64_t> as_of) {
  std::error_code ec;
  if (!fs::is_directory(fs::status(dir, ec))) {  // DIR itself may be a link; nothing inside it may
    throw Error(fs::exists(dir, ec) ? Exit::bad_input : Exit::not_found, core::Where{dir, 0, ""},
                fs::exists(dir, ec) ? "is not a folder" : "no such folder");
  }
  return Verifier(dir, trust, as_of.value_or(static_cast<std::int64_t>(std::time(nullptr)))).run();
}

std::string to_text(const Report& r) {
  std::string out;
  const Json& f = r.established;
  if (f.contains("signature")) {
    out += "established: signature by key \"" + f["signature"]["key"].get<std::string>() + "\" (" +
           f["signature"]["algorithm"].get<std::string>() + ", key id " + f["signature"]["keyId"].get<std::string>() + ")\n";
  }
  if (f.contains("inventory")) {
    out += "established: inventory complete: " + std::to_string(f["inventory"]["files"].get<size_t>()) +
           " files match the statement and bundle.yaml, nothing else in the folder\n";
  }
  if (f.contains("recipeDigest")) {
    out += "established: recipe digest " + f["recipeDigest"].get<std::string>() + "\n";
  }
  if (f.contains("builder")) {
    out += "established: built by " + f["builder"]["id"].get<std::string>() + " (galley " +
           f["builder"]["toolVersion"].get<std::string>() + ")\n";
  }
  if (f.contains("signedAt")) {
    out += "established: signed no later than " + f["signedAt"]["time"].get<std::string>() + " (RFC 3161 timestamp by TSA \"" +
           f["signedAt"]["tsa"].get<std::string>() + "\")\n";
  }
  for (const auto& line : r.not_established) {
    out += "NOT established: " + line + "\n";
  }
  for (const auto& line : r.failures) {
    out += "FAIL: " + line + "\n";
  }
  out += r.verified() ? "VERIFIED\n" : "REJECTED: " + std::to_string(r.failures.size()) + " failure(s)\n";
  return out;
}

Json to_json(const Report& r) {
  return Json{{"bundle", r.bundle},
              {"trust", r.trust},
              {"verified", r.verified()},
              {"established", r.established},
              {"notEstablished", r.not_established},
              {"failures", r.failures}};
}

}  // namespace galley::attest
