#pragma once
// The template set: embedded render/templates/*.mustache, optionally overridden by name, rendered
// strictly: a variable with no value is an error, never an empty string. Internal to render/.
#include <map>
#include <string>
#include <vector>

#include "core/document.hpp"

namespace galley::render {

class Templates {
 public:
  // Throws core::Error(bad_input) for an override whose name is not a template, or that does not
  // parse as Mustache.
  explicit Templates(const std::map<std::string, std::string>& overrides);

  // Renders template `name` ("helm/deploy.sh") with `data`. Throws core::Error(bad_input) naming
  // the template and the variable that has no value.
  std::string render(const std::string& name, const core::Json& data) const;

  // sha256 over every template's name and text, as used: recorded in bundle.yaml.
  std::string digest() const;

  static std::vector<std::string> names();

 private:
  std::map<std::string, std::string> m_texts;
};

}  // namespace galley::render
