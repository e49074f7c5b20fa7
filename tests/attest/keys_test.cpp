// Tests of attest/keys.cpp: key pairs generated and written, loaded, signing and verifying bytes.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>

#include "attest/attest.hpp"
#include "attest/internal/keys.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::attest_test;
using core::Exit;
using core::Json;

TEST_CASE("keys: generated, written 0600, refused when exposed or overwritten") {
  TempDir dir;
  for (auto type : {attest::KeyType::ecdsa_p256, attest::KeyType::ed25519}) {
    std::string name = type == attest::KeyType::ed25519 ? "ed" : "ec";
    attest::KeyPair pair = attest::generate_key(type, "");
    attest::write_key_pair(pair, dir / name);
    struct stat st {};
    REQUIRE(::stat((dir / (name + ".key")).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat((dir / (name + ".pub")).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    CHECK(read(dir / (name + ".pub")) == pair.public_pem);

    auto key = attest::SigningKey::load(dir / (name + ".key"), "");
    CHECK(key.id() == attest::key_id(pair.public_pem));
    auto pub = attest::load_public_key(pair.public_pem, "pub");
    std::string sig = attest::sign_bytes(key.handle(), "message");
    CHECK(attest::verify_bytes(*pub, "message", sig));
    CHECK_FALSE(attest::verify_bytes(*pub, "messagE", sig));
    CHECK(attest::key_type_name(*pub) == (type == attest::KeyType::ed25519 ? "Ed25519" : "ECDSA P-256"));
    if (type == attest::KeyType::ed25519) {
      CHECK(attest::sign_bytes(key.handle(), "message") == sig);  // deterministic
    } else {
      CHECK(attest::sign_bytes(key.handle(), "message") != sig);  // a fresh nonce each time
    }

    CHECK(exit_of([&] { attest::write_key_pair(pair, dir / name); }) == Exit::bad_input);
    ::chmod((dir / (name + ".key")).c_str(), 0640);
    CHECK(message_of([&] { attest::SigningKey::load(dir / (name + ".key"), ""); }).find("accessible to group or others (mode 0640)") !=
          std::string::npos);
  }
  CHECK(exit_of([&] { attest::SigningKey::load(dir / "missing.key", ""); }) == Exit::not_found);
  CHECK(exit_of([&] { attest::key_id("not a key"); }) == Exit::bad_input);
}

TEST_CASE("keys: a keygen killed between its two links is rolled back by the next one") {
  TempDir dir;
  attest::KeyPair dead = attest::generate_key(attest::KeyType::ed25519, "");
  // What a kill after the first link leaves: the marker (unlocked: its writer is gone) and NAME.pub.
  write(dir / ".k.keygen", dead.public_pem);
  write(dir / "k.pub", dead.public_pem);
  attest::KeyPair pair = attest::generate_key(attest::KeyType::ed25519, "");
  attest::write_key_pair(pair, dir / "k");
  CHECK(read(dir / "k.pub") == pair.public_pem);
  CHECK_FALSE(std::filesystem::exists(dir / ".k.keygen"));
  // A NAME.pub that is not the marker's key is the user's: kept, and keygen refuses to overwrite it.
  write(dir / ".u.keygen", dead.public_pem);
  write(dir / "u.pub", pair.public_pem);
  CHECK(exit_of([&] { attest::write_key_pair(pair, dir / "u"); }) == Exit::bad_input);
  CHECK(read(dir / "u.pub") == pair.public_pem);
  CHECK_FALSE(std::filesystem::exists(dir / ".u.keygen"));
}

TEST_CASE("keys: an encrypted private key needs its passphrase") {
  TempDir dir;
  attest::KeyPair pair = attest::generate_key(attest::KeyType::ecdsa_p256, "s3cret");
  CHECK(pair.private_pem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);
  write(dir / "enc.key", pair.private_pem);
  CHECK(attest::SigningKey::load(dir / "enc.key", "s3cret").id() == attest::key_id(pair.public_pem));
  CHECK(message_of([&] { attest::SigningKey::load(dir / "enc.key", ""); }).find("no passphrase was given") != std::string::npos);
  CHECK(message_of([&] { attest::SigningKey::load(dir / "enc.key", "wrong"); }).find("wrong passphrase") != std::string::npos);

  ::setenv("GALLEY_TEST_PASSPHRASE", "s3cret", 1);
  CHECK(attest::passphrase_from_env("GALLEY_TEST_PASSPHRASE") == "s3cret");
  ::setenv("GALLEY_TEST_PASSPHRASE", "", 1);
  CHECK(exit_of([] { attest::passphrase_from_env("GALLEY_TEST_PASSPHRASE"); }) == Exit::bad_input);
  ::unsetenv("GALLEY_TEST_PASSPHRASE");
  CHECK(attest::passphrase_from_env("") == "");
}
