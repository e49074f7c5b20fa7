#include "bundle/bundle.hpp"

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "tests/bundle/scratch.hpp"

using namespace galley;
using bundle::FolderCheck;
using bundle::test::put;
using bundle::test::Scratch;

namespace {

core::Exit exit_of(const std::string& dir, std::string* message = nullptr) {
  try {
    bundle::require_bundle_folder(dir);
  } catch (const core::Error& e) {
    if (message != nullptr) {
      *message = e.what();
    }
    return e.exit();
  }
  return core::Exit::ok;
}

}  // namespace

TEST_CASE("a bundle folder is a folder whose bundle.yaml galley wrote", "[bundle]") {
  Scratch s;
  put(s.dir / "b/bundle.yaml", bundle::manifest_head() + "metadata:\n  name: x\n");
  CHECK(bundle::manifest_head() == "apiVersion: galley.dev/v1alpha1\nkind: Bundle\n");
  CHECK(bundle::check_bundle_folder((s.dir / "b").string()) == FolderCheck::bundle);
  CHECK(exit_of((s.dir / "b").string()) == core::Exit::ok);

  CHECK(bundle::check_bundle_folder((s.dir / "none").string()) == FolderCheck::missing);
  CHECK(exit_of((s.dir / "none").string()) == core::Exit::not_found);

  put(s.dir / "file", "x");
  CHECK(bundle::check_bundle_folder((s.dir / "file").string()) == FolderCheck::not_folder);
  CHECK(exit_of((s.dir / "file").string()) == core::Exit::bad_input);

  put(s.dir / "notes/notes.txt", "mine");
  std::string message;
  CHECK(bundle::check_bundle_folder((s.dir / "notes").string()) == FolderCheck::no_manifest);
  CHECK(exit_of((s.dir / "notes").string(), &message) == core::Exit::bad_input);
  CHECK_THAT(message, Catch::Contains("is not a Galley bundle (no bundle.yaml)"));

  put(s.dir / "other/bundle.yaml", "kind: Bundle\napiVersion: galley.dev/v1alpha1\n");
  CHECK(bundle::check_bundle_folder((s.dir / "other").string()) == FolderCheck::foreign_manifest);
  CHECK(exit_of((s.dir / "other").string(), &message) == core::Exit::bad_input);
  CHECK_THAT(message, Catch::Contains("bundle.yaml:1: is not a Galley bundle manifest"));

  put(s.dir / "short/bundle.yaml", "apiVersion");
  CHECK(bundle::check_bundle_folder((s.dir / "short").string()) == FolderCheck::foreign_manifest);
}
