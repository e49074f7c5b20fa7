// The embedded checklists (conformance/data/checklists, copied byte for byte from upstream), read
// once, and the names Galley gives their requirements' tests.
#include <algorithm>
#include <cctype>
#include <memory>

#include "conformance/conformance.hpp"
#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"

namespace galley::conformance_data {
std::span<const EmbeddedFile> files();  // conformance/data/checklists/AIConformance-<minor>.yaml
}

namespace galley::conformance {

using core::Json;

namespace {

// "AIConformance-1.37.yaml" -> "v1.37"; "" for any other name.
std::string version_of_file(std::string_view path) {
  constexpr std::string_view prefix = "checklists/AIConformance-";
  constexpr std::string_view suffix = ".yaml";
  if (!path.starts_with(prefix) || !path.ends_with(suffix)) {
    return "";
  }
  return "v" + std::string(path.substr(prefix.size(), path.size() - prefix.size() - suffix.size()));
}

Checklist read_checklist(const std::string& version, std::string_view text) {
  Checklist c;
  c.version = version;
  c.text = std::string(text);
  core::Document doc = core::parse_yaml(text, "AIConformance-" + version.substr(1) + ".yaml");
  // Categories in the order the text has them (the JSON object is sorted by key).
  std::vector<std::pair<int, std::string>> order;
  for (const auto& [category, list] : doc.value.at("spec").items()) {
    order.emplace_back(doc.line_of(core::child("spec", category)), category);
  }
  std::sort(order.begin(), order.end());
  for (const auto& [line, category] : order) {
    for (const auto& r : doc.value["spec"][category]) {
      c.requirements.push_back(Requirement{category, r.at("id").get<std::string>(), r.at("description").get<std::string>(),
                                           r.at("level").get<std::string>()});
    }
  }
  return c;
}

const std::vector<Checklist>& all() {
  static const std::vector<Checklist> lists = [] {
    std::vector<Checklist> out;
    for (const auto& f : conformance_data::files()) {
      std::string v = version_of_file(f.path);
      if (!v.empty()) {
        out.push_back(read_checklist(v, f.bytes));
      }
    }
    std::sort(out.begin(), out.end(), [](const Checklist& a, const Checklist& b) {
      return std::stoi(a.version.substr(3)) < std::stoi(b.version.substr(3));
    });
    return out;
  }();
  return lists;
}

}  // namespace

const Requirement* Checklist::find(const std::string& id) const {
  for (const auto& r : requirements) {
    if (r.id == id) {
      return &r;
    }
  }
  return nullptr;
}

std::vector<std::string> versions() {
  std::vector<std::string> out;
  for (const auto& c : all()) {
    out.push_back(c.version);
  }
  return out;
}

const Checklist& checklist(const std::string& version) {
  std::string v = version.starts_with("v") ? version : "v" + version;
  for (const auto& c : all()) {
    if (c.version == v) {
      return c;
    }
  }
  throw core::Error(core::Exit::bad_input, core::OptionField{"version"},
                    "no AI Conformance checklist for \"" + version + "\"; known: " + core::join(versions()));
}

std::string checklist_digest(const std::string& version) { return "sha256:" + core::sha256_hex(checklist(version).text); }

bool must_allows_na(const std::string& id) { return id == "cluster_autoscaling"; }

std::string test_name(const std::string& id) {
  if (id == "cluster_autoscaling") {
    return "TestAcceleratorClusterAutoscaling";  // the validator's name, not the id's
  }
  std::string out = "Test";
  bool upper = true;
  for (char ch : id) {
    if (ch == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    upper = false;
  }
  return out;
}

}  // namespace galley::conformance
