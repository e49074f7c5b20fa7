#pragma once
// Files embedded into the binary at build time (cmake/Embed.cmake), sorted by path.
#include <span>
#include <string_view>

namespace galley {
struct EmbeddedFile {
  std::string_view path;   // relative to its folder, e.g. "overlays/eks.yaml"
  std::string_view bytes;
};
}  // namespace galley

namespace galley::schemas_data {
std::span<const EmbeddedFile> files();  // schemas/*.schema.json
}
namespace galley::recipes_data {
std::span<const EmbeddedFile> files();  // recipes/**/*.yaml
}
namespace galley::chart_values_data {
std::span<const EmbeddedFile> files();  // recipes/charts/<component>.yaml (upstream default values), recipes/images/*.yaml
}
namespace galley::templates_data {
std::span<const EmbeddedFile> files();  // render/templates/<deployer>/<file>.mustache
}
