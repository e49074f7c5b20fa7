// The DSSE pre-authentication encoding (base64 is core/base64.hpp).
#include <array>

#include "attest/internal/encoding.hpp"

namespace galley::attest {


std::string pae(std::string_view type, std::string_view body) {
  std::string out = "DSSEv1 " + std::to_string(type.size()) + " ";
  out += type;
  out += " " + std::to_string(body.size()) + " ";
  out += body;
  return out;
}

}  // namespace galley::attest
