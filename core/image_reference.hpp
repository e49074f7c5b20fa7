#pragma once
// Container image references ("host[:port]/path[:tag][@digest]"), split once for every library that
// names images: resolver (the catalog's image lists), deliver (the registry API) and cli.
#include <string>

namespace galley::core {

// A parsed image reference: registry-qualified path, tag and digest (either may be empty).
struct ImageReference {
  std::string path;    // "nvcr.io/nvidia/gpu-operator"
  std::string tag;     // "v26.7.0"
  std::string digest;  // "sha256:..."

  // "path[:tag][@digest]".
  std::string str() const;
  // The registry host: the first path segment.
  std::string host() const;
  // The path after the host ("nvidia/gpu-operator").
  std::string repository() const;
};

// Splits "host/path:tag@digest". Throws core::Error(bad_input) naming `field` for an empty path.
ImageReference parse_image_reference(const std::string& text, const std::string& field);

}  // namespace galley::core
