// Tests of attest/envelope.cpp: the Sigstore bundle v0.3 written and read back.
#include <catch2/catch.hpp>

#include <functional>

#include "attest/internal/encoding.hpp"
#include "attest/internal/envelope.hpp"
#include "attest/internal/keys.hpp"
#include "core/document.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::attest_test;
using core::Exit;
using core::Json;

TEST_CASE("envelope: a Sigstore bundle v0.3 written and read back") {
  TempDir dir;
  Keys keys(dir, attest::KeyType::ed25519);
  attest::Envelope e = attest::sign_statement("{\"a\":1}", *keys.key);
  e.timestamps = {"DER-1", "DER-2"};
  std::string text = attest::sigstore_json(e);
  Json doc = Json::parse(text);
  CHECK(doc["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json");
  CHECK(doc["verificationMaterial"]["publicKey"]["hint"] == keys.key->id());
  CHECK(doc["dsseEnvelope"]["signatures"][0]["keyid"] == keys.key->id());
  CHECK(doc["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"].size() == 2);

  attest::Envelope back = attest::parse_sigstore(text, "x.json");
  CHECK(back.payload == e.payload);
  CHECK(back.signature == e.signature);
  CHECK(back.timestamps == e.timestamps);
  CHECK(attest::verify_bytes(*attest::load_public_key(keys.public_pem, "k"), attest::pae(back.payload_type, back.payload), back.signature));

  auto broken = [&](const std::function<void(Json&)>& edit) {
    Json d = doc;
    edit(d);
    return message_of([&] { attest::parse_sigstore(d.dump(), "x.json"); });
  };
  CHECK(broken([](Json& d) { d.erase("dsseEnvelope"); }) == "x.json: dsseEnvelope: missing or of the wrong type");
  CHECK(broken([](Json& d) { d["verificationMaterial"]["publicKey"]["hint"] = 3; }) ==
        "x.json: verificationMaterial.publicKey.hint: missing or of the wrong type");
  CHECK(broken([](Json& d) { d["dsseEnvelope"]["payload"] = "!!"; }) == "x.json: dsseEnvelope.payload: not valid base64");
  CHECK(broken([](Json& d) { d["dsseEnvelope"]["signatures"] = Json::array(); }).find("has 0 signatures") != std::string::npos);
  CHECK(broken([](Json& d) { d["verificationMaterial"]["tlogEntries"] = Json::array({1}); }).find("transparency-log") != std::string::npos);
  CHECK(exit_of([] { attest::parse_sigstore("[1]", "x.json"); }) == Exit::check_failed);
}
