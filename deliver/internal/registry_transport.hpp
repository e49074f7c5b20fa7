#pragma once
// The registry's HTTP: net's client plus what the OCI distribution API adds to it: retries of
// transient failures, and the Basic or Bearer (token service) authentication a 401 asks for. Not
// part of the library's interface.
#include <string>

#include "deliver/deliver.hpp"
#include "net/http_client.hpp"

namespace galley::deliver {

// The Accept header for an image's manifest: multi-platform indexes and single manifests, OCI and
// Docker schema 2.
inline constexpr const char* k_image_manifest_accept =
    "Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

// Requests to one repository of one registry, sharing connections and the authorization won.
class RegistryTransport {
 public:
  // `scope` is the token scope asked for ("repository:NAME:pull,push"). Throws core::Error(io) when
  // libcurl cannot be loaded.
  RegistryTransport(const Reference& ref, const RegistryOptions& options, std::string scope);

  // "http://HOST[:PORT]" or "https://HOST[:PORT]".
  const std::string& base() const { return m_base; }

  // Sends `request` with the authorization won so far, its stall timeout the options'. A transient
  // failure (no connection, a timeout, HTTP 5xx or 429) is tried again up to options.attempts; a 401
  // authenticates as its challenge asks and sends once more. Returns any other response. Throws
  // core::Error: io naming `step` (unreachable, unauthorized, a refusing token service); bad_input
  // for a response over request.limits.max_body.
  net::Response call(net::Request request, const std::string& step);

  // Uploads a blob to the repository at `repo_url` ("BASE/v2/NAME") in one request: a POST opens
  // the session (unless `location` is one already opened, as a refused mount does), a PUT with
  // ?digest= sends the bytes, or the file `file` streamed when it is given (bytes then unused).
  // Throws core::Error: io as call() and for an unexpected status, check_failed when the registry
  // says it stored another digest.
  void upload_blob(const std::string& repo_url, const std::string& digest, const std::string& bytes, std::string location,
                   const std::string& file = "");

  // Throws core::Error(io): `step` got the status of `r`, which it cannot use; the start of the body.
  [[noreturn]] void unexpected(const std::string& step, const net::Response& r) const;

 private:
  net::Response with_retries(const net::Request& request, const std::string& step);
  void authenticate(const std::string& challenge, const std::string& step);

  net::Client m_client;
  Reference m_ref;
  RegistryOptions m_options;
  std::string m_scope;
  std::string m_base;
  std::string m_authorization;  // "" or "Basic ..." / "Bearer ..."
};

}  // namespace galley::deliver
