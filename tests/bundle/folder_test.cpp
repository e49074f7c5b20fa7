#include "bundle/folder.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "tests/bundle/scratch.hpp"

using namespace galley;
using bundle::test::put;
using bundle::test::Scratch;
namespace fs = std::filesystem;

namespace {

fs::path make_folder(const fs::path& root) {
  put(root / "bundle.yaml", "b\n");
  put(root / "deploy.sh", "#!/bin/sh\n", 0755);
  put(root / "owner-only.sh", "x\n", 0744);
  put(root / "group-only", "y\n", 0654);
  put(root / "01-a/values.yaml", "a: 1\n");
  put(root / "attestation.sigstore.json", "{}");
  return root;
}

std::string error_of(const fs::path& dir, const bundle::WalkOptions& options) {
  try {
    bundle::walk_folder(dir.string(), options);
  } catch (const core::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a walk lists files and folders, sorted; executable is the owner's execute bit", "[bundle][folder]") {
  Scratch s;
  fs::path b = make_folder(s.dir / "b");
  bundle::Folder f = bundle::walk_folder(b.string(), bundle::WalkOptions{});
  CHECK(f.paths() == std::vector<std::string>{"01-a", "01-a/values.yaml", "attestation.sigstore.json", "bundle.yaml",
                                              "deploy.sh", "group-only", "owner-only.sh"});
  CHECK(f.folders == std::set<std::string>{"01-a"});
  CHECK(f.files.at("deploy.sh").executable);
  CHECK(f.files.at("owner-only.sh").executable);
  CHECK_FALSE(f.files.at("group-only").executable);
  CHECK_FALSE(f.files.at("bundle.yaml").executable);
  CHECK(f.files.at("01-a/values.yaml").size == 5);
  CHECK(f.files.at("01-a/values.yaml").sha256.empty());  // not hashed unless asked

  bundle::WalkOptions hashed{bundle::OnProblem::collect, bundle::Attestation::leave_out, bundle::Hashing::sha256};
  bundle::Folder h = bundle::walk_folder(b.string(), hashed);
  CHECK_FALSE(h.files.contains("attestation.sigstore.json"));
  CHECK(h.files.at("01-a/values.yaml").sha256 == core::sha256_hex("a: 1\n"));
  CHECK(h.files.at("01-a/values.yaml").size == 5);
  for (const auto& [path, facts] : h.files) {  // both ways of reading the bits agree
    CHECK(facts.executable == f.files.at(path).executable);
  }
  CHECK(h.problems.empty());
}

TEST_CASE("links and special files are collected or thrown; limits always throw", "[bundle][folder]") {
  Scratch s;
  fs::path b = make_folder(s.dir / "b");
  fs::create_symlink("/etc/passwd", b / "evil");
  fs::create_symlink("attestation.sigstore.json", b / "01-a/sig");
  bundle::WalkOptions collect{bundle::OnProblem::collect, bundle::Attestation::leave_out, bundle::Hashing::sha256};
  bundle::Folder f = bundle::walk_folder(b.string(), collect);
  std::sort(f.problems.begin(), f.problems.end());
  CHECK(f.problems == std::vector<std::string>{"\"01-a/sig\" is a symbolic link; a bundle holds only files and folders",
                                               "\"evil\" is a symbolic link; a bundle holds only files and folders"});
  CHECK_FALSE(f.files.contains("evil"));

  CHECK_THAT(error_of(b, bundle::WalkOptions{}), Catch::Contains("is a symbolic link"));
  fs::remove(b / "evil");
  fs::remove(b / "01-a/sig");
  REQUIRE(::mkfifo((b / "pipe").c_str(), 0644) == 0);
  CHECK(error_of(b, bundle::WalkOptions{}) == (b / "pipe").string() + ": is not a regular file or folder");
  f = bundle::walk_folder(b.string(), collect);
  CHECK(f.problems == std::vector<std::string>{"\"pipe\" is not a regular file or folder"});
  fs::remove(b / "pipe");

  bundle::WalkOptions small = collect;
  small.max_bytes = 10;
  CHECK_THAT(error_of(b, small), Catch::Contains("larger than the limit of 10 bytes"));
  small.max_bytes = 1000;
  small.max_entries = 3;
  CHECK_THAT(error_of(b, small), Catch::Contains("more than 3 entries"));
  CHECK_THAT(error_of(s.dir / "none", bundle::WalkOptions{}), Catch::Contains("cannot list the folder"));
}
