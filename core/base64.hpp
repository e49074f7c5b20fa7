#pragma once
// Base64 (RFC 4648): DSSE envelopes, Sigstore bundles, registry credentials.
#include <optional>
#include <string>
#include <string_view>

namespace galley::core {

// Standard alphabet, padded.
std::string base64_encode(std::string_view bytes);

// Standard or URL-safe alphabet, padding optional; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace galley::core
