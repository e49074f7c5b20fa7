// A bundle folder as an OCI 1.1 artifact, and OCI image layouts on disk.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

#include "bundle/bundle.hpp"
#include "bundle/folder.hpp"
#include "bundle/folder_write.hpp"
#include "core/document.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/yaml_fast.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/digest.hpp"
#include "deliver/internal/names.hpp"

namespace galley::deliver {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;
using core::Json;

// ---- shared helpers ----

std::string digest_of(const std::string& bytes) { return "sha256:" + core::sha256_hex(bytes); }

std::pair<std::uint64_t, std::string> file_digest(const fs::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    throw Error(Exit::io, core::Where{path.string(), 0, ""}, "cannot read");
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> guard(f, &std::fclose);
  core::Sha256 sha;
  std::string buffer(1u << 20, '\0');
  std::uint64_t total = 0;
  while (size_t got = std::fread(buffer.data(), 1, buffer.size(), f)) {
    sha.update(std::string_view(buffer.data(), got));
    total += got;
  }
  if (std::ferror(f) != 0) {
    throw Error(Exit::io, core::Where{path.string(), 0, ""}, "cannot read");
  }
  return {total, "sha256:" + sha.hex()};
}

std::string short_digest(const std::string& digest) { return digest.substr(0, 19) + "…"; }

// ---- the bundle ----

BundleInfo read_bundle_info(const std::string& dir) {
  bundle::require_bundle_folder(dir);
  std::string bundle_file = (fs::path(dir) / bundle::k_manifest_file).string();
  auto no_check = [](const core::Document&) {};  // the checks below name what is wrong
  // galley wrote these: the fast reader skips the line map of core::parse_yaml.
  core::Document bundle = core::read_checked(core::read_file(bundle_file, 16u << 20), bundle_file, no_check);
  const Json& b = bundle.value;
  if (!b.is_object() || b.value("kind", Json()) != bundle::k_kind || !b.contains("spec") || !b["spec"].is_object() ||
      !b["spec"].contains("recipeDigest") || !b["spec"]["recipeDigest"].is_string()) {
    throw Error(Exit::bad_input, core::Where{bundle_file, 1, ""}, "is not a Galley bundle manifest (kind Bundle with spec.recipeDigest)");
  }
  BundleInfo info;
  info.recipe_digest = b["spec"]["recipeDigest"].get<std::string>();
  info.deployer = b["spec"].value("deployer", "");
  if (b.contains("metadata") && b["metadata"].is_object()) {
    info.name = b["metadata"].value("name", "");
  }
  if (b["spec"].contains("options") && b["spec"]["options"].is_object()) {
    const Json& o = b["spec"]["options"];
    info.source_url = o.value("repoUrl", "");
    info.source_revision = o.value("revision", "");
    info.source_path = o.value("path", "");
  }
  std::string recipe_file = (fs::path(dir) / bundle::k_recipe_file).string();
  // A failed check reads the file again with core::parse_yaml, so that the message names the line.
  core::Document recipe = core::read_checked(
      core::read_file(recipe_file, 64u << 20), recipe_file, [&](const core::Document& doc) {
        const Json& v = doc.value;
        if (!v.is_object() || v.value("kind", Json()) != "Recipe") {
          throw Error(Exit::bad_input, core::Where{recipe_file, 1, ""}, "is not a Recipe");
        }
        std::string digest = v.contains("metadata") && v["metadata"].is_object() ? v["metadata"].value("digest", "") : "";
        if (digest != info.recipe_digest) {
          throw Error(Exit::bad_input, core::Where{recipe_file, doc.line_of("metadata.digest"), "metadata.digest"},
                      "\"" + digest + "\" differs from bundle.yaml's recipeDigest " + info.recipe_digest);
        }
      });
  const Json& r = recipe.value;
  if (r.contains("spec") && r["spec"].is_object() && r["spec"].contains("criteria") && r["spec"]["criteria"].is_object()) {
    for (const auto& [k, v] : r["spec"]["criteria"].items()) {
      info.criteria[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  std::error_code ec;
  info.signed_bundle = fs::is_regular_file(fs::path(dir) / bundle::k_attestation_file, ec);
  return info;
}

namespace {
Json descriptor(const Blob& blob) {
  return Json{{"mediaType", blob.media_type}, {"digest", blob.digest}, {"size", blob.bytes.size()}};
}

void check_tag(const std::string& tag) {
  if (!is_tag(tag)) {
    throw Error(Exit::bad_input, core::Where{"", 0, "tag"},
                shown_name(tag) + " is not a valid tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})");
  }
}

}  // namespace

Artifact build_artifact(const std::string& dir, const ArtifactOptions& options, const Limits& limits) {
  BundleInfo info = read_bundle_info(dir);
  Artifact a;
  a.blobs.push_back(Blob{k_empty_type, digest_of("{}"), "{}"});
  Blob layer{bundle::k_tarball_media_type, "", bundle_tarball(dir, limits)};
  layer.digest = digest_of(layer.bytes);
  a.blobs.push_back(std::move(layer));
  Json layers = Json::array();
  Json bundle_desc = descriptor(a.blobs[1]);
  bundle_desc["annotations"] = {{"org.opencontainers.image.title", (info.name.empty() ? "bundle" : info.name) + ".tar.gz"}};
  layers.push_back(bundle_desc);
  if (info.signed_bundle) {
    Blob att{bundle::k_attestation_media_type, "", core::read_file((fs::path(dir) / bundle::k_attestation_file).string(), 16u << 20)};
    att.digest = digest_of(att.bytes);
    a.blobs.push_back(std::move(att));
    Json att_desc = descriptor(a.blobs[2]);
    att_desc["annotations"] = {{"org.opencontainers.image.title", bundle::k_attestation_file}};
    layers.push_back(att_desc);
  }
  Json annotations = Json::object();
  if (options.created) {
    annotations["org.opencontainers.image.created"] = core::rfc3339(*options.created);
  }
  if (!info.name.empty()) {
    annotations["org.opencontainers.image.title"] = info.name;
  }
  if (!options.source.empty()) {
    annotations["org.opencontainers.image.source"] = options.source;
  }
  if (!options.revision.empty()) {
    annotations["org.opencontainers.image.revision"] = options.revision;
  }
  annotations[k_recipe_digest_annotation] = info.recipe_digest;
  if (!info.deployer.empty()) {
    annotations["dev.galley.deployer"] = info.deployer;
  }
  for (const auto& [k, v] : options.annotations) {
    if (k.empty()) {
      throw Error(Exit::bad_input, core::OptionField{"annotation"}, "an annotation needs a key");
    }
    annotations[k] = v;
  }
  Json config = descriptor(a.blobs[0]);
  config["data"] = "e30=";
  a.artifact_type = bundle::artifact_type_of(info.deployer);
  Json manifest = {{"schemaVersion", 2},  {"mediaType", k_manifest_type}, {"artifactType", a.artifact_type},
                   {"config", config},     {"layers", layers},            {"annotations", annotations}};
  a.manifest = manifest.dump();  // keys sorted: the same inputs give the same bytes
  a.manifest_digest = digest_of(a.manifest);
  return a;
}

// ---- OCI image layout ----

namespace {

constexpr const char* k_layout_marker = "{\"imageLayoutVersion\":\"1.0.0\"}";

fs::path blob_path(const fs::path& root, const std::string& digest) {
  return root / "blobs" / "sha256" / digest.substr(7);
}

Json index_entry(const Artifact& artifact, const std::string& tag) {
  return Json{{"mediaType", k_manifest_type},
              {"digest", artifact.manifest_digest},
              {"size", artifact.manifest.size()},
              {"artifactType", artifact.artifact_type},
              {"annotations", {{"org.opencontainers.image.ref.name", tag}}}};
}

void put_blob(const fs::path& root, const std::string& digest, const std::string& bytes) {
  fs::path p = blob_path(root, digest);
  std::error_code ec;
  if (fs::exists(p, ec)) {
    if (digest_of(core::read_file(p.string(), 1ull << 40)) == digest) {
      return;
    }
    throw Error(Exit::check_failed, core::Where{p.string(), 0, ""}, "existing blob does not match its digest");
  }
  // Content-addressed: write beside, rename; a reader never sees a partial blob.
  fs::path tmp = p;
  tmp += ".tmp";
  fs::remove(tmp, ec);
  bundle::write_new_file(tmp, bytes, 0644);
  if (::rename(tmp.c_str(), p.c_str()) != 0) {
    fs::remove(tmp, ec);
    throw Error(Exit::io, core::Where{p.string(), 0, ""}, std::string("cannot write: ") + std::strerror(errno));
  }
}

}  // namespace

void write_layout(const Artifact& artifact, const std::string& layout_text, const std::string& tag) {
  check_tag(tag);
  fs::path layout = bundle::normal_target(layout_text);
  std::error_code ec;
  bundle::Target state = bundle::target_state(layout);
  if (state == bundle::Target::other) {
    throw Error(Exit::bad_input, core::Where{layout_text, 0, ""}, "exists and is not a folder");
  }
  if (state == bundle::Target::folder) {
    // An existing layout: add blobs (content-addressed), then replace index.json atomically, all
    // under the layout's lock (concurrent pushes serialise; none loses another's tag). The layout is
    // walked by bundle/'s rules first: a link anywhere in it (blobs/ pointing elsewhere) or a special
    // file is refused, so nothing is ever written outside the layout.
    bundle::FolderLock lock(layout);
    bundle::WalkOptions walk;
    walk.max_entries = 1'000'000;
    bundle::walk_folder(layout.string(), walk);
    fs::path marker = layout / "oci-layout";
    fs::path index_file = layout / "index.json";
    if (!fs::is_regular_file(marker, ec) || !fs::is_regular_file(index_file, ec)) {
      throw Error(Exit::bad_input, core::Where{layout_text, 0, ""},
                  "is a non-empty folder that is not an OCI image layout; it was left untouched");
    }
    Json index = core::parse_json(core::read_file(index_file.string(), 16u << 20), index_file.string());
    if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array()) {
      throw Error(Exit::bad_input, core::Where{index_file.string(), 0, "manifests"}, "is not an OCI image index");
    }
    fs::create_directories(layout / "blobs" / "sha256", ec);
    for (const auto& b : artifact.blobs) {
      put_blob(layout, b.digest, b.bytes);
    }
    put_blob(layout, artifact.manifest_digest, artifact.manifest);
    Json kept = Json::array();
    for (const auto& m : index["manifests"]) {
      bool same_tag = m.is_object() && m.contains("annotations") && m["annotations"].is_object() &&
                      m["annotations"].value("org.opencontainers.image.ref.name", Json()) == tag;
      if (!same_tag) {
        kept.push_back(m);
      }
    }
    kept.push_back(index_entry(artifact, tag));
    index["manifests"] = kept;
    core::write_file_atomic(index_file.string(), index.dump() + "\n");
    return;
  }
  if (!fs::is_directory(layout.parent_path(), ec)) {
    throw Error(Exit::io, core::Where{layout_text, 0, ""}, "the parent folder does not exist");
  }
  bundle::TempDir tmp(bundle::temp_beside(layout, "new"));
  fs::create_directories(tmp.path() / "blobs" / "sha256");
  bundle::write_new_file(tmp.path() / "oci-layout", k_layout_marker);
  for (const auto& b : artifact.blobs) {
    if (!fs::exists(blob_path(tmp.path(), b.digest))) {
      bundle::write_new_file(blob_path(tmp.path(), b.digest), b.bytes);
    }
  }
  bundle::write_new_file(blob_path(tmp.path(), artifact.manifest_digest), artifact.manifest);
  Json index = {{"schemaVersion", 2},
                {"mediaType", "application/vnd.oci.image.index.v1+json"},
                {"manifests", Json::array({index_entry(artifact, tag)})}};
  bundle::write_new_file(tmp.path() / "index.json", index.dump() + "\n");
  bundle::move_into_place(tmp, layout, layout_text, "layout", bundle::Replace::no);
}

}  // namespace galley::deliver
