#include "fixtures.hpp"

#include <stdlib.h>

#include <fstream>

namespace fs = std::filesystem;

namespace galley::deliver_test {

Scratch::Scratch() {
  std::string t = (fs::temp_directory_path() / "galley-deliver-XXXXXX").string();
  dir = ::mkdtemp(t.data());
}

Scratch::~Scratch() { fs::remove_all(dir); }

void put(const fs::path& p, const std::string& bytes, fs::perms mode) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
  fs::permissions(p, mode);
}

const char* k_digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

fs::path make_bundle(const fs::path& root, const std::string& extra) {
  put(root / "bundle.yaml", std::string("apiVersion: galley.dev/v1alpha1\nkind: Bundle\nmetadata:\n  name: demo\n"
                                        "spec:\n  deployer: helm\n  recipeDigest: \"") + k_digest + "\"\n");
  put(root / "recipe.yaml", std::string("apiVersion: galley.dev/v1alpha1\nkind: Recipe\nmetadata:\n  digest: \"") + k_digest +
                                "\"\n  name: demo\nspec:\n  criteria:\n    service: eks\n    kubernetes: \"1.34\"\n");
  put(root / "deploy.sh", "#!/bin/sh\necho hi\n", fs::perms(0700));
  put(root / "01-a/values.yaml", "a: " + extra + "\n", fs::perms(0600));
  put(root / "02-b/manifests/m.yaml", "kind: ConfigMap\n");
  return root;
}

core::Exit exit_of(const std::function<void()>& f, std::string* message) {
  try {
    f();
  } catch (const core::Error& e) {
    if (message != nullptr) {
      *message = e.what();
    }
    return e.exit();
  }
  return core::Exit::ok;
}

}  // namespace galley::deliver_test
