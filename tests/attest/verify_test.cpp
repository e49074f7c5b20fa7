// Tests of attest/verify.cpp: a signed folder verified, and what tampering does. End-to-end
// behaviour (the CLI, a TSA over HTTP, the third-party verifiers) is in attest_blackbox.sh.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "attest/attest.hpp"
#include "attest/internal/envelope.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::attest_test;
using core::Exit;
using core::Json;
namespace fs = std::filesystem;

TEST_CASE("verify: a signed folder against its key, and what tampering does") {
  TempDir dir;
  Keys keys(dir, attest::KeyType::ecdsa_p256);
  std::string b = signed_folder(dir, *keys.key);
  attest::Trust trust = attest::trust_from_key(keys.public_pem, "release.pub");

  attest::Report ok = attest::verify_folder(b, trust, std::nullopt);
  INFO(attest::to_text(ok));
  CHECK(ok.verified());
  CHECK(ok.established["signature"]["keyId"] == keys.key->id());
  CHECK(ok.established["inventory"]["complete"] == true);
  CHECK(ok.established["recipeDigest"].get<std::string>().starts_with("sha256:"));
  CHECK(has_line(ok.not_established, "signing time"));
  CHECK(attest::to_text(ok).ends_with("VERIFIED\n"));
  CHECK(attest::to_json(ok)["verified"] == true);
  CHECK(attest::to_json(ok)["bundle"] == b);

  // sign_folder on the same files gives the same statement as sign_bundle
  std::string before = attest::parse_sigstore(read(b + "/attestation.sigstore.json"), "a").payload;
  attest::sign_folder(b, *keys.key, attest::SignOptions{});
  CHECK(attest::parse_sigstore(read(b + "/attestation.sigstore.json"), "a").payload == before);

  SECTION("a changed file") {
    std::ofstream(b + "/README.md", std::ios::app) << "x";
    attest::Report r = attest::verify_folder(b, trust, std::nullopt);
    CHECK_FALSE(r.verified());
    CHECK(has_line(r.failures, "\"README.md\": sha256 mismatch"));
    CHECK(attest::to_text(r).find("REJECTED") != std::string::npos);
    CHECK(exit_of([&] { attest::sign_folder(b, *keys.key, attest::SignOptions{}); }) == Exit::check_failed);
  }
  SECTION("an extra file in a subfolder") {
    fs::create_directories(b + "/sub");
    write(b + "/sub/x.yaml", "x: 1\n");
    attest::Report r = attest::verify_folder(b, trust, std::nullopt);
    CHECK(has_line(r.failures, "file \"sub/x.yaml\" is in the folder but is not a subject"));
  }
  SECTION("another key") {
    TempDir other;
    Keys k2(other, attest::KeyType::ed25519);
    attest::Report r = attest::verify_folder(b, attest::trust_from_key(k2.public_pem, "other.pub"), std::nullopt);
    CHECK(has_line(r.failures, "signature: no trusted key verifies it"));
    CHECK_FALSE(r.established.contains("signature"));
  }
  SECTION("no signature") {
    fs::remove(b + "/attestation.sigstore.json");
    attest::Report r = attest::verify_folder(b, trust, std::nullopt);
    CHECK(has_line(r.failures, "the bundle is not signed"));
  }
  SECTION("a validly signed statement of the wrong shape is reported, never thrown") {
    for (const char* payload :
         {R"({"_type":5,"subject":{"a":1},"predicate":[1]})",
          R"({"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1",)"
          R"("subject":[{"name":5},{"name":"a","digest":[1]},7],"predicate":{"buildDefinition":[],)"
          R"("runDetails":{"builder":{"id":7,"version":"x"}}}})",
          "[]", "not json"}) {
      INFO(payload);
      write(b + "/attestation.sigstore.json", attest::sigstore_json(attest::sign_statement(payload, *keys.key)), 0644);
      attest::Report r;
      REQUIRE_NOTHROW(r = attest::verify_folder(b, trust, std::nullopt));
      CHECK_FALSE(r.verified());
      CHECK(r.established.contains("signature"));
      CHECK_FALSE(r.established.contains("inventory"));
      CHECK(has_line(r.failures, "statement"));
    }
  }
  SECTION("a recipe.yaml that is not a recipe") {
    write(b + "/recipe.yaml", "hello\n", 0644);
    attest::Report r;
    REQUIRE_NOTHROW(r = attest::verify_folder(b, trust, std::nullopt));
    CHECK(has_line(r.failures, "recipe digest: recipe.yaml says nothing"));
    write(b + "/recipe.yaml", "metadata: [1]\nspec: 3\n", 0644);
    REQUIRE_NOTHROW(r = attest::verify_folder(b, trust, std::nullopt));
    CHECK(has_line(r.failures, "recipe digest: recipe.yaml says nothing"));
  }
  CHECK(exit_of([&] { attest::verify_folder(dir / "missing", trust, std::nullopt); }) == Exit::not_found);
  CHECK(exit_of([&] { attest::verify_folder(b + "/bundle.yaml", trust, std::nullopt); }) == Exit::bad_input);
}
