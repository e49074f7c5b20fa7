// bundle.yaml's inventory: written by render, compared with the folder by attest.
#include "bundle/inventory.hpp"

#include <cstdint>
#include <set>

#include "core/hash.hpp"
#include "core/schema.hpp"
#include "core/text.hpp"
#include "core/yaml_emit.hpp"

namespace galley::bundle {

using core::Json;

const char* mode_text(bool executable) { return executable ? "0755" : "0644"; }

Json inventory_of(const std::map<std::string, File>& files) {
  Json out = Json::array();
  for (const auto& [path, f] : files) {
    out.push_back(Json{{"path", path},
                       {"size", f.bytes.size()},
                       {"sha256", core::sha256_hex(f.bytes)},
                       {"mode", mode_text(f.executable)}});
  }
  return out;
}

std::string manifest_text(const Json& name, Json spec, const std::map<std::string, File>& files) {
  spec["inventory"] = inventory_of(files);
  Json manifest = {{"apiVersion", core::k_api_version}, {"kind", k_kind}, {"metadata", {{"name", name}}}, {"spec", spec}};
  return core::to_yaml(manifest);
}

std::vector<std::string> inventory_differences(const Json& manifest, const Folder& folder) {
  std::vector<std::string> lines;
  std::set<std::string> listed = {k_manifest_file};
  for (const auto& item : manifest["spec"]["inventory"]) {
    std::string path = item["path"].get<std::string>();
    listed.insert(path);
    auto it = folder.files.find(path);
    if (it == folder.files.end()) {
      lines.push_back(core::quote_name(path) + " is in bundle.yaml's inventory but missing from the folder");
      continue;
    }
    const FileFacts& f = it->second;
    if (f.sha256 != item["sha256"].get<std::string>() || f.size != item["size"].get<std::uint64_t>()) {
      lines.push_back(core::quote_name(path) + ": sha256 " + f.sha256 + " (" + std::to_string(f.size) + " bytes) differs from bundle.yaml's " +
                      item["sha256"].get<std::string>());
    } else if ((item["mode"] == mode_text(true)) != f.executable) {
      lines.push_back(core::quote_name(path) + ": mode differs from bundle.yaml's " + item["mode"].get<std::string>());
    }
  }
  for (const auto& [path, facts] : folder.files) {
    if (!listed.contains(path)) {
      lines.push_back(core::quote_name(path) + " is in the folder but not in bundle.yaml's inventory");
    }
  }
  // Names are quoted by core::quote_name: a newline cannot forge a line, invalid UTF-8 is escaped.
  // Closed world for folders too: a folder is there only to hold a listed file.
  for (const auto& dir : folder.folders) {
    auto after = listed.lower_bound(dir + "/");
    if (after == listed.end() || !after->starts_with(dir + "/")) {
      lines.push_back(core::quote_name(dir + "/") + " is in the folder but holds nothing bundle.yaml's inventory lists");
    }
  }
  lines.insert(lines.end(), folder.problems.begin(), folder.problems.end());
  return lines;
}

}  // namespace galley::bundle
