// Privacy by default: identifying values become salted hashes. The same value and salt always give
// the same pseudonym, so two snapshots of one fleet can still be compared node by node.
#include <cctype>

#include "core/hash.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

using core::Json;

namespace {

bool is_ipv4_at(const std::string& s, size_t i, size_t& end) {
  int dots = 0;
  size_t j = i;
  int digits = 0;
  while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) != 0 || s[j] == '.')) {
    if (s[j] == '.') {
      if (digits == 0) {
        return false;
      }
      ++dots;
      digits = 0;
    } else if (++digits > 3) {
      return false;
    }
    ++j;
  }
  end = j;
  return dots == 3 && digits > 0;
}

// Replaces every dotted-quad IPv4 address inside free text (the kernel command line).
std::string hash_ipv4s(const std::string& text, const std::string& salt) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = 0;
    bool boundary = i == 0 || std::isalnum(static_cast<unsigned char>(text[i - 1])) == 0;
    if (boundary && std::isdigit(static_cast<unsigned char>(text[i])) != 0 && is_ipv4_at(text, i, end)) {
      out += pseudonym(text.substr(i, end - i), salt);
      i = end;
    } else {
      out += text[i++];
    }
  }
  return out;
}

void hash_field(Json& obj, const char* key, const std::string& salt) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_string()) {
    obj[key] = pseudonym(obj[key].get<std::string>(), salt);
  }
}

void hash_cluster_node(Json& n, const std::string& salt) {
  std::string name = n.value("name", "");
  for (auto& [key, value] : n["labels"].items()) {
    size_t end = 0;
    std::string v = value.get<std::string>();
    if (key == "kubernetes.io/hostname" || v == name || (is_ipv4_at(v, 0, end) && end == v.size())) {
      value = pseudonym(v, salt);
    }
  }
  hash_field(n, "name", salt);
  hash_field(n, "providerID", salt);
  for (auto& a : n["addresses"]) {
    hash_field(a, "address", salt);
  }
}

}  // namespace

std::string pseudonym(const std::string& value, const std::string& salt) {
  if (value.starts_with("sha256:")) {
    return value;
  }
  return "sha256:" + core::sha256_hex(salt + value).substr(0, 16);
}

void apply_privacy(Json& snapshot, const std::string& salt) {
  Json& node = snapshot["spec"]["node"];
  hash_field(node, "hostname", salt);
  if (node.contains("cmdline") && node["cmdline"].contains("value")) {
    node["cmdline"]["value"] = hash_ipv4s(node["cmdline"]["value"].get<std::string>(), salt);
  }
  if (node.contains("gpus") && node["gpus"].contains("devices")) {
    for (auto& gpu : node["gpus"]["devices"]) {
      hash_field(gpu, "uuid", salt);
      hash_field(gpu, "serial", salt);
    }
  }
  Json& cluster = snapshot["spec"]["cluster"];
  if (cluster.contains("nodes")) {
    for (auto& n : cluster["nodes"]) {
      hash_cluster_node(n, salt);
    }
  }
  if (cluster.contains("resourceSlices") && cluster["resourceSlices"].contains("items")) {
    for (auto& slice : cluster["resourceSlices"]["items"]) {
      // A driver's pool is usually named after its node: hash it when it is.
      if (slice.value("pool", "") == slice.value("nodeName", "") && slice.contains("pool")) {
        hash_field(slice, "pool", salt);
      }
      hash_field(slice, "nodeName", salt);
    }
  }
  snapshot["metadata"]["privacy"] = "hashed";
}

}  // namespace galley::validate
