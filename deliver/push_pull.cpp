// Push and pull over the OCI distribution API: a bundle's artifact to a registry, and back into a
// folder, every digest checked.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "bundle/bundle.hpp"
#include "bundle/folder_write.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/digest.hpp"
#include "deliver/internal/names.hpp"
#include "deliver/internal/registry_transport.hpp"

namespace galley::deliver {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;
using core::Json;

std::string push(const Artifact& artifact, const Reference& ref, const RegistryOptions& options) {
  RegistryTransport registry(ref, options, "repository:" + ref.repository + ":pull,push");
  std::string repo_url = registry.base() + "/v2/" + ref.repository;
  // Already there under this reference with the same digest: nothing to send (a registry holds a
  // manifest only with all its blobs).
  net::Request head_manifest;
  head_manifest.method = "HEAD";
  head_manifest.url = repo_url + "/manifests/" + ref.ref();
  head_manifest.headers.push_back(std::string("Accept: ") + k_manifest_type);
  net::Response present = registry.call(head_manifest, "checking the manifest");
  if (present.status == 200 && present.header("docker-content-digest") == artifact.manifest_digest) {
    if (options.progress) {
      options.progress("exists   " + short_digest(artifact.manifest_digest) + " (manifest)");
    }
    return artifact.manifest_digest;
  }
  if (present.status != 200 && present.status != 404) {
    registry.unexpected("checking the manifest", present);
  }
  for (const auto& blob : artifact.blobs) {
    std::string step = "blob " + blob.digest;
    net::Request head;
    head.method = "HEAD";
    head.url = repo_url + "/blobs/" + blob.digest;
    net::Response exists = registry.call(head, "checking " + step);
    if (exists.status == 200) {
      if (options.progress) {
        options.progress("exists   " + short_digest(blob.digest) + " (" + std::to_string(blob.bytes.size()) + " bytes)");
      }
      continue;
    }
    if (exists.status != 404) {
      registry.unexpected("checking " + step, exists);
    }
    if (options.progress) {
      options.progress("uploading " + short_digest(blob.digest) + " (" + std::to_string(blob.bytes.size()) + " bytes)");
    }
    registry.upload_blob(repo_url, blob.digest, blob.bytes, "");
  }
  // The manifest last: until it lands, the push is invisible.
  net::Request manifest;
  manifest.method = "PUT";
  manifest.url = repo_url + "/manifests/" + ref.ref();
  manifest.body = artifact.manifest;
  manifest.headers.push_back(std::string("Content-Type: ") + k_manifest_type);
  net::Response r = registry.call(manifest, "putting the manifest");
  if (r.status != 201) {
    registry.unexpected("putting the manifest", r);
  }
  std::string confirmed = r.header("docker-content-digest");
  if (!confirmed.empty() && confirmed != artifact.manifest_digest) {
    throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                "putting the manifest: the registry reports digest " + confirmed + ", expected " + artifact.manifest_digest);
  }
  return artifact.manifest_digest;
}

namespace {

// Where pull reads an artifact from: a registry or an OCI image layout.
struct PullSource {
  std::string name;  // for messages: the reference as given
  // The manifest's bytes and the digest the source vouches for ("" = none). Throws not_found.
  std::function<std::pair<std::string, std::string>()> manifest;
  // A blob's bytes (at most `size`; the caller checks size and digest).
  std::function<std::string(const std::string& digest, std::uint64_t size)> blob;
};

// Refuses `out` unless it is absent or an empty folder in an existing parent. Returns it normalised.
fs::path pull_target(const std::string& out_text) {
  fs::path out = bundle::normal_target(out_text);
  bundle::Target state = bundle::target_state(out);
  if (state == bundle::Target::other || state == bundle::Target::folder) {
    throw Error(Exit::bad_input, core::Where{out_text, 0, ""}, "exists and is not an empty folder; it was left untouched");
  }
  std::error_code ec;
  if (!fs::is_directory(out.parent_path(), ec)) {
    throw Error(Exit::io, core::Where{out_text, 0, ""}, "the parent folder does not exist");
  }
  return out;
}

// The artifact from `source`, every digest checked, unpacked into `out` atomically.
PullResult pull_from(const PullSource& source, const fs::path& out, const std::string& out_text, const RegistryOptions& options,
                     const Limits& limits, const std::function<void(const std::string&)>& check) {
  auto [manifest_bytes, expected] = source.manifest();
  PullResult result;
  result.manifest_digest = digest_of(manifest_bytes);
  if (!expected.empty() && expected != result.manifest_digest) {
    throw Error(Exit::check_failed, core::Where{source.name, 0, ""},
                "manifest digest mismatch: expected " + expected + ", the bytes received hash to " + result.manifest_digest);
  }
  Json manifest = core::parse_json(manifest_bytes, source.name + " (manifest)");
  const Json artifact_type = manifest.is_object() ? manifest.value("artifactType", Json()) : Json();
  if ((artifact_type != bundle::k_artifact_type && artifact_type != bundle::k_conformance_artifact_type) || !manifest.contains("layers") ||
      !manifest["layers"].is_array()) {
    throw Error(Exit::bad_input, core::Where{source.name, 0, "manifest"},
                std::string("is not a Galley bundle (artifactType ") + bundle::k_artifact_type + " or " +
                    bundle::k_conformance_artifact_type + ")");
  }
  std::string tarball;
  std::optional<std::string> attestation;
  for (const auto& layer : manifest["layers"]) {
    if (!layer.is_object() || !layer.contains("digest") || !layer["digest"].is_string() || !layer.contains("size") ||
        !layer["size"].is_number_unsigned() || !layer.contains("mediaType") || !layer["mediaType"].is_string()) {
      throw Error(Exit::bad_input, core::Where{source.name, 0, "manifest.layers"}, "a layer descriptor lacks digest, size or mediaType");
    }
    std::string digest = layer["digest"].get<std::string>();
    std::uint64_t size = layer["size"].get<std::uint64_t>();
    std::string type = layer["mediaType"].get<std::string>();
    if (!is_sha256_digest(digest)) {
      throw Error(Exit::bad_input, core::Where{source.name, 0, "manifest.layers"}, shown_name(digest) + " is not a sha256 digest");
    }
    if (size > limits.max_blob) {
      throw Error(Exit::bad_input, core::Where{source.name, 0, "manifest.layers"},
                  "layer " + digest + " is " + std::to_string(size) + " bytes, over the limit of " +
                      std::to_string(limits.max_blob));
    }
    bool is_bundle = type == bundle::k_tarball_media_type;
    bool is_attestation = type == bundle::k_attestation_media_type;
    if (!is_bundle && !is_attestation) {
      throw Error(Exit::bad_input, core::Where{source.name, 0, "manifest.layers"}, "unknown layer type \"" + type + "\"");
    }
    if ((is_bundle && !tarball.empty()) || (is_attestation && attestation)) {
      throw Error(Exit::bad_input, core::Where{source.name, 0, "manifest.layers"}, "more than one layer of type " + type);
    }
    if (options.progress) {
      options.progress("fetching " + short_digest(digest) + " (" + std::to_string(size) + " bytes)");
    }
    std::string bytes = source.blob(digest, size);
    if (bytes.size() != size || digest_of(bytes) != digest) {
      throw Error(Exit::check_failed, core::Where{source.name, 0, ""},
                  "blob digest mismatch: " + digest + " received as " + std::to_string(bytes.size()) +
                      " bytes hashing to " + digest_of(bytes));
    }
    (is_bundle ? tarball : attestation.emplace()) = std::move(bytes);
  }
  if (tarball.empty()) {
    throw Error(Exit::bad_input, core::Where{source.name, 0, "manifest.layers"}, "has no bundle layer");
  }
  std::error_code ec;
  bundle::TempDir tmp(bundle::temp_beside(out, "pull"));
  unpack_tarball(tarball, tmp.path().string(), limits);
  if (attestation) {
    if (fs::exists(tmp.path() / bundle::k_attestation_file, ec)) {
      throw Error(Exit::bad_input, core::Where{source.name, 0, ""}, "the bundle layer holds its own attestation file");
    }
    bundle::write_new_file(tmp.path() / bundle::k_attestation_file, *attestation);
  }
  result.info = read_bundle_info(tmp.path().string());
  if (manifest.contains("annotations") && manifest["annotations"].is_object() &&
      manifest["annotations"].contains(k_recipe_digest_annotation) &&
      manifest["annotations"][k_recipe_digest_annotation] != result.info.recipe_digest) {
    throw Error(Exit::check_failed, core::Where{source.name, 0, ""},
                "the manifest's recipe digest differs from the bundle's " + result.info.recipe_digest);
  }
  if (check) {
    check(tmp.path().string());
  }
  bundle::move_into_place(tmp, out, out_text, "bundle", bundle::Replace::no);
  return result;
}

// Reads a file of an OCI layout, at most `max` bytes; not_found when it is absent.
std::string layout_file(const fs::path& path, std::uint64_t max, const std::string& what) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw Error(Exit::not_found, core::Where{path.string(), 0, ""}, what + " is not in the layout");
  }
  return core::read_file(path.string(), static_cast<size_t>(max) + 1);  // one byte more: a longer file is a mismatch
}

}  // namespace

PullResult pull(const Reference& ref, const std::string& out_text, const RegistryOptions& options, const Limits& limits,
                const std::function<void(const std::string&)>& check) {
  fs::path out = pull_target(out_text);  // refuse before any network traffic
  RegistryTransport registry(ref, options, "repository:" + ref.repository + ":pull");
  std::string repo_url = registry.base() + "/v2/" + ref.repository;
  PullSource source;
  source.name = ref.text;
  source.manifest = [&]() -> std::pair<std::string, std::string> {
    net::Request get_manifest;
    get_manifest.url = repo_url + "/manifests/" + ref.ref();
    get_manifest.headers.push_back(std::string("Accept: ") + k_manifest_type);
    get_manifest.limits.max_body = 4u << 20;
    net::Response m = registry.call(get_manifest, "fetching the manifest");
    if (m.status == 404) {
      throw Error(Exit::not_found, core::Where{ref.text, 0, ""}, "fetching the manifest: no such manifest in the registry");
    }
    if (m.status != 200) {
      registry.unexpected("fetching the manifest", m);
    }
    return {m.body, !ref.digest.empty() ? ref.digest : m.header("docker-content-digest")};
  };
  source.blob = [&](const std::string& digest, std::uint64_t size) {
    net::Request get;
    get.url = repo_url + "/blobs/" + digest;
    get.limits.max_body = size;
    get.follow_redirects = true;
    net::Response b = registry.call(get, "fetching blob " + digest);
    if (b.status != 200) {
      registry.unexpected("fetching blob " + digest, b);
    }
    return std::move(b.body);
  };
  return pull_from(source, out, out_text, options, limits, check);
}

PullResult pull_layout(const std::string& layout, const std::string& tag, const std::string& out_text,
                       const RegistryOptions& options, const Limits& limits,
                       const std::function<void(const std::string&)>& check) {
  fs::path out = pull_target(out_text);
  fs::path root(layout);
  std::string name = "oci-layout:" + layout + (tag.empty() ? "" : ":" + tag);
  PullSource source;
  source.name = name;
  source.manifest = [&]() -> std::pair<std::string, std::string> {
    layout_file(root / "oci-layout", 4096, "the oci-layout marker");
    std::string index_text = layout_file(root / "index.json", 4u << 20, "index.json");
    Json index;
    try {
      index = Json::parse(index_text);
    } catch (const Json::exception& e) {
      throw Error(Exit::bad_input, core::Where{(root / "index.json").string(), 0, ""}, std::string("not JSON: ") + e.what());
    }
    if (!index.is_object() || !index.contains("manifests") || !index["manifests"].is_array()) {
      throw Error(Exit::bad_input, core::Where{(root / "index.json").string(), 0, "manifests"}, "missing or not a list");
    }
    std::vector<const Json*> matches;
    std::vector<std::string> tags;
    for (const auto& m : index["manifests"]) {
      std::string ref_name = m.is_object() && m.contains("annotations") && m["annotations"].is_object()
                                 ? m["annotations"].value("org.opencontainers.image.ref.name", "")
                                 : "";
      if (!ref_name.empty()) {
        tags.push_back(ref_name);
      }
      if (tag.empty() || ref_name == tag) {
        matches.push_back(&m);
      }
    }
    if (matches.empty()) {
      std::string have;
      for (const auto& t : tags) {
        have += (have.empty() ? "" : ", ") + t;
      }
      throw Error(Exit::not_found, core::Where{name, 0, ""},
                  "no manifest tagged \"" + tag + "\" in the layout" + (have.empty() ? "" : " (it holds " + have + ")"));
    }
    if (matches.size() > 1) {
      throw Error(Exit::bad_input, core::Where{name, 0, ""},
                  "the layout holds " + std::to_string(matches.size()) + " manifests; name one with oci-layout:DIR:TAG");
    }
    const Json& desc = *matches.front();
    std::string digest = desc.value("digest", "");
    if (!is_sha256_digest(digest) || !desc.contains("size") || !desc["size"].is_number_unsigned()) {
      throw Error(Exit::bad_input, core::Where{(root / "index.json").string(), 0, "manifests"},
                  "the descriptor lacks a sha256 digest or a size");
    }
    std::uint64_t size = desc["size"].get<std::uint64_t>();
    std::string bytes = layout_file(root / "blobs" / "sha256" / digest.substr(7), std::min<std::uint64_t>(size, 4u << 20),
                                    "manifest " + digest);
    if (bytes.size() != size) {
      throw Error(Exit::check_failed, core::Where{name, 0, ""},
                  "manifest " + digest + " is " + std::to_string(bytes.size()) + " bytes, the index says " + std::to_string(size));
    }
    return {bytes, digest};
  };
  source.blob = [&](const std::string& digest, std::uint64_t size) {
    return layout_file(root / "blobs" / "sha256" / digest.substr(7), size, "blob " + digest);
  };
  return pull_from(source, out, out_text, options, limits, check);
}

}  // namespace galley::deliver
