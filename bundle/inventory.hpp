#pragma once
// bundle.yaml: the manifest galley writes into every bundle, with the inventory of every other file
// (path, size, sha256, mode), and the comparison of a folder on disk with that inventory.
#include <map>
#include <string>
#include <vector>

#include "bundle/bundle.hpp"
#include "bundle/folder.hpp"
#include "core/document.hpp"

namespace galley::bundle {

// The inventory's mode of a file: "0755" when executable, else "0644".
const char* mode_text(bool executable);

// The inventory of `files`: one {path, size, sha256, mode} per file, sorted by path. Never throws.
core::Json inventory_of(const std::map<std::string, File>& files);

// The bytes of bundle.yaml: the head (apiVersion, kind Bundle), metadata.name `name`, and `spec`
// with spec.inventory set to the inventory of `files`. Keys are sorted, so the head comes first.
std::string manifest_text(const core::Json& name, core::Json spec, const std::map<std::string, File>& files);

// bundle.yaml's inventory (`manifest`, already schema-checked) against a folder walked with
// hashing: one line per difference, then the folder's problems (empty = the folder matches).
// bundle.yaml itself is not in its inventory. Never throws.
std::vector<std::string> inventory_differences(const core::Json& manifest, const Folder& folder);

}  // namespace galley::bundle
