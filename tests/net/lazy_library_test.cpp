#include <catch2/catch.hpp>

#include <cstring>

#include "core/error.hpp"
#include "net/lazy_library.hpp"

using namespace galley;

TEST_CASE("a function is looked up in a library opened on first use", "[net][lazy]") {
  auto* fn = reinterpret_cast<decltype(&::strlen)>(net::lazy::symbol("libc.so.6", "libc6", "strlen"));
  REQUIRE(fn != nullptr);
  CHECK(fn("four") == 4);
  // Typed by the library's declaration, looked up once.
  CHECK(GALLEY_LAZY("libc.so.6", "libc6", strlen)("seven!!") == 7);
}

TEST_CASE("a missing library or function is an io error naming what to install", "[net][lazy]") {
  try {
    net::lazy::symbol("libgalley-absent.so.9", "galley-absent-pkg", "f");
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::io);
    CHECK(std::string(e.what()).find("cannot load libgalley-absent.so.9 (Debian package galley-absent-pkg)") != std::string::npos);
  }
  try {
    net::lazy::symbol("libc.so.6", "libc6", "galley_no_such_function");
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::io);
    CHECK(std::string(e.what()).find("libc.so.6 has no function galley_no_such_function") != std::string::npos);
  }
}
