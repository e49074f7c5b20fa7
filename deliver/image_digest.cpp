// Image tags to manifest or index digests over the OCI distribution API (HEAD, then GET).
#include <set>

#include "core/document.hpp"
#include "core/error.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/digest.hpp"
#include "deliver/internal/image_api.hpp"
#include "deliver/internal/registry_transport.hpp"

namespace galley::deliver {

using core::Error;
using core::Exit;
using core::Json;

Reference api_reference(Reference ref) {
  if (ref.host.empty() || ref.repository.empty()) {
    throw Error(Exit::bad_input, core::Where{ref.text, 0, ""}, "not a registry-qualified image reference (host/path:tag)");
  }
  if (ref.host == "docker.io") {
    ref.host = "registry-1.docker.io";
    if (ref.repository.find('/') == std::string::npos) {
      ref.repository = "library/" + ref.repository;
    }
  }
  if (ref.tag.empty() && ref.digest.empty()) {
    ref.tag = "latest";
  }
  return ref;
}

std::string descriptor_platform(const Json& m) {
  if (!m.is_object() || !m.contains("platform") || !m["platform"].is_object()) {
    return "";
  }
  const Json& p = m["platform"];
  std::string os = p.value("os", "");
  std::string arch = p.value("architecture", "");
  if (os.empty() || arch.empty() || os == "unknown") {
    return "";  // attestation manifests (buildkit marks them unknown/unknown)
  }
  std::string variant = p.value("variant", "");
  return os + "/" + arch + (variant.empty() ? "" : "/" + variant);
}

std::vector<std::string> index_platforms(const Json& index) {
  std::set<std::string> out;
  for (const auto& m : index.value("manifests", Json::array())) {
    if (std::string p = descriptor_platform(m); !p.empty()) {
      out.insert(p);
    }
  }
  return {out.begin(), out.end()};
}

bool is_index(const std::string& media_type) {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}


ImageDigest resolve_image_digest(const Reference& image_ref, const RegistryOptions& options) {
  Reference ref = api_reference(image_ref);
  const std::string& image = image_ref.text;
  RegistryTransport registry(ref, options, "repository:" + ref.repository + ":pull");
  std::string url = registry.base() + "/v2/" + ref.repository + "/manifests/" + ref.ref();
  net::Request head;
  head.method = "HEAD";
  head.url = url;
  head.headers.push_back(k_image_manifest_accept);
  net::Response h = registry.call(head, "resolving " + image);
  if (h.status == 404) {
    throw Error(Exit::not_found, core::Where{image, 0, ""}, "resolving the tag: no such manifest in the registry");
  }
  if (h.status != 200) {
    registry.unexpected("resolving " + image, h);
  }
  net::Request get;
  get.url = url;
  get.headers.push_back(k_image_manifest_accept);
  get.limits.max_body = 4u << 20;
  net::Response g = registry.call(get, "fetching the manifest of " + image);
  if (g.status == 404) {
    throw Error(Exit::not_found, core::Where{image, 0, ""}, "the manifest vanished between HEAD and GET");
  }
  if (g.status != 200) {
    registry.unexpected("fetching the manifest of " + image, g);
  }
  ImageDigest out;
  out.digest = digest_of(g.body);
  std::string vouched = !ref.digest.empty() ? ref.digest : h.header("docker-content-digest");
  if (!vouched.empty() && vouched != out.digest) {
    throw Error(Exit::check_failed, core::Where{image, 0, ""},
                "the registry names digest " + vouched + " but the manifest it sent hashes to " + out.digest);
  }
  Json manifest;
  try {
    manifest = Json::parse(g.body);
  } catch (const Json::exception& e) {
    throw Error(Exit::bad_input, core::Where{image, 0, "manifest"}, std::string("not JSON: ") + e.what());
  }
  out.media_type = manifest.is_object() ? manifest.value("mediaType", "") : "";
  if (out.media_type.empty()) {
    out.media_type = g.header("content-type");
  }
  out.platforms = index_platforms(manifest);
  return out;
}

}  // namespace galley::deliver
