#include "core/image_reference.hpp"

#include "core/error.hpp"

namespace galley::core {

std::string ImageReference::str() const {
  return path + (tag.empty() ? "" : ":" + tag) + (digest.empty() ? "" : "@" + digest);
}

std::string ImageReference::host() const { return path.substr(0, path.find('/')); }

std::string ImageReference::repository() const {
  size_t slash = path.find('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

ImageReference parse_image_reference(const std::string& text, const std::string& field) {
  ImageReference ref;
  std::string rest = text;
  if (size_t at = rest.find('@'); at != std::string::npos) {
    ref.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
  }
  size_t colon = rest.rfind(':');
  size_t slash = rest.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    ref.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  ref.path = rest;
  if (ref.path.empty()) {
    throw Error(Exit::bad_input, Where{field, 0, ""}, "\"" + text + "\" is not an image reference");
  }
  return ref;
}

}  // namespace galley::core
