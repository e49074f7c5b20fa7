#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "resolver/catalog.hpp"
#include "test_catalog.hpp"

using namespace galley;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("galley-catalog-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

}  // namespace

TEST_CASE("the embedded catalog comes with its build-time digest and checked documents", "[resolver][sources]") {
  auto s = resolver::embedded_source();
  CHECK(s.root == "recipes");
  CHECK(s.digest.size() == 64);  // hex sha256 over the files, computed at build time
  REQUIRE(s.files.contains("registry.yaml"));
  CHECK(s.checked.contains("registry.yaml"));
  CHECK(s.checked.at("registry.yaml").name == "recipes/registry.yaml");
}

TEST_CASE("a catalog folder is read file by file; anything out of place is refused", "[resolver][sources]") {
  fs::path dir = fresh_dir("read");
  fs::create_directories(dir / "overlays");
  fs::create_directories(dir / "values" / "gpu-operator");
  std::ofstream(dir / "overlays" / "eks.yaml") << "a: 1\n";
  std::ofstream(dir / "values" / "gpu-operator" / "eks.yaml") << "b: 2\n";
  auto s = resolver::read_catalog_dir(dir.string() + "/");
  CHECK(s.root == dir.string());
  CHECK(s.files == std::map<std::string, std::string>{{"overlays/eks.yaml", "a: 1\n"},
                                                      {"values/gpu-operator/eks.yaml", "b: 2\n"}});
  CHECK(s.digest.empty());

  std::ofstream(dir / "overlays" / "notes.txt") << "x";
  CHECK_THROWS_WITH(resolver::read_catalog_dir(dir.string()), Catch::Contains("unexpected file in a catalog folder"));
  fs::remove(dir / "overlays" / "notes.txt");
  fs::create_symlink(dir / "overlays" / "eks.yaml", dir / "overlays" / "gke.yaml");
  CHECK_THROWS_WITH(resolver::read_catalog_dir(dir.string()), Catch::Contains("symbolic links are not allowed"));

  try {
    resolver::read_catalog_dir((dir / "missing").string());
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::not_found);
  }
  CHECK_THROWS_WITH(resolver::read_catalog_dir((dir / "overlays" / "eks.yaml").string()),
                    Catch::Contains("a catalog layer must be a folder"));
  fs::remove_all(dir);
}

TEST_CASE("the catalog digest depends on the layers' files and order, not their folder", "[resolver][sources]") {
  auto a = test::small_catalog();
  auto b = test::small_catalog();
  b.root = "elsewhere";
  CHECK(resolver::catalog_digest({a}) == resolver::catalog_digest({b}));
  b.files["overlays/eks.yaml"] += "\n";
  CHECK(resolver::catalog_digest({a}) != resolver::catalog_digest({b}));
  resolver::CatalogSource empty;
  CHECK(resolver::catalog_digest({a, empty}) != resolver::catalog_digest({empty, a}));
}
