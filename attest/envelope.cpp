// The DSSE envelope inside a Sigstore bundle v0.3 (public-key verification material): written and
// read back. Reading reports the first malformed field; trust decisions are verify.cpp's.
#include "attest/internal/encoding.hpp"
#include "attest/internal/envelope.hpp"
#include "attest/internal/keys.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "core/yaml_emit.hpp"

namespace galley::attest {

using core::Error;
using core::Exit;
using core::Json;

std::string sigstore_json(const Envelope& e) {
  Json material = {{"publicKey", {{"hint", e.hint}}}, {"tlogEntries", Json::array()}};
  if (!e.timestamps.empty()) {
    Json stamps = Json::array();
    for (const auto& der : e.timestamps) {
      stamps.push_back({{"signedTimestamp", base64_encode(der)}});
    }
    material["timestampVerificationData"] = {{"rfc3161Timestamps", stamps}};
  }
  Json envelope = {{"payloadType", e.payload_type},
                   {"payload", base64_encode(e.payload)},
                   {"signatures", Json::array({{{"keyid", e.keyid}, {"sig", base64_encode(e.signature)}}})}};
  return core::to_pretty_json(
      {{"mediaType", e.media_type}, {"verificationMaterial", material}, {"dsseEnvelope", envelope}});
}

namespace {

const Json& field(const Json& parent, const char* key, Json::value_t type, const std::string& path,
                  const std::string& name) {
  if (!parent.is_object() || !parent.contains(key) || parent[key].type() != type) {
    throw Error(Exit::check_failed, core::Where{name, 0, path + key}, "missing or of the wrong type");
  }
  return parent[key];
}

std::string text(const Json& parent, const char* key, const std::string& path, const std::string& name) {
  return field(parent, key, Json::value_t::string, path, name).get<std::string>();
}

std::string decoded(const Json& parent, const char* key, const std::string& path, const std::string& name) {
  auto bytes = base64_decode(text(parent, key, path, name));
  if (!bytes) {
    throw Error(Exit::check_failed, core::Where{name, 0, path + key}, "not valid base64");
  }
  return *bytes;
}

}  // namespace

Envelope parse_sigstore(std::string_view bytes, const std::string& name) {
  Json doc;
  try {
    doc = core::parse_json(bytes, name);  // depth, size and strings bounded while reading
  } catch (const Error& e) {
    throw Error(Exit::check_failed, core::Where{name, 0, ""}, std::string("not a JSON object: ") + e.what());
  }
  if (!doc.is_object()) {
    throw Error(Exit::check_failed, core::Where{name, 0, ""}, "not a JSON object");
  }
  Envelope e;
  e.media_type = text(doc, "mediaType", "", name);
  const Json& material = field(doc, "verificationMaterial", Json::value_t::object, "", name);
  e.hint = text(field(material, "publicKey", Json::value_t::object, "verificationMaterial.", name), "hint",
                "verificationMaterial.publicKey.", name);
  if (material.contains("tlogEntries") && !material["tlogEntries"].empty()) {
    throw Error(Exit::check_failed, core::Where{name, 0, "verificationMaterial.tlogEntries"},
                "transparency-log entries cannot be checked offline against a key");
  }
  if (material.contains("timestampVerificationData")) {
    const Json& tvd = material["timestampVerificationData"];
    const std::string path = "verificationMaterial.timestampVerificationData.";
    const Json& list = field(tvd, "rfc3161Timestamps", Json::value_t::array, path, name);
    for (size_t i = 0; i < list.size(); ++i) {
      e.timestamps.push_back(decoded(list[i], "signedTimestamp", path + "rfc3161Timestamps[" + std::to_string(i) + "].", name));
    }
  }
  const Json& env = field(doc, "dsseEnvelope", Json::value_t::object, "", name);
  e.payload_type = text(env, "payloadType", "dsseEnvelope.", name);
  e.payload = decoded(env, "payload", "dsseEnvelope.", name);
  const Json& sigs = field(env, "signatures", Json::value_t::array, "dsseEnvelope.", name);
  if (sigs.size() != 1) {
    throw Error(Exit::check_failed, core::Where{name, 0, "dsseEnvelope.signatures"},
                "has " + std::to_string(sigs.size()) + " signatures; a Sigstore bundle holds exactly one");
  }
  e.keyid = sigs[0].contains("keyid") && sigs[0]["keyid"].is_string() ? sigs[0]["keyid"].get<std::string>() : "";
  e.signature = decoded(sigs[0], "sig", "dsseEnvelope.signatures[0].", name);
  return e;
}

Envelope sign_statement(const std::string& statement, const SigningKey& key) {
  Envelope e;
  e.media_type = bundle::k_attestation_media_type;
  e.hint = key.id();
  e.payload_type = k_payload_type;
  e.payload = statement;
  e.keyid = key.id();
  e.signature = sign_bytes(key.handle(), pae(e.payload_type, e.payload));
  return e;
}

}  // namespace galley::attest
