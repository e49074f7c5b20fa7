// Tests of deliver/credentials.cpp: registry credentials from a docker config.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/error.hpp"
#include "deliver/deliver.hpp"
#include "fixtures.hpp"

namespace fs = std::filesystem;
using namespace galley;
using namespace galley::deliver_test;

TEST_CASE("credentials come from a docker config") {
  Scratch s;
  put(s.dir / "config.json", R"({"auths":{"reg.example.com":{"auth":"YWxpY2U6czNjcmV0"},"https://other:5000":{"auth":"Ym9iOnB3"},"broken":{"auth":"bm9jb2xvbg=="}}})");
  auto c = deliver::docker_credentials("reg.example.com", (s.dir / "config.json").string());
  CHECK(c.username == "alice");
  CHECK(c.password == "s3cret");
  CHECK(deliver::docker_credentials("other:5000", (s.dir / "config.json").string()).username == "bob");
  CHECK(deliver::docker_credentials("absent", (s.dir / "config.json").string()).empty());
  CHECK(deliver::docker_credentials("x", (s.dir / "missing.json").string()).empty());
  CHECK(exit_of([&] { deliver::docker_credentials("broken", (s.dir / "config.json").string()); }) == core::Exit::bad_input);
  put(s.dir / "bad.json", "{not json");
  CHECK(exit_of([&] { deliver::docker_credentials("x", (s.dir / "bad.json").string()); }) == core::Exit::bad_input);
}
