#include "bundle/inventory.hpp"

#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/hash.hpp"

using namespace galley;
using core::Json;

namespace {

std::map<std::string, bundle::File> two_files() {
  return {{"deploy.sh", bundle::File{"#!/bin/sh\n", true}}, {"README.md", bundle::File{"hi\n", false}}};
}

// The folder a bundle writes, as a hashing walk sees it.
bundle::Folder folder_of(const std::map<std::string, bundle::File>& files) {
  bundle::Folder f;
  for (const auto& [path, file] : files) {
    f.files[path] = bundle::FileFacts{file.bytes.size(), core::sha256_hex(file.bytes), file.executable};
  }
  return f;
}

}  // namespace

TEST_CASE("bundle.yaml begins with its head and lists every file with size, sha256 and mode", "[bundle][inventory]") {
  auto files = two_files();
  std::string text = bundle::manifest_text("demo", Json{{"deployer", "helm"}}, files);
  CHECK(text.starts_with(bundle::manifest_head()));
  Json m = core::parse_yaml(text, "bundle.yaml").value;
  CHECK(m["metadata"]["name"] == "demo");
  CHECK(m["spec"]["deployer"] == "helm");
  const Json& inv = m["spec"]["inventory"];
  REQUIRE(inv.size() == 2);
  CHECK(inv[0]["path"] == "README.md");  // sorted by path
  CHECK(inv[0]["mode"] == "0644");
  CHECK(inv[1]["path"] == "deploy.sh");
  CHECK(inv[1]["mode"] == "0755");
  CHECK(inv[1]["size"] == 10);
  CHECK(inv[1]["sha256"] == core::sha256_hex("#!/bin/sh\n"));
  CHECK(bundle::inventory_of(files) == inv);
}

TEST_CASE("a folder is compared with the inventory line by line", "[bundle][inventory]") {
  auto files = two_files();
  Json m = core::parse_yaml(bundle::manifest_text("demo", Json::object(), files), "bundle.yaml").value;
  bundle::Folder folder = folder_of(files);
  folder.files["bundle.yaml"] = bundle::FileFacts{1, "00", false};  // never in its own inventory
  CHECK(bundle::inventory_differences(m, folder).empty());

  folder.files.at("deploy.sh").executable = false;
  CHECK(bundle::inventory_differences(m, folder) ==
        std::vector<std::string>{"\"deploy.sh\": mode differs from bundle.yaml's 0755"});
  folder.files.at("deploy.sh").executable = true;

  folder.files.at("README.md").sha256 = "ab";
  folder.files.erase("deploy.sh");
  folder.files["extra.yaml"] = bundle::FileFacts{};
  folder.problems.push_back("\"link\" is a symbolic link; a bundle holds only files and folders");
  auto lines = bundle::inventory_differences(m, folder);
  REQUIRE(lines.size() == 4);
  CHECK_THAT(lines[0], Catch::StartsWith("\"README.md\": sha256 ab (3 bytes) differs from bundle.yaml's "));
  CHECK(lines[1] == "\"deploy.sh\" is in bundle.yaml's inventory but missing from the folder");
  CHECK(lines[2] == "\"extra.yaml\" is in the folder but not in bundle.yaml's inventory");
  CHECK(lines[3] == folder.problems[0]);
}
