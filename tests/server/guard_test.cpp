// Tests of server/guard.cpp: token hashes and per-client token buckets.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "server/internal/guard.hpp"

using namespace galley;
using namespace galley::server;
namespace fs = std::filesystem;

namespace {
std::string scratch_file(const std::string& name, const std::string& text) {
  auto path = fs::temp_directory_path() / ("galley-guard-test-" + name);
  core::write_file_atomic(path.string(), text);
  return path.string();
}
}  // namespace

TEST_CASE("tokens: only the tokens whose SHA-256 is listed are accepted") {
  auto path = scratch_file("ok", "# comment\n\n" + core::sha256_hex("alpha") + "\n  " + core::sha256_hex("beta") + "  \n");
  Tokens tokens = Tokens::read(path);
  CHECK(tokens.enabled());
  CHECK(tokens.accepts("alpha"));
  CHECK(tokens.accepts("beta"));
  CHECK_FALSE(tokens.accepts("gamma"));
  CHECK_FALSE(tokens.accepts(""));
  CHECK_FALSE(tokens.accepts(core::sha256_hex("alpha")));  // the hash itself is not a token
  fs::remove(path);
}

TEST_CASE("tokens: a malformed line or an empty file is refused with its line") {
  auto bad = scratch_file("bad", core::sha256_hex("a") + "\nnot-a-hash\n");
  try {
    Tokens::read(bad);
    FAIL("accepted");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::bad_input);
    CHECK(std::string(e.what()).find(":2:") != std::string::npos);
  }
  auto empty = scratch_file("empty", "# nothing\n");
  CHECK_THROWS_AS(Tokens::read(empty), core::Error);
  fs::remove(bad);
  fs::remove(empty);
}

TEST_CASE("rate limiter: a burst, then refusal with the seconds to wait, per client") {
  RateLimiter limiter(0.5, 2);
  CHECK(limiter.take("a") == 0);
  CHECK(limiter.take("a") == 0);
  CHECK(limiter.take("a") == 2);  // one token takes 2 s at 0.5 a second
  CHECK(limiter.take("b") == 0);  // another client has its own bucket
}

TEST_CASE("rate limiter: bounded; quiet clients make room, busy ones do not") {
  RateLimiter busy(0.001, 1, 2);
  CHECK(busy.take("a") == 0);
  CHECK(busy.take("b") == 0);
  CHECK(busy.take("c") == 1);  // both buckets empty: no room for a third client
  RateLimiter quiet(1000, 1, 2);
  CHECK(quiet.take("a") == 0);
  CHECK(quiet.take("b") == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // both full again: dropped for c
  CHECK(quiet.take("c") == 0);
}
