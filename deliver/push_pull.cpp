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
#include "deliver/deliver.hpp"
#include "deliver/internal/digest.hpp"
#include "deliver/internal/names.hpp"
#include "deliver/internal/registry_transport.hpp"
#include "net/url.hpp"

namespace galley::deliver {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;
using core::Json;

namespace {

std::string short_digest(const std::string& d) { return d.substr(0, 19) + "…"; }

}  // namespace

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
    net::Request start;
    start.method = "POST";
    start.url = repo_url + "/blobs/uploads/";
    net::Response started = registry.call(start, "starting the upload of " + step);
    if (started.status != 202 || started.header("location").empty()) {
      registry.unexpected("starting the upload of " + step, started);
    }
    std::string location = started.header("location");
    if (!location.starts_with("http://") && !location.starts_with("https://")) {
      location = registry.base() + (location.starts_with("/") ? "" : "/") + location;
    }
    net::Request put;
    put.method = "PUT";
    put.url = location + (location.find('?') == std::string::npos ? "?" : "&") + "digest=" + net::url_encode(blob.digest);
    put.body = blob.bytes;
    put.headers.push_back("Content-Type: application/octet-stream");
    if (options.progress) {
      options.progress("uploading " + short_digest(blob.digest) + " (" + std::to_string(blob.bytes.size()) + " bytes)");
    }
    net::Response done = registry.call(put, "uploading " + step);
    if (done.status != 201) {
      registry.unexpected("uploading " + step, done);
    }
    if (!done.header("docker-content-digest").empty() && done.header("docker-content-digest") != blob.digest) {
      throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                  "uploading " + step + ": the registry stored it as " + done.header("docker-content-digest"));
    }
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

PullResult pull(const Reference& ref, const std::string& out_text, const RegistryOptions& options, const Limits& limits,
                const std::function<void(const std::string&)>& check) {
  // The target first: refuse before any network traffic.
  fs::path out = bundle::normal_target(out_text);
  bundle::Target state = bundle::target_state(out);
  if (state == bundle::Target::other || state == bundle::Target::folder) {
    throw Error(Exit::bad_input, core::Where{out_text, 0, ""}, "exists and is not an empty folder; it was left untouched");
  }
  std::error_code ec;
  if (!fs::is_directory(out.parent_path(), ec)) {
    throw Error(Exit::io, core::Where{out_text, 0, ""}, "the parent folder does not exist");
  }
  RegistryTransport registry(ref, options, "repository:" + ref.repository + ":pull");
  std::string repo_url = registry.base() + "/v2/" + ref.repository;
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
  PullResult result;
  result.manifest_digest = digest_of(m.body);
  std::string expected = !ref.digest.empty() ? ref.digest : m.header("docker-content-digest");
  if (!expected.empty() && expected != result.manifest_digest) {
    throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                "manifest digest mismatch: expected " + expected + ", the bytes received hash to " + result.manifest_digest);
  }
  Json manifest = core::parse_json(m.body, ref.text + " (manifest)");
  if (!manifest.is_object() || manifest.value("artifactType", Json()) != bundle::k_artifact_type || !manifest.contains("layers") ||
      !manifest["layers"].is_array()) {
    throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest"},
                std::string("is not a Galley bundle (artifactType ") + bundle::k_artifact_type + ")");
  }
  std::string tarball;
  std::optional<std::string> attestation;
  for (const auto& layer : manifest["layers"]) {
    if (!layer.is_object() || !layer.contains("digest") || !layer["digest"].is_string() || !layer.contains("size") ||
        !layer["size"].is_number_unsigned() || !layer.contains("mediaType") || !layer["mediaType"].is_string()) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "a layer descriptor lacks digest, size or mediaType");
    }
    std::string digest = layer["digest"].get<std::string>();
    std::uint64_t size = layer["size"].get<std::uint64_t>();
    std::string type = layer["mediaType"].get<std::string>();
    if (!is_sha256_digest(digest)) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, shown_name(digest) + " is not a sha256 digest");
    }
    if (size > limits.max_blob) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"},
                  "layer " + digest + " is " + std::to_string(size) + " bytes, over the limit of " +
                      std::to_string(limits.max_blob));
    }
    bool is_bundle = type == bundle::k_tarball_media_type;
    bool is_attestation = type == bundle::k_attestation_media_type;
    if (!is_bundle && !is_attestation) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "unknown layer type \"" + type + "\"");
    }
    if ((is_bundle && !tarball.empty()) || (is_attestation && attestation)) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "more than one layer of type " + type);
    }
    net::Request get;
    get.url = repo_url + "/blobs/" + digest;
    get.limits.max_body = size;
    get.follow_redirects = true;
    if (options.progress) {
      options.progress("fetching " + short_digest(digest) + " (" + std::to_string(size) + " bytes)");
    }
    net::Response b = registry.call(get, "fetching blob " + digest);
    if (b.status != 200) {
      registry.unexpected("fetching blob " + digest, b);
    }
    if (b.body.size() != size || digest_of(b.body) != digest) {
      throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                  "blob digest mismatch: " + digest + " received as " + std::to_string(b.body.size()) +
                      " bytes hashing to " + digest_of(b.body));
    }
    (is_bundle ? tarball : attestation.emplace()) = std::move(b.body);
  }
  if (tarball.empty()) {
    throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "has no bundle layer");
  }
  bundle::TempDir tmp(bundle::temp_beside(out, "pull"));
  unpack_tarball(tarball, tmp.path().string(), limits);
  if (attestation) {
    if (fs::exists(tmp.path() / bundle::k_attestation_file, ec)) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, ""}, "the bundle layer holds its own attestation file");
    }
    bundle::write_new_file(tmp.path() / bundle::k_attestation_file, *attestation);
  }
  result.info = read_bundle_info(tmp.path().string());
  if (manifest.contains("annotations") && manifest["annotations"].is_object() &&
      manifest["annotations"].contains(k_recipe_digest_annotation) &&
      manifest["annotations"][k_recipe_digest_annotation] != result.info.recipe_digest) {
    throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                "the manifest's recipe digest differs from the bundle's " + result.info.recipe_digest);
  }
  if (check) {
    check(tmp.path().string());
  }
  bundle::move_into_place(tmp, out, out_text, "bundle", bundle::Replace::no);
  return result;
}

}  // namespace galley::deliver
