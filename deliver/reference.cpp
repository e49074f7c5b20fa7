// OCI references: oci://HOST[:PORT]/REPOSITORY(:TAG|@sha256:DIGEST), checked before any request.
#include "core/error.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/names.hpp"

namespace galley::deliver {

using core::Error;
using core::Exit;

Reference parse_reference(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error(Exit::bad_input, core::Where{"", 0, "reference"}, shown_name(text) + ": " + why);
  };
  if (!text.starts_with("oci://")) {
    throw bad("expected oci://HOST[:PORT]/REPOSITORY:TAG or @sha256:DIGEST");
  }
  std::string rest = text.substr(6);
  size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0) {
    throw bad("names no host and repository");
  }
  Reference ref;
  ref.text = text;
  ref.host = rest.substr(0, slash);
  std::string path = rest.substr(slash + 1);
  if (ref.host.find('@') != std::string::npos) {
    // Never echoed: the part before '@' is a password more often than not.
    throw Error(Exit::bad_input, core::Where{"", 0, "reference"},
                "names credentials (USER:PASSWORD@HOST); give them through the registry's credentials, never in the reference");
  }
  if (!is_host(ref.host)) {
    throw bad(shown_name(ref.host) + " is not HOST[:PORT]");
  }
  if (size_t at = path.find('@'); at != std::string::npos) {
    ref.digest = path.substr(at + 1);
    path = path.substr(0, at);
    if (!is_sha256_digest(ref.digest)) {
      throw bad("the digest must be sha256: and 64 lowercase hex digits");
    }
  } else if (size_t colon = path.rfind(':'); colon != std::string::npos) {
    ref.tag = path.substr(colon + 1);
    path = path.substr(0, colon);
  }
  if (ref.tag.empty() && ref.digest.empty()) {
    throw bad("names no :TAG or @sha256:DIGEST");
  }
  if (!ref.tag.empty() && !is_tag(ref.tag)) {
    throw bad(shown_name(ref.tag) + " is not a valid tag");
  }
  if (!is_repository(path)) {
    throw bad(shown_name(path) + " is not a repository name (lowercase path components)");
  }
  ref.repository = path;
  return ref;
}

std::optional<std::pair<std::string, std::string>> parse_layout_source(const std::string& text) {
  const std::string k_scheme = "oci-layout:";
  if (!text.starts_with(k_scheme)) {
    return std::nullopt;
  }
  std::string dir = text.substr(k_scheme.size());
  std::string tag;
  size_t colon = dir.rfind(':');
  if (colon != std::string::npos && dir.find('/', colon) == std::string::npos) {
    tag = dir.substr(colon + 1);
    dir = dir.substr(0, colon);
  }
  if (dir.empty()) {
    throw core::Error(core::Exit::bad_input, core::Where{text, 0, ""}, "expected oci-layout:DIR[:TAG]");
  }
  return std::make_pair(dir, tag);
}

}  // namespace galley::deliver
