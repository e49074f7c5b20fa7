#pragma once
// What image_digest.cpp and mirror.cpp share about container images on the distribution API.
// Internal to deliver/.
#include <string>
#include <vector>

#include "core/document.hpp"
#include "deliver/deliver.hpp"

namespace galley::deliver {

// The reference as the distribution API takes it: Docker Hub's API host (registry-1.docker.io) and
// library/ namespace, "latest" when neither tag nor digest is given. Throws core::Error(bad_input)
// for a reference without host or repository.
Reference api_reference(Reference ref);

// os/arch[/variant] of a manifest descriptor's platform, or "" when it has none (or unknown/unknown,
// the mark of an attestation manifest).
std::string descriptor_platform(const core::Json& descriptor);

// The platforms an index lists, sorted, each once.
std::vector<std::string> index_platforms(const core::Json& index);

// Whether a manifest's media type (or its bytes' mediaType) is a multi-platform index.
bool is_index(const std::string& media_type);

}  // namespace galley::deliver
