// Fuzz target: a catalog layer (--data): the input as an overlay, a component and values of a
// one-file layer on its own, through the loader.
#include <string>
#include <vector>

#include "fuzz/harness.hpp"
#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"

void galley_fuzz_one(std::string_view input) {
  for (const char* path : {"overlays/fuzz.yaml", "components/fuzz.yaml", "registry.yaml"}) {
    galley::resolver::CatalogSource layer;
    layer.root = "fuzz";
    layer.files.emplace(path, std::string(input));
    try {
      (void)galley::resolver::load_catalog(std::vector<galley::resolver::CatalogSource>{layer});
    } catch (const galley::core::Error&) {
    }
  }
}
