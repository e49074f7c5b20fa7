#include "validate/internal/json_text.hpp"

namespace galley::validate {

bool looks_like_json(std::string_view text) {
  size_t at = text.find_first_not_of(" \t\r\n");
  return at != std::string_view::npos && (text[at] == '{' || text[at] == '[');
}

}  // namespace galley::validate
