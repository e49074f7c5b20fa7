// Tests of deliver/gitops.cpp: repository paths inside a GitOps repo. Publishing itself is
// tested end to end in publish_checks.sh.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "deliver/deliver.hpp"
#include "fixtures.hpp"

using namespace galley;
using namespace galley::deliver_test;

TEST_CASE("repository paths inside a GitOps repo are checked") {
  CHECK(deliver::normalize_repo_path(".") == "");
  CHECK(deliver::normalize_repo_path("./clusters//prod/") == "clusters/prod");
  for (const char* bad : {"", "/", "/abs", "..", "a/../../b", "a/..", ".git", "x/.GIT/hooks", "a\\b"}) {
    INFO(bad);
    CHECK(exit_of([&] { deliver::normalize_repo_path(bad); }) == core::Exit::bad_input);
  }
}
