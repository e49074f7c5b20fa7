// Tests of deliver/artifact.cpp: the OCI artifact, image layouts, a bundle's recipe and criteria.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "fixtures.hpp"

namespace fs = std::filesystem;
using namespace galley;
using namespace galley::deliver_test;

TEST_CASE("the artifact manifest is OCI 1.1 and stable") {
  Scratch s;
  make_bundle(s.dir / "b");
  deliver::ArtifactOptions opts;
  opts.created = 1700000000;
  opts.source = "https://git.example.com/gitops.git";
  opts.revision = "abc123";
  opts.annotations["team"] = "gpu";
  auto a = deliver::build_artifact((s.dir / "b").string(), opts);
  auto m = nlohmann::json::parse(a.manifest);
  CHECK(m["schemaVersion"] == 2);
  CHECK(m["mediaType"] == "application/vnd.oci.image.manifest.v1+json");
  CHECK(m["artifactType"] == "application/vnd.galley.bundle.v1");
  CHECK(m["config"]["mediaType"] == "application/vnd.oci.empty.v1+json");
  CHECK(m["config"]["data"] == "e30=");
  CHECK(m["config"]["size"] == 2);
  CHECK(m["config"]["digest"] == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  REQUIRE(m["layers"].size() == 1);
  CHECK(m["layers"][0]["mediaType"] == "application/vnd.oci.image.layer.v1.tar+gzip");
  CHECK(m["annotations"]["org.opencontainers.image.created"] == "2023-11-14T22:13:20Z");
  CHECK(m["annotations"]["org.opencontainers.image.title"] == "demo");
  CHECK(m["annotations"]["org.opencontainers.image.source"] == opts.source);
  CHECK(m["annotations"]["org.opencontainers.image.revision"] == "abc123");
  CHECK(m["annotations"]["dev.galley.recipe.digest"] == k_digest);
  CHECK(m["annotations"]["team"] == "gpu");
  CHECK(deliver::build_artifact((s.dir / "b").string(), opts).manifest_digest == a.manifest_digest);
  opts.created = 1700000001;
  CHECK(deliver::build_artifact((s.dir / "b").string(), opts).manifest_digest != a.manifest_digest);

  SECTION("a signed bundle carries its attestation as a second layer") {
    put(s.dir / "b/attestation.sigstore.json", "{\"mediaType\":\"x\"}");
    auto signed_a = deliver::build_artifact((s.dir / "b").string(), opts);
    auto sm = nlohmann::json::parse(signed_a.manifest);
    REQUIRE(sm["layers"].size() == 2);
    CHECK(sm["layers"][1]["mediaType"] == "application/vnd.dev.sigstore.bundle.v0.3+json");
    CHECK(sm["layers"][0]["digest"] == m["layers"][0]["digest"]);  // not inside the tarball
  }
  SECTION("not a bundle") {
    fs::remove(s.dir / "b/bundle.yaml");
    CHECK(exit_of([&] { deliver::build_artifact((s.dir / "b").string(), opts); }) == core::Exit::bad_input);
  }
  SECTION("recipe digest mismatch") {
    put(s.dir / "b/recipe.yaml", "apiVersion: galley.dev/v1alpha1\nkind: Recipe\nmetadata:\n  digest: sha256:22\n");
    CHECK(exit_of([&] { deliver::build_artifact((s.dir / "b").string(), opts); }) == core::Exit::bad_input);
  }
}

TEST_CASE("image layouts are written atomically and extended by tag") {
  Scratch s;
  make_bundle(s.dir / "b");
  auto a = deliver::build_artifact((s.dir / "b").string(), {});
  fs::path layout = s.dir / "layout";
  deliver::write_layout(a, layout.string(), "v1");
  CHECK(core::read_file((layout / "oci-layout").string()) == "{\"imageLayoutVersion\":\"1.0.0\"}");
  auto index = nlohmann::json::parse(core::read_file((layout / "index.json").string()));
  REQUIRE(index["manifests"].size() == 1);
  CHECK(index["manifests"][0]["digest"] == a.manifest_digest);
  CHECK(core::read_file((layout / "blobs/sha256" / a.manifest_digest.substr(7)).string()) == a.manifest);
  // Another tag is added, the same tag replaced.
  make_bundle(s.dir / "b", "changed");
  auto b = deliver::build_artifact((s.dir / "b").string(), {});
  deliver::write_layout(b, layout.string(), "v2");
  deliver::write_layout(b, layout.string(), "v1");
  index = nlohmann::json::parse(core::read_file((layout / "index.json").string()));
  REQUIRE(index["manifests"].size() == 2);
  CHECK(index["manifests"][1]["digest"] == b.manifest_digest);
  // A folder that is not a layout is never touched; a bad tag is refused before anything is written.
  put(s.dir / "other/file", "keep");
  CHECK(exit_of([&] { deliver::write_layout(a, (s.dir / "other").string(), "v1"); }) == core::Exit::bad_input);
  CHECK(core::read_file((s.dir / "other/file").string()) == "keep");
  CHECK(exit_of([&] { deliver::write_layout(a, (s.dir / "new").string(), "bad tag"); }) == core::Exit::bad_input);
  CHECK(!fs::exists(s.dir / "new"));
  size_t leftovers = 0;
  for (const auto& e : fs::directory_iterator(s.dir)) {
    leftovers += e.path().filename().string().starts_with(".") ? 1 : 0;
  }
  CHECK(leftovers == 0);
}

TEST_CASE("a bundle's recipe must be the one bundle.yaml names, and the error names its line") {
  Scratch s;
  fs::path b = make_bundle(s.dir / "b");
  auto info = deliver::read_bundle_info(b.string());  // read on the fast path
  CHECK(info.recipe_digest == k_digest);
  CHECK(info.criteria == std::map<std::string, std::string>{{"kubernetes", "1.34"}, {"service", "eks"}});
  put(b / "recipe.yaml", "apiVersion: galley.dev/v1alpha1\nkind: Recipe\nmetadata:\n  name: demo\n  digest: \"sha256:22\"\n");
  CHECK_THROWS_WITH(deliver::read_bundle_info(b.string()),
                    (b / "recipe.yaml").string() + ":5: metadata.digest: \"sha256:22\" differs from bundle.yaml's "
                                                   "recipeDigest " + k_digest);
  put(b / "recipe.yaml", "kind: Criteria\n");
  CHECK_THROWS_WITH(deliver::read_bundle_info(b.string()), (b / "recipe.yaml").string() + ":1: is not a Recipe");
}
