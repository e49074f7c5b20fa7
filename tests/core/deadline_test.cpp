#include <catch2/catch.hpp>

#include <thread>

#include "core/deadline.hpp"
#include "core/error.hpp"

using namespace galley;
using Clock = std::chrono::steady_clock;

TEST_CASE("a thread without a deadline is never stopped") { REQUIRE_NOTHROW(core::check_deadline()); }

TEST_CASE("work past its thread's deadline stops at the next check, and only on that thread") {
  core::ThreadDeadline deadline(Clock::now() - std::chrono::milliseconds(1));
  bool other_thread_stopped = true;
  std::thread([&] {
    try {
      core::check_deadline();
      other_thread_stopped = false;
    } catch (const core::Error&) {
    }
  }).join();
  CHECK_FALSE(other_thread_stopped);
  CHECK_FALSE(deadline.stopped());
  try {
    core::check_deadline();
    FAIL("no stop past the deadline");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::io);
    CHECK(std::string(e.what()).find("deadline") != std::string::npos);
  }
  CHECK(deadline.stopped());
}

TEST_CASE("a deadline not yet passed lets work on, and the one before comes back when it goes") {
  core::ThreadDeadline outer(Clock::now() + std::chrono::hours(1));
  {
    core::ThreadDeadline inner(Clock::now() - std::chrono::milliseconds(1));
    REQUIRE_THROWS_AS(core::check_deadline(), core::Error);
  }
  REQUIRE_NOTHROW(core::check_deadline());
  CHECK_FALSE(outer.stopped());
}
