#pragma once
// Documents: YAML or JSON text -> JSON value, with the line of every field kept for messages.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace galley::core {

using Json = nlohmann::json;

// Limits applied while reading any input, enforced while the text is read (libyaml events, JSON
// parser callbacks) so that a refused input costs little time and memory: they turn alias bombs,
// absurd nesting, huge keys and huge files into a clear error instead of a crash or a hang.
// docs/limits.md is the table; every reader takes these defaults unless it says otherwise.
struct ReadLimits {
  size_t max_bytes = 64u << 20;     // text size
  size_t max_nodes = 1'000'000;     // scalars + collections after alias expansion
  int max_depth = 128;              // nesting of maps and lists
  size_t max_string = 1u << 20;     // bytes of one scalar value
  size_t max_key = 1024;            // bytes of one map key
  size_t max_keys = 65'536;         // keys of one map
};

// A parsed document: its JSON value, its display name, and the 1-based line of every field
// path ("" for the root, "spec.componentRefs[2].version").
struct Document {
  std::string name;
  Json value;
  std::map<std::string, int> lines;
  // Documents compiled at build time keep their lines as [path, line, path, line, ...] sorted by
  // path instead (no map to build at start-up); line_of reads it when `lines` is empty.
  Json line_table;
  int line_of(const std::string& path) const;  // nearest known ancestor's line, else 0
};

// Parses one YAML (or JSON) document. Scalars follow the YAML 1.2 core schema; duplicate keys,
// several documents, non-scalar keys, unknown tags and invalid UTF-8 are errors.
// Throws core::Error(bad_input) naming `name`, the line and the problem.
Document parse_yaml(std::string_view text, const std::string& name, const ReadLimits& limits = {});

// Parses a stream of YAML documents (Kubernetes manifests), with the same checks and limits.
std::vector<Json> parse_yaml_stream(std::string_view text, const std::string& name, const ReadLimits& limits = {});

// Checks YAML text against `limits` in one streaming pass of libyaml events, before any tree is
// built: size, depth, nodes (an alias counts as the nodes it repeats), scalar and key lengths, keys
// per map. Tags other than the core schema's (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)
// are refused: values files and catalog layers hold data, never objects. Invalid YAML is refused
// here too (libyaml's words). Throws core::Error(bad_input) naming `name`, the line and the problem.
void check_yaml_limits(std::string_view text, const std::string& name, const ReadLimits& limits = {});

// Parses JSON text with `limits` enforced while reading (nlohmann's iterative parser with a
// callback, so no tree grows past a limit). Keys in `drop` are left out wherever they occur.
// Throws core::Error(bad_input) naming `name`, the line of a syntax error, a number out of range
// (1e999) or the limit exceeded.
Json parse_json(std::string_view text, const std::string& name, const std::set<std::string>& drop = {},
                const ReadLimits& limits = {});

// How YAML 1.2's core schema reads a plain (unquoted) scalar: null, bool, integer, float or string.
Json resolve_plain_scalar(std::string_view text);

// Field path helpers: child("spec", "name") = "spec.name"; index("a", 2) = "a[2]".
// Keys with '.', '[', ']', '"' or spaces are written as ["key"].
std::string child(const std::string& path, const std::string& key);
std::string index(const std::string& path, size_t i);

}  // namespace galley::core
