#pragma once
// The byte encodings DSSE uses (encoding.cpp); internal to attest/.
#include <string>
#include <string_view>

#include "core/base64.hpp"

namespace galley::attest {

using core::base64_decode;  // standard or URL-safe alphabet, padding optional (as DSSE requires)
using core::base64_encode;
// DSSE v1 pre-authentication encoding: "DSSEv1 LEN(type) type LEN(body) body".
std::string pae(std::string_view type, std::string_view body);

}  // namespace galley::attest
