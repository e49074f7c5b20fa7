// Build step: compiles the catalog in recipes/ into one CBOR file that the binary embeds.
//
// Every YAML file is parsed and every document checked against its schema here, at build time, so
// a broken catalog fails the build and `galley` does not pay for YAML parsing and schema checks of
// its own catalog on every run (they were two thirds of `galley recipe`'s time). The output keeps
// each file's parsed value and the line of every field (for messages and provenance), and the
// digest of all the files' exact texts (the catalog digest); the texts themselves stay behind.
//
// Usage: compile_catalog ROOT LIST OUT   (LIST: one path relative to ROOT per line)
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "core/document.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/schema.hpp"
#include "core/yaml_emit.hpp"

using galley::core::Json;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: compile_catalog ROOT LIST OUT\n";
    return 2;
  }
  std::string root = argv[1];
  Json files = Json::object();
  std::map<std::string, std::string> texts;
  try {
    std::ifstream list(argv[2]);
    std::string rel;
    while (std::getline(list, rel)) {
      if (rel.empty()) {
        continue;
      }
      std::string display = "recipes/" + rel;
      std::string text = galley::core::read_file(root + "/" + rel);
      texts[rel] = text;
      Json entry = Json::object();
      if (rel.starts_with("manifests/")) {
        galley::core::parse_yaml_stream(text, display);
        entry["text"] = text;  // manifests are copied into recipes as written
      } else {
        galley::core::Document doc = galley::core::parse_yaml(text, display);
        if (doc.value.is_object() && doc.value.contains("kind") && !rel.starts_with("values/")) {
          galley::core::check_schema(doc, doc.value["kind"].get<std::string>());
        }
        entry["value"] = doc.value;
        Json flat = Json::array();  // [path, line, ...] in path order: cheap to read back into a map
        for (const auto& [path, line] : doc.lines) {
          flat.push_back(path);
          flat.push_back(line);
        }
        entry["lines"] = std::move(flat);
      }
      files[rel] = entry;
    }
  } catch (const galley::core::Error& e) {
    for (const auto& line : e.lines()) {
      std::cerr << "catalog: error: " << line << '\n';
    }
    return 1;
  }
  // CBOR, not JSON text: the binary parses it at every start, and CBOR reads several times faster.
  // The texts of parsed documents are not needed at run time, only their digest.
  Json compiled = {{"files", files}, {"digest", galley::core::files_digest(texts)}};
  std::vector<std::uint8_t> cbor = Json::to_cbor(compiled);
  galley::core::write_file_atomic(argv[3], std::string(cbor.begin(), cbor.end()));
  return 0;
}
