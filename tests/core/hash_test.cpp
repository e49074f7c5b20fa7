// Tests of core/hash.cpp: SHA-256 against the FIPS 180-4 / NIST test vectors, the incremental form,
// and the digest of a folder's files.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "core/hash.hpp"

using namespace galley;

namespace {

const char* k_empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const char* k_abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const char* k_448_bits = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
const char* k_448_message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

}  // namespace

TEST_CASE("sha256_hex gives the FIPS 180-4 test vectors", "[core][hash]") {
  CHECK(core::sha256_hex("") == k_empty);
  CHECK(core::sha256_hex("abc") == k_abc);
  CHECK(core::sha256_hex(k_448_message) == k_448_bits);
  CHECK(core::sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Bytes, not C strings: an embedded NUL counts.
  CHECK(core::sha256_hex(std::string("abc\0", 4)) != k_abc);
}

TEST_CASE("Sha256 over pieces equals sha256_hex over their concatenation", "[core][hash]") {
  core::Sha256 none;
  CHECK(none.hex() == k_empty);

  core::Sha256 pieces;
  pieces.update("abcdbcdecdefdefg");
  pieces.update("");
  pieces.update("efghfghighijhijkijkljklmklmnlmnomnopnopq");
  CHECK(pieces.hex() == k_448_bits);

  core::Sha256 bytewise;
  for (char c : std::string("abc")) {
    bytewise.update(std::string(1, c));
  }
  CHECK(bytewise.hex() == k_abc);
}

TEST_CASE("files_digest hashes path, size and bytes of each file in path order", "[core][hash]") {
  CHECK(core::files_digest({}) == k_empty);
  std::map<std::string, std::string> files{{"b/y.yaml", "two"}, {"a.yaml", "1"}};
  CHECK(core::files_digest(files) == core::sha256_hex("a.yaml:1:1b/y.yaml:3:two"));
  // The size keeps a file's end apart from the next one's name.
  CHECK(core::files_digest({{"a", "1b:0:"}}) != core::files_digest({{"a", "1"}, {"b", ""}}));
  files["a.yaml"] = "2";
  CHECK(core::files_digest(files) != core::sha256_hex("a.yaml:1:1b/y.yaml:3:two"));
}
