// OCI references: oci://HOST[:PORT]/REPOSITORY(:TAG|@sha256:DIGEST), checked before any request.
#include <regex>

#include "core/error.hpp"
#include "deliver/deliver.hpp"

namespace galley::deliver {

using core::Error;
using core::Exit;

Reference parse_reference(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error(Exit::bad_input, core::Where{"", 0, "reference"}, "\"" + text + "\": " + why);
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
  static const std::regex k_host(R"([A-Za-z0-9.-]+(:[0-9]{1,5})?)");
  if (!std::regex_match(ref.host, k_host)) {
    throw bad("\"" + ref.host + "\" is not HOST[:PORT]");
  }
  if (size_t at = path.find('@'); at != std::string::npos) {
    ref.digest = path.substr(at + 1);
    path = path.substr(0, at);
    static const std::regex k_digest("sha256:[a-f0-9]{64}");
    if (!std::regex_match(ref.digest, k_digest)) {
      throw bad("the digest must be sha256: and 64 lowercase hex digits");
    }
  } else if (size_t colon = path.rfind(':'); colon != std::string::npos) {
    ref.tag = path.substr(colon + 1);
    path = path.substr(0, colon);
  }
  if (ref.tag.empty() && ref.digest.empty()) {
    throw bad("names no :TAG or @sha256:DIGEST");
  }
  static const std::regex k_tag("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  if (!ref.tag.empty() && !std::regex_match(ref.tag, k_tag)) {
    throw bad("\"" + ref.tag + "\" is not a valid tag");
  }
  static const std::regex k_repo("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
  if (!std::regex_match(path, k_repo)) {
    throw bad("\"" + path + "\" is not a repository name (lowercase path components)");
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
