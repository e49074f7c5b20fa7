#pragma once
// Names the probes and the judge share.
#include <string>

#include "core/document.hpp"

namespace galley::conformance {

// The namespace every probe object lives in.
inline constexpr const char* k_namespace = "galley-conformance";
// The annotation holding what the judge expects of an object: "succeeded[:MESSAGE]", "complete:N",
// "condition:TYPE", "parents-accepted", "hpa-active", "available", "exists".
inline constexpr const char* k_expect_annotation = "conformance.galley.dev/expect";

}  // namespace galley::conformance
