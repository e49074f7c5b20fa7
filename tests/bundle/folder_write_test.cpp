#include "bundle/folder_write.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "core/error.hpp"
#include "core/files.hpp"
#include "tests/bundle/scratch.hpp"

using namespace galley;
using bundle::test::put;
using bundle::test::Scratch;
namespace fs = std::filesystem;

namespace {

size_t temporaries(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    n += e.path().filename().string().starts_with(".") ? 1 : 0;
  }
  return n;
}

}  // namespace

TEST_CASE("targets are normalised and judged", "[bundle][write]") {
  CHECK(bundle::normal_target("out") == fs::path("./out"));
  CHECK(bundle::normal_target("a/b/") == fs::path("a/b"));
  CHECK(bundle::normal_target("./x/../y") == fs::path("./y"));
  Scratch s;
  CHECK(bundle::target_state(s.dir / "none") == bundle::Target::absent);
  CHECK(bundle::target_state(s.dir) == bundle::Target::empty_folder);
  put(s.dir / "f", "x");
  CHECK(bundle::target_state(s.dir) == bundle::Target::folder);
  CHECK(bundle::target_state(s.dir / "f") == bundle::Target::other);
  fs::create_symlink(s.dir, s.dir / "link");
  CHECK(bundle::target_state(s.dir / "link") == bundle::Target::other);
}

TEST_CASE("new files get exactly their mode and never replace anything", "[bundle][write]") {
  Scratch s;
  bundle::write_new_file(s.dir / "run.sh", "#!/bin/sh\n", 0755);
  CHECK(core::read_file((s.dir / "run.sh").string()) == "#!/bin/sh\n");
  struct stat st {};
  REQUIRE(::stat((s.dir / "run.sh").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0755);
  CHECK_THROWS_AS(bundle::write_new_file(s.dir / "run.sh", "again"), core::Error);
  fs::create_symlink(s.dir / "elsewhere", s.dir / "link");
  CHECK_THROWS_AS(bundle::write_new_file(s.dir / "link", "x"), core::Error);
  CHECK_FALSE(fs::exists(s.dir / "elsewhere"));
}

TEST_CASE("a folder is moved into place whole, replacing an old one only when asked", "[bundle][write]") {
  Scratch s;
  fs::path target = bundle::normal_target((s.dir / "out").string());
  {
    bundle::TempDir tmp(bundle::temp_beside(target, "new"));
    bundle::write_new_file(tmp.path() / "a", "1");
    bundle::move_into_place(tmp, target, "out", "bundle", bundle::Replace::no);
    CHECK(tmp.path().empty());
  }
  CHECK(core::read_file((target / "a").string()) == "1");
  CHECK((fs::status(target).permissions() & fs::perms::all) == fs::perms(0755));
  {
    bundle::TempDir tmp(bundle::temp_beside(target, "new"));
    bundle::write_new_file(tmp.path() / "b", "2");
    bundle::move_into_place(tmp, target, "out", "bundle", bundle::Replace::yes);
  }
  CHECK(core::read_file((target / "b").string()) == "2");
  CHECK_FALSE(fs::exists(target / "a"));
  CHECK(temporaries(s.dir) == 0);

  // Not replacing a folder that holds something: the move fails, both are kept as they were.
  fs::path kept;
  {
    bundle::TempDir tmp(bundle::temp_beside(target, "new"));
    kept = tmp.path();
    CHECK_THROWS_WITH(bundle::move_into_place(tmp, target, "out", "layout", bundle::Replace::no),
                      Catch::StartsWith("out: cannot move the layout into place: "));
  }
  CHECK_FALSE(fs::exists(kept));  // removed on scope exit
  CHECK(core::read_file((target / "b").string()) == "2");
  CHECK(temporaries(s.dir) == 0);

  // An empty folder is replaced by the new one.
  fs::path empty = bundle::normal_target((s.dir / "empty").string());
  fs::create_directories(empty);
  bundle::TempDir tmp(bundle::temp_beside(empty, "new"));
  bundle::write_new_file(tmp.path() / "c", "3");
  bundle::move_into_place(tmp, empty, "empty", "bundle", bundle::Replace::no);
  CHECK(core::read_file((empty / "c").string()) == "3");
}
