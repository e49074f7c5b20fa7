// Unit tests of galley_deliver: the reproducible tarball, safe unpacking, the artifact, layouts.
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"

namespace fs = std::filesystem;
using namespace galley;

namespace {

struct Scratch {
  fs::path dir;
  Scratch() {
    std::string t = (fs::temp_directory_path() / "galley-deliver-XXXXXX").string();
    dir = ::mkdtemp(t.data());
  }
  ~Scratch() { fs::remove_all(dir); }
};

void put(const fs::path& p, const std::string& bytes, fs::perms mode = fs::perms(0644)) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
  fs::permissions(p, mode);
}

const char* k_digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

// A minimal bundle folder: what read_bundle_info needs, plus a few files.
fs::path make_bundle(const fs::path& root, const std::string& extra = "x") {
  put(root / "bundle.yaml", std::string("apiVersion: galley.dev/v1alpha1\nkind: Bundle\nmetadata:\n  name: demo\n"
                                        "spec:\n  deployer: helm\n  recipeDigest: \"") + k_digest + "\"\n");
  put(root / "recipe.yaml", std::string("apiVersion: galley.dev/v1alpha1\nkind: Recipe\nmetadata:\n  digest: \"") + k_digest +
                                "\"\n  name: demo\nspec:\n  criteria:\n    service: eks\n    kubernetes: \"1.34\"\n");
  put(root / "deploy.sh", "#!/bin/sh\necho hi\n", fs::perms(0700));
  put(root / "01-a/values.yaml", "a: " + extra + "\n", fs::perms(0600));
  put(root / "02-b/manifests/m.yaml", "kind: ConfigMap\n");
  return root;
}

// A tar.gz written by hand, for entries our own writer would never produce.
struct RawEntry {
  std::string name;
  int type = AE_IFREG;
  std::string bytes;
  std::string link;  // symlink target or hardlink
  bool hard = false;
};

la_ssize_t append(archive*, void* data, const void* buf, size_t n) {
  static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

std::string raw_tarball(const std::vector<RawEntry>& entries) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_gzip(a);
  archive_write_open2(a, &out, nullptr, append, nullptr, nullptr);
  for (const auto& e : entries) {
    archive_entry* en = archive_entry_new();
    archive_entry_set_pathname(en, e.name.c_str());
    archive_entry_set_filetype(en, static_cast<unsigned>(e.type));
    archive_entry_set_perm(en, 0644);
    if (e.hard) {
      archive_entry_set_hardlink(en, e.link.c_str());
    } else if (!e.link.empty()) {
      archive_entry_set_symlink(en, e.link.c_str());
    }
    archive_entry_set_size(en, static_cast<la_int64_t>(e.bytes.size()));
    archive_write_header(a, en);
    if (!e.bytes.empty()) {
      archive_write_data(a, e.bytes.data(), e.bytes.size());
    }
    archive_entry_free(en);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

core::Exit exit_of(const std::function<void()>& f, std::string* message = nullptr) {
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

}  // namespace

TEST_CASE("the bundle tarball is reproducible and normalised") {
  Scratch s1, s2;
  make_bundle(s1.dir / "b");
  std::string first = deliver::bundle_tarball((s1.dir / "b").string());
  // Same content written in another order, other modes, other times: same bytes.
  fs::create_directories(s2.dir / "b");
  make_bundle(s2.dir / "b");
  ::sleep(1);
  put(s2.dir / "b/01-a/values.yaml", "a: x\n", fs::perms(0640));
  put(s2.dir / "b/deploy.sh", "#!/bin/sh\necho hi\n", fs::perms(0755));
  CHECK(deliver::bundle_tarball((s2.dir / "b").string()) == first);
  // gzip header: magic, deflate, no FNAME flag, MTIME zero.
  REQUIRE(first.size() > 10);
  CHECK(static_cast<unsigned char>(first[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(first[1]) == 0x8b);
  CHECK((first[3] & 0x08) == 0);
  CHECK(first.substr(4, 4) == std::string(4, '\0'));
  // Entries sorted, folders included, fixed owner, mtime and modes.
  archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  REQUIRE(archive_read_open_memory(a, first.data(), first.size()) == ARCHIVE_OK);
  std::vector<std::string> names;
  archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    std::string name = archive_entry_pathname(e);
    names.push_back(name);
    CHECK(archive_entry_mtime(e) == 0);
    CHECK(archive_entry_uid(e) == 0);
    CHECK(archive_entry_gid(e) == 0);
    if (name == "deploy.sh" || archive_entry_filetype(e) == AE_IFDIR) {
      CHECK(archive_entry_perm(e) == 0755);
    } else {
      CHECK(archive_entry_perm(e) == 0644);
    }
  }
  archive_read_free(a);
  CHECK(names == std::vector<std::string>{"01-a/", "01-a/values.yaml", "02-b/", "02-b/manifests/", "02-b/manifests/m.yaml",
                                          "bundle.yaml", "deploy.sh", "recipe.yaml"});
  // A change of content changes the bytes.
  put(s2.dir / "b/01-a/values.yaml", "a: y\n");
  CHECK(deliver::bundle_tarball((s2.dir / "b").string()) != first);
}

TEST_CASE("the tarball refuses links and oversize folders") {
  Scratch s;
  make_bundle(s.dir / "b");
  fs::create_symlink("/etc/passwd", s.dir / "b/evil");
  std::string msg;
  CHECK(exit_of([&] { deliver::bundle_tarball((s.dir / "b").string()); }, &msg) == core::Exit::bad_input);
  CHECK_THAT(msg, Catch::Contains("symbolic link"));
  fs::remove(s.dir / "b/evil");
  deliver::Limits small;
  small.max_unpacked = 10;
  CHECK(exit_of([&] { deliver::bundle_tarball((s.dir / "b").string(), small); }, &msg) == core::Exit::bad_input);
  CHECK_THAT(msg, Catch::Contains("larger than the limit"));
}

TEST_CASE("unpacking restores the files and refuses escapes") {
  Scratch s;
  make_bundle(s.dir / "b");
  std::string tgz = deliver::bundle_tarball((s.dir / "b").string());
  fs::create_directories(s.dir / "out");
  deliver::unpack_tarball(tgz, (s.dir / "out").string());
  CHECK(core::read_file((s.dir / "out/01-a/values.yaml").string()) == "a: x\n");
  CHECK((fs::status(s.dir / "out/deploy.sh").permissions() & fs::perms::owner_exec) != fs::perms::none);

  struct Case {
    const char* what;
    std::vector<RawEntry> entries;
    const char* message;
  };
  std::vector<Case> cases = {
      {"absolute", {{"/tmp/galley-evil", AE_IFREG, "x", "", false}}, "absolute path"},
      {"dotdot", {{"a/../../evil", AE_IFREG, "x", "", false}}, "'..'"},
      {"symlink", {{"evil", AE_IFLNK, "", "/etc", false}}, "link"},
      {"hardlink", {{"x", AE_IFREG, "a", "", false}, {"evil", AE_IFREG, "", "x", true}}, "link"},
      {"device", {{"dev", AE_IFCHR, "", "", false}}, "not a file or folder"},
      {"duplicate", {{"x", AE_IFREG, "a", "", false}, {"x", AE_IFREG, "b", "", false}}, "twice"},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      fs::path out = s.dir / (std::string("o-") + c.what);
      fs::create_directories(out);
      std::string msg;
      CHECK(exit_of([&] { deliver::unpack_tarball(raw_tarball(c.entries), out.string()); }, &msg) ==
            core::Exit::bad_input);
      CHECK_THAT(msg, Catch::Contains(c.message));
      CHECK(!fs::exists("/tmp/galley-evil"));
      CHECK(!fs::exists(s.dir / "evil"));
    }
  }
  SECTION("size limit") {
    deliver::Limits small;
    small.max_unpacked = 4;
    fs::create_directories(s.dir / "o");
    std::string msg;
    CHECK(exit_of([&] { deliver::unpack_tarball(raw_tarball({{"big", AE_IFREG, "12345", "", false}}), (s.dir / "o").string(), small); },
                  &msg) == core::Exit::bad_input);
    CHECK_THAT(msg, Catch::Contains("more than the limit"));
  }
  SECTION("not a tarball") {
    fs::create_directories(s.dir / "o");
    CHECK(exit_of([&] { deliver::unpack_tarball("not gzip at all", (s.dir / "o").string()); }) == core::Exit::bad_input);
  }
}

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

TEST_CASE("references are parsed strictly") {
  auto r = deliver::parse_reference("oci://127.0.0.1:5000/gpu/bundle:v1");
  CHECK(r.host == "127.0.0.1:5000");
  CHECK(r.repository == "gpu/bundle");
  CHECK(r.tag == "v1");
  CHECK(r.ref() == "v1");
  std::string d = "sha256:" + std::string(64, 'a');
  auto by_digest = deliver::parse_reference("oci://registry.example.com/a/b@" + d);
  CHECK(by_digest.digest == d);
  CHECK(by_digest.tag.empty());
  for (const char* bad : {"docker://h/r:t", "oci://h/r", "oci://h:5000/R:t", "oci:///r:t", "oci://h/r@sha256:12",
                          "oci://h/r:bad tag", "oci://h/../r:t"}) {
    INFO(bad);
    CHECK(exit_of([&] { deliver::parse_reference(bad); }) == core::Exit::bad_input);
  }
}

TEST_CASE("repository paths inside a GitOps repo are checked") {
  CHECK(deliver::normalize_repo_path(".") == "");
  CHECK(deliver::normalize_repo_path("./clusters//prod/") == "clusters/prod");
  for (const char* bad : {"", "/", "/abs", "..", "a/../../b", "a/..", ".git", "x/.GIT/hooks", "a\\b"}) {
    INFO(bad);
    CHECK(exit_of([&] { deliver::normalize_repo_path(bad); }) == core::Exit::bad_input);
  }
}

TEST_CASE("credentials come from a docker config") {
  Scratch s;
  put(s.dir / "config.json", R"({"auths":{"reg.example.com":{"auth":"YWxpY2U6czNjcmV0"},"https://other:5000":{"auth":"Ym9iOnB3"},"broken":{"auth":"bm9jb2xvbg=="}}})");
  auto c = deliver::docker_credentials("reg.example.com", (s.dir / "config.json").string());
  CHECK(c.username == "alice");
  CHECK(c.password == "s3cret");
  CHECK(deliver::docker_credentials("other:5000", (s.dir / "config.json").string()).username == "bob");
  CHECK(deliver::docker_credentials("absent", (s.dir / "config.json").string()).empty());
  CHECK(deliver::docker_credentials("x", (s.dir / "missing.json").string()).empty());
  CHECK(exit_of([&] { deliver::docker_credentials("broken", (s.dir / "config.json").string()); }) == core::Exit::bad_input);
  put(s.dir / "bad.json", "{not json");
  CHECK(exit_of([&] { deliver::docker_credentials("x", (s.dir / "bad.json").string()); }) == core::Exit::bad_input);
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
