// Trust: one key given by the caller, or a TrustPolicy document (its dates read by core/clock.hpp).
#include "attest/internal/keys.hpp"
#include "attest/internal/timestamp.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/version.hpp"

namespace galley::attest {

using core::Error;
using core::Exit;
using core::Json;

Trust trust_from_key(const std::string& public_pem, const std::string& name) {
  load_public_key(public_pem, name);  // refuses anything but ECDSA P-256 and Ed25519
  Trust trust;
  trust.source = name;
  trust.keys.push_back(TrustedKey{name, public_pem, std::nullopt, std::nullopt});
  return trust;
}

namespace {

std::optional<std::int64_t> time_field(const core::Document& doc, const Json& item, const char* key,
                                       const std::string& path, core::Diagnostics& diags) {
  if (!item.contains(key)) {
    return std::nullopt;
  }
  auto t = core::try_parse_time(item[key].get<std::string>());
  if (!t) {
    std::string field = core::child(path, key);
    diags.add(core::Where{doc.name, doc.line_of(field), field}, "not a date (YYYY-MM-DD or RFC 3339)");
  }
  return t;
}

void read_keys(const core::Document& doc, Trust& trust, core::Diagnostics& diags) {
  const Json& keys = doc.value["spec"]["keys"];
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string path = core::index("spec.keys", i);
    TrustedKey key{keys[i]["name"], keys[i]["publicKey"], std::nullopt, std::nullopt};
    try {
      load_public_key(key.public_pem, doc.name);
    } catch (const Error&) {
      std::string field = core::child(path, "publicKey");
      diags.add(core::Where{doc.name, doc.line_of(field), field}, "not an ECDSA P-256 or Ed25519 public key PEM");
    }
    key.not_before = time_field(doc, keys[i], "notBefore", path, diags);
    key.not_after = time_field(doc, keys[i], "notAfter", path, diags);
    if (key.not_before && key.not_after && *key.not_after < *key.not_before) {
      std::string field = core::child(path, "notAfter");
      diags.add(core::Where{doc.name, doc.line_of(field), field}, "is before notBefore: the key would never be valid");
    }
    for (const auto& other : trust.keys) {
      if (other.name == key.name) {
        std::string field = core::child(path, "name");
        diags.add(core::Where{doc.name, doc.line_of(field), field}, "\"" + key.name + "\" names two keys");
      }
    }
    trust.keys.push_back(key);
  }
}

void read_revocations(const core::Document& doc, Trust& trust, core::Diagnostics& diags) {
  const Json& list = doc.value["spec"].value("revocations", Json::array());
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = core::index("spec.revocations", i);
    Revocation r{list[i]["key"], 0, list[i].value("reason", "")};
    bool known = false;
    for (const auto& k : trust.keys) {
      known = known || k.name == r.key;
    }
    if (!known) {
      std::string field = core::child(path, "key");
      diags.add(core::Where{doc.name, doc.line_of(field), field}, "\"" + r.key + "\" is not one of spec.keys");
    }
    r.date = time_field(doc, list[i], "date", path, diags).value_or(0);
    trust.revocations.push_back(r);
  }
}

}  // namespace

Trust trust_from_policy(const core::Document& doc) {
  core::check_schema(doc, "TrustPolicy");
  const Json& spec = doc.value["spec"];
  Trust trust;
  trust.source = doc.name;
  core::Diagnostics diags;
  read_keys(doc, trust, diags);
  read_revocations(doc, trust, diags);
  trust.allowed_builder_ids = spec.value("allowedBuilderIds", std::vector<std::string>{});
  trust.minimum_tool_version = spec.value("minimumToolVersion", "");
  trust.untimestamped = spec.value("untimestamped", "allow") == "deny" ? Untimestamped::deny : Untimestamped::allow;
  const Json& tsas = spec.value("tsa", Json::array());
  for (size_t i = 0; i < tsas.size(); ++i) {
    trust.tsa.push_back(TrustedTsa{tsas[i]["name"], tsas[i]["certificates"]});
    if (std::string problem = tsa_chain_problem(trust.tsa.back().certificates_pem); !problem.empty()) {
      std::string field = core::child(core::index("spec.tsa", i), "certificates");
      diags.add(core::Where{doc.name, doc.line_of(field), field}, problem);
    }
  }
  diags.throw_if_any(Exit::bad_input);
  return trust;
}

}  // namespace galley::attest
