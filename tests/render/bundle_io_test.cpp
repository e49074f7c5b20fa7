#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "render/render.hpp"
#include "test_recipes.hpp"

using namespace galley;
using namespace galley::test;  // the recipes and bundle helpers of test_recipes.hpp
namespace fs = std::filesystem;

TEST_CASE("writing a bundle is atomic and never clobbers other folders", "[render][write]") {
  auto b = render::render(h100(), render::Options{});
  fs::path dir = fresh_dir("write");
  render::write_bundle(b, dir.string(), render::Overwrite::no);
  CHECK(core::read_file((dir / "deploy.sh").string()) == b.files.at("deploy.sh").bytes);
  struct stat st {};
  REQUIRE(::stat((dir / "deploy.sh").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0755);
  CHECK_THROWS_WITH(render::write_bundle(b, dir.string(), render::Overwrite::no),
                    Catch::Contains("force: " + dir.string() + " already holds a bundle"));
  render::write_bundle(b, dir.string(), render::Overwrite::yes);
  CHECK(fs::exists(dir / "bundle.yaml"));
  size_t siblings = 0;
  for (const auto& e : fs::directory_iterator(dir.parent_path())) {
    siblings += e.path().filename().string().starts_with(".galley-render-write") ? 1 : 0;
  }
  CHECK(siblings == 0);

  fs::path other = fresh_dir("other");
  fs::create_directories(other);
  std::ofstream(other / "notes.txt") << "mine";
  CHECK_THROWS_WITH(render::write_bundle(b, other.string(), render::Overwrite::yes),
                    Catch::Contains("not a Galley bundle; it was left untouched"));
  CHECK(core::read_file((other / "notes.txt").string()) == "mine");

  fs::path file = fresh_dir("file");
  std::ofstream(file) << "x";
  CHECK_THROWS_WITH(render::write_bundle(b, file.string(), render::Overwrite::yes), Catch::Contains("not a folder"));
  CHECK_THROWS_AS(render::write_bundle(b, "/proc/galley-bundle", render::Overwrite::no), core::Error);
  fs::remove_all(dir);
  fs::remove_all(other);
  fs::remove(file);
}
