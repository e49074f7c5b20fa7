#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"

namespace fs = std::filesystem;

TEST_CASE("atomic writes replace the file and leave no temporary", "[core][files]") {
  fs::path dir = fs::temp_directory_path() / "galley-files-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string path = (dir / "out.yaml").string();
  galley::core::write_file_atomic(path, "one\n");
  galley::core::write_file_atomic(path, "two\n");
  CHECK(galley::core::read_file(path) == "two\n");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

TEST_CASE("reading refuses missing, oversized and non-regular files", "[core][files]") {
  using galley::core::Error;
  using galley::core::Exit;
  try {
    galley::core::read_file("/nonexistent/x.yaml");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.exit() == Exit::not_found);
  }
  CHECK_THROWS_WITH(galley::core::read_file("/tmp"), "/tmp: not a regular file");
  fs::path p = fs::temp_directory_path() / "galley-big.txt";
  std::ofstream(p) << std::string(100, 'x');
  CHECK_THROWS_WITH(galley::core::read_file(p.string(), 10), Catch::Contains("the limit is 10"));
  fs::remove(p);
}

TEST_CASE("sha256 matches the known vector", "[core][hash]") {
  CHECK(galley::core::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
