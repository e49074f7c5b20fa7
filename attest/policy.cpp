// Trust: one key from --key, or a TrustPolicy document; and the dates they are written in.
#include <cstdio>
#include <ctime>

#include "attest/internal/keys.hpp"
#include "attest/internal/timestamp.hpp"
#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/version.hpp"

namespace galley::attest {

using core::Error;
using core::Exit;
using core::Json;

std::optional<std::int64_t> parse_time(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) {
    return std::nullopt;
  }
  std::string rest = text.substr(10);
  long offset = 0;
  if (!rest.empty()) {
    if (rest[0] != 'T' || std::sscanf(rest.c_str(), "T%2d:%2d%n", &h, &mi, &consumed) != 2 || consumed != 6) {
      return std::nullopt;
    }
    rest = rest.substr(6);
    if (rest.starts_with(":")) {
      if (std::sscanf(rest.c_str(), ":%2d%n", &s, &consumed) != 1 || consumed != 3) {
        return std::nullopt;
      }
      rest = rest.substr(3);
      if (rest.starts_with(".")) {
        size_t digits = rest.find_first_not_of("0123456789", 1);
        rest = rest.substr(digits == std::string::npos ? rest.size() : digits);
      }
    }
    int oh = 0, om = 0;
    if (rest == "Z" || rest.empty()) {
      offset = 0;
    } else if ((rest[0] == '+' || rest[0] == '-') && std::sscanf(rest.c_str() + 1, "%2d:%2d%n", &oh, &om, &consumed) == 2 &&
               consumed == 5 && rest.size() == 6) {
      offset = (rest[0] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
    } else {
      return std::nullopt;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  struct tm tm {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

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
  auto t = parse_time(item[key].get<std::string>());
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
