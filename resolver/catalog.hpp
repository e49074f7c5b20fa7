#pragma once
// The loaded catalog: checked documents turned into the resolver's model. Internal to resolver/.
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/version.hpp"
#include "resolver/resolver.hpp"

namespace galley::resolver {

struct RangeText {
  core::Range range;
  std::string text;
};

struct ComponentVersion {
  std::string version;
  core::Version parsed;
  std::optional<RangeText> kubernetes;
  std::map<std::string, RangeText> components;  // required component -> range
  std::vector<std::string> accelerators;         // empty = all
  std::vector<std::string> os;                   // empty = all
  core::Json requires_json = core::Json::object();
  core::Json chart_digest;  // {digest, source} as the catalog records it; null = none recorded
};

struct Component {
  std::string name;
  std::string file;
  core::Json spec;
  std::vector<ComponentVersion> versions;  // highest first
};

// One file's place: which document, and where inside it a value sits (for provenance).
struct Origin {
  const core::Document* doc = nullptr;
  std::string path;  // field path inside doc
  std::string source() const;  // "file:line"
};

struct ComponentRef {
  std::string name;
  std::optional<bool> enabled;
  std::optional<RangeText> version;
  std::vector<std::string> values_files;  // catalog paths "root/values/x.yaml"
  std::optional<core::Json> values;       // inline
  std::vector<std::string> manifests;     // catalog paths
  Origin origin;                          // the ref itself
};

struct Constraint {
  std::string name;
  std::string value;
  Origin origin;
};

struct Overlay {
  std::string name;
  const core::Document* doc = nullptr;
  std::optional<std::string> base;
  std::map<std::string, std::string> criteria;
  std::vector<Constraint> constraints;
  std::vector<ComponentRef> refs;
  // OverlayPatch documents from later layers, applied right after this overlay, in layer order.
  std::vector<const Overlay*> patches;
};

struct Advisory {
  std::string name;
  const core::Document* doc = nullptr;
  std::optional<std::string> component;
  std::optional<RangeText> versions;
  std::map<std::string, std::string> eol_criteria;
  std::string eol_date;
  std::string warn_from;
};

// A registry rule: which values of another criterion one criterion value goes with (an OS's
// services, a platform's intents). Layers may extend the list; each entry keeps where it was stated.
struct Pairing {
  std::string criterion;             // the other criterion, e.g. "service"
  std::vector<std::string> allowed;  // its values this one goes with
  std::vector<Origin> origins;       // the registry fields that state them
};

class Catalog {
 public:
  Catalog() = default;
  Catalog(const Catalog&) = delete;  // holds pointers into itself
  Catalog& operator=(const Catalog&) = delete;

  std::map<std::string, std::vector<std::string>> vocabulary;  // criterion -> allowed values
  std::map<std::pair<std::string, std::string>, Pairing> pairings;  // (criterion, value) -> its rule
  std::map<std::string, Component> components;
  std::map<std::string, Overlay> overlays;
  std::deque<Overlay> patch_docs;    // OverlayPatch documents (owned here)
  std::map<std::string, Advisory> advisories;
  std::map<std::string, core::Document> documents;   // every parsed file by display path
  std::map<std::string, std::string> raw;            // manifests: display path -> text
  std::string digest;                                // "sha256:..."
};

// The largest catalog file read or loaded: 16 MiB.
constexpr size_t k_max_catalog_file = 16u << 20;

// The catalog's digest: sha256 over each layer's index and files (or the embedded catalog's
// build-time digest), so that the same files give the same digest wherever their folder is.
std::string catalog_digest(const std::vector<CatalogSource>& layers);

// Turns "values/x.yaml" named in a file of layer `root` into the display path "root/values/x.yaml".
// Throws core::Error(bad_input) when it escapes the root.
std::string catalog_path(const std::string& root, const std::string& relative, const core::Document& doc,
                         const std::string& field);

}  // namespace galley::resolver
