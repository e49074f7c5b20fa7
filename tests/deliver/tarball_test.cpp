// Tests of deliver/tarball.cpp: the reproducible bundle tarball, safe unpacking.
#include <archive.h>
#include <archive_entry.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "fixtures.hpp"

namespace fs = std::filesystem;
using namespace galley;
using namespace galley::deliver_test;

namespace {

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
