// Where catalog files come from: the embedded catalog (compiled to CBOR at build time) and
// catalog folders given as layers; and the digest over the layers.
#include <filesystem>

#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "resolver/catalog.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;
using core::Json;
using core::Where;

CatalogSource embedded_source() {
  // recipes/ compiled by tools/compile_catalog.cpp into CBOR: {"files": {path: {text, value?, lines?}}}.
  CatalogSource s;
  s.root = "recipes";
  for (const auto& f : recipes_data::files()) {
    Json compiled = Json::from_cbor(f.bytes.begin(), f.bytes.end());
    s.digest = compiled["digest"].get<std::string>();
    for (auto& [rel, entry] : compiled["files"].items()) {
      s.files.emplace(rel, entry.contains("text") ? std::move(entry["text"].get_ref<std::string&>()) : std::string());
      if (entry.contains("value")) {
        core::Document doc;
        doc.name = s.root + "/" + rel;
        doc.value = std::move(entry["value"]);
        doc.line_table = std::move(entry["lines"]);  // [path, line, ...] sorted by path
        s.checked.emplace(rel, std::move(doc));
      }
    }
  }
  return s;
}

namespace {

namespace fs = std::filesystem;

constexpr size_t k_max_catalog_files = 100'000;

bool is_yaml_name(const std::string& p) { return p.ends_with(".yaml") || p.ends_with(".yml"); }

// Where a file may sit in a catalog folder; anything else is refused.
bool allowed_catalog_path(const std::string& rel) {
  if (rel == "registry.yaml") {
    return true;
  }
  for (const char* dir : {"components/", "overlays/", "advisories/"}) {
    if (rel.starts_with(dir) && rel.find('/', std::string(dir).size()) == std::string::npos && is_yaml_name(rel)) {
      return true;
    }
  }
  return (rel.starts_with("values/") || rel.starts_with("manifests/")) && is_yaml_name(rel);
}

}  // namespace

CatalogSource read_catalog_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    throw Error(Exit::not_found, Where{dir, 0, ""}, "no such catalog folder");
  }
  if (!fs::is_directory(dir, ec)) {
    throw Error(Exit::bad_input, Where{dir, 0, ""}, "a catalog layer must be a folder");
  }
  CatalogSource s;
  s.root = fs::path(dir).lexically_normal().string();
  while (s.root.size() > 1 && s.root.back() == '/') {
    s.root.pop_back();
  }
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    // Lexically: fs::relative resolves links and throws on a link loop.
    std::string rel = it->path().lexically_normal().lexically_relative(s.root).generic_string();
    if (it->is_symlink()) {
      throw Error(Exit::bad_input, Where{s.root + "/" + rel, 0, ""}, "symbolic links are not allowed in a catalog");
    }
    if (it->is_directory()) {
      continue;
    }
    if (!it->is_regular_file() || !allowed_catalog_path(rel)) {
      throw Error(Exit::bad_input, Where{s.root + "/" + rel, 0, ""},
                  "unexpected file in a catalog folder (allowed: registry.yaml, components/*.yaml, "
                  "overlays/*.yaml, advisories/*.yaml, values/**.yaml, manifests/**.yaml)");
    }
    if (s.files.size() >= k_max_catalog_files) {
      throw Error(Exit::bad_input, Where{s.root, 0, ""}, "more than 100000 files in a catalog folder");
    }
    s.files.emplace(rel, core::read_file(it->path().string(), k_max_catalog_file));
  }
  if (ec) {
    throw Error(Exit::io, Where{dir, 0, ""}, "cannot read folder: " + ec.message());
  }
  return s;
}

std::string catalog_digest(const std::vector<CatalogSource>& layers) {
  // Layer index, not the folder's name: the same files give the same digest wherever they sit.
  core::Sha256 h;
  for (size_t i = 0; i < layers.size(); ++i) {
    h.update(std::to_string(i) + ":" + (layers[i].digest.empty() ? core::files_digest(layers[i].files) : layers[i].digest) +
             "\n");
  }
  return "sha256:" + h.hex();
}

}  // namespace galley::resolver
