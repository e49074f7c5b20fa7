// The catalog loader: checked documents of every layer (registry, components, overlays and their
// patches, advisories, values files, manifests) turned into the Catalog model, and cross-checked.
#include "resolver/catalog.hpp"

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "core/schema.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;
using core::Json;
using core::Where;
namespace fs = std::filesystem;

std::string Origin::source() const {
  if (doc == nullptr) {
    return "";
  }
  int line = doc->line_of(path);
  return line > 0 ? doc->name + ":" + std::to_string(line) : doc->name;
}

const std::vector<std::string>& criteria_keys() {
  static const std::vector<std::string> keys = {"service", "accelerator", "os",      "osVersion",
                                                "kubernetes", "intent",   "platform"};
  return keys;
}

std::string catalog_path(const std::string& root, const std::string& relative, const core::Document& doc,
                         const std::string& field) {
  fs::path p(relative);
  fs::path norm = p.lexically_normal();
  if (p.is_absolute() || relative.empty() || norm.empty() || *norm.begin() == ".." ||
      relative.find('\\') != std::string::npos) {
    throw Error(Exit::bad_input, Where{doc.name, doc.line_of(field), field},
                "path \"" + relative + "\" escapes the catalog root");
  }
  return root + "/" + norm.generic_string();
}

namespace {

// Loads one catalog into a Catalog, document by document. Members are the steps.
class Loader {
 public:
  explicit Loader(Catalog& c) : m_c(c) {}

  // Documents already checked move out of `layer` into the catalog.
  void add_layer(CatalogSource& layer, bool is_base) {
    for (const auto& [rel, bytes] : layer.files) {
      std::string name = layer.root + "/" + rel;
      if (rel.starts_with("manifests/")) {
        if (bytes.size() > k_max_catalog_file) {
          throw Error(Exit::bad_input, Where{name, 0, ""}, "file too large");
        }
        if (layer.digest.empty()) {  // the build parsed the embedded ones
          core::parse_yaml_stream(bytes, name);
        }
        m_c.raw.emplace(name, bytes);
        continue;
      }
      auto pre = layer.checked.find(rel);
      bool checked = pre != layer.checked.end();
      core::Document doc = checked ? std::move(pre->second) : core::parse_yaml(bytes, name);
      auto [it, fresh] = m_c.documents.emplace(name, std::move(doc));
      const core::Document& d = it->second;
      if (rel.starts_with("values/")) {
        if (!d.value.is_null() && !d.value.is_object()) {
          throw Error(Exit::bad_input, Where{name, 1, ""}, "a values file must be a YAML map");
        }
        continue;
      }
      std::vector<std::string> kinds;
      if (rel == "registry.yaml") {
        kinds = {"Registry"};
      } else if (rel.starts_with("components/")) {
        kinds = {"Component"};
      } else if (rel.starts_with("overlays/")) {
        kinds = is_base ? std::vector<std::string>{"Overlay"} : std::vector<std::string>{"Overlay", "OverlayPatch"};
      } else {
        kinds = {"Advisory"};
      }
      std::string kind = checked ? core::check_kind(d, kinds) : core::check_document(d, kinds);
      check_file_name(d, rel);
      if (kind == "Registry") {
        add_registry(d);
      } else if (kind == "Component") {
        add_component(d);
      } else if (kind == "Overlay") {
        add_overlay(d, layer.root);
      } else if (kind == "OverlayPatch") {
        m_patches.push_back({&d, layer.root});
      } else {
        add_advisory(d);
      }
    }
  }

  void finish() {
    for (const auto& [doc, root] : m_patches) {
      add_patch(*doc, root);
    }
    core::Diagnostics diags;
    check_pairings(diags);
    for (const auto& [name, o] : m_c.overlays) {
      check_overlay_refs(o, diags);
    }
    for (const auto& p : m_c.patch_docs) {
      check_overlay_refs(p, diags);
    }
    for (const auto& [name, comp] : m_c.components) {
      for (size_t i = 0; i < comp.versions.size(); ++i) {
        for (const auto& [req, range] : comp.versions[i].components) {
          if (!m_c.components.contains(req)) {
            const auto& d = m_c.documents.at(comp.file);
            std::string field = "spec.versions";
            diags.add(Where{d.name, d.line_of(field), field}, comp.name + " " + comp.versions[i].version +
                                                                   " requires unknown component " + req);
          }
        }
      }
    }
    for (const auto& [name, a] : m_c.advisories) {
      if (a.component && !m_c.components.contains(*a.component)) {
        diags.add(Where{a.doc->name, a.doc->line_of("spec.component.name"), "spec.component.name"},
                  "unknown component " + *a.component);
      }
      check_criteria_values(a.eol_criteria, *a.doc, "spec.endOfLife.criteria", diags);
    }
    diags.throw_if_any(Exit::bad_input);
  }

 private:
  void check_file_name(const core::Document& d, const std::string& rel) {
    if (rel == "registry.yaml") {
      return;
    }
    std::string stem = fs::path(rel).stem().string();
    std::string name = d.value["metadata"]["name"].get<std::string>();
    if (stem != name) {
      throw Error(Exit::bad_input, Where{d.name, d.line_of("metadata.name"), "metadata.name"},
                  "\"" + name + "\" does not match the file name \"" + stem + "\"");
    }
  }

  // A registry entry's rule lists and the criterion each names: an OS's services, a platform's intents.
  static const std::vector<std::pair<std::string, std::string>>& pairing_fields() {
    static const std::vector<std::pair<std::string, std::string>> fields = {{"services", "service"},
                                                                            {"intents", "intent"}};
    return fields;
  }

  // Adds the values of a registry; an entry repeating a known value must carry a rule list, which
  // then extends that value's rule (a layer adding services to an OS).
  void add_registry(const core::Document& d) {
    for (const auto& [criterion, entries] : d.value["spec"]["criteria"].items()) {
      auto& list = m_c.vocabulary[criterion];
      for (size_t i = 0; i < entries.size(); ++i) {
        std::string v = entries[i]["name"].get<std::string>();
        std::string entry = core::index(core::child("spec.criteria", criterion), i);
        bool known = std::find(list.begin(), list.end(), v) != list.end();
        bool has_rule = false;
        for (const auto& [field, other] : pairing_fields()) {
          if (!entries[i].contains(field)) {
            continue;
          }
          has_rule = true;
          Pairing& p = m_c.pairings[{criterion, v}];
          p.criterion = other;
          for (const auto& allowed : entries[i][field]) {
            if (std::find(p.allowed.begin(), p.allowed.end(), allowed.get<std::string>()) == p.allowed.end()) {
              p.allowed.push_back(allowed.get<std::string>());
            }
          }
          p.origins.push_back(Origin{&d, core::child(entry, field)});
        }
        if (known && !has_rule) {
          std::string f = core::child(entry, "name");
          throw Error(Exit::bad_input, Where{d.name, d.line_of(f), f}, criterion + " \"" + v + "\" is already defined");
        }
        if (!known) {
          list.push_back(v);
        }
      }
    }
  }

  // Every value a registry rule names must be in the vocabulary (of all layers).
  void check_pairings(core::Diagnostics& diags) {
    for (const auto& [key, p] : m_c.pairings) {
      const auto& voc = m_c.vocabulary[p.criterion];
      for (const auto& v : p.allowed) {
        if (std::find(voc.begin(), voc.end(), v) == voc.end()) {
          const Origin& o = p.origins.back();
          diags.add(Where{o.doc->name, o.doc->line_of(o.path), o.path},
                    p.criterion + " \"" + v + "\" is not in the registry (allowed: " + core::join(voc) + ")");
        }
      }
    }
  }

  RangeText range_at(const core::Document& d, const std::string& field) {
    std::string text = json_at(d, field).get<std::string>();
    auto r = core::Range::parse(text);
    if (!r) {
      throw Error(Exit::bad_input, Where{d.name, d.line_of(field), field}, "\"" + text + "\" is not a version range");
    }
    return {*r, text};
  }

  static const Json& json_at(const core::Document& d, const std::string& field) {
    // field is a simple dotted/indexed path written by this loader.
    const Json* v = &d.value;
    size_t i = 0;
    while (i < field.size()) {
      if (field[i] == '.') {
        ++i;
      }
      if (field[i] == '[') {
        size_t end = field.find(']', i);
        std::string inner = field.substr(i + 1, end - i - 1);
        if (!inner.empty() && inner[0] == '"') {
          v = &(*v)[Json::parse(inner).get<std::string>()];
        } else {
          v = &(*v)[std::stoul(inner)];
        }
        i = end + 1;
        continue;
      }
      size_t end = field.find_first_of(".[", i);
      v = &(*v)[field.substr(i, end == std::string::npos ? std::string::npos : end - i)];
      i = end == std::string::npos ? field.size() : end;
    }
    return *v;
  }

  void add_component(const core::Document& d) {
    Component c;
    c.name = d.value["metadata"]["name"].get<std::string>();
    c.file = d.name;
    c.spec = d.value["spec"];
    const Json& versions = c.spec["versions"];
    for (size_t i = 0; i < versions.size(); ++i) {
      std::string base = core::index("spec.versions", i);
      const Json& v = versions[i];
      ComponentVersion cv;
      cv.version = v["version"].get<std::string>();
      auto parsed = core::Version::parse(cv.version);
      if (!parsed) {
        std::string f = core::child(base, "version");
        throw Error(Exit::bad_input, Where{d.name, d.line_of(f), f}, "\"" + cv.version + "\" is not a version");
      }
      cv.parsed = *parsed;
      if (v.contains("requires")) {
        const Json& r = v["requires"];
        cv.requires_json = r;
        std::string rb = core::child(base, "requires");
        if (r.contains("kubernetes")) {
          cv.kubernetes = range_at(d, core::child(rb, "kubernetes"));
        }
        if (r.contains("components")) {
          for (const auto& [name, range] : r["components"].items()) {
            cv.components.emplace(name, range_at(d, core::child(core::child(rb, "components"), name)));
          }
        }
        cv.accelerators = r.value("accelerators", std::vector<std::string>{});
        cv.os = r.value("os", std::vector<std::string>{});
      }
      if (v.contains("chartDigest")) {
        if (c.spec.value("type", "") != "helm") {
          std::string f = core::child(base, "chartDigest");
          throw Error(Exit::bad_input, Where{d.name, d.line_of(f), f}, "a chart digest is for helm components only");
        }
        cv.chart_digest = v["chartDigest"];
      }
      for (const auto& other : c.versions) {
        if (core::compare(other.parsed, cv.parsed) == 0 && other.version == cv.version) {
          std::string f = core::child(base, "version");
          throw Error(Exit::bad_input, Where{d.name, d.line_of(f), f}, "version " + cv.version + " is listed twice");
        }
      }
      c.versions.push_back(std::move(cv));
    }
    std::stable_sort(c.versions.begin(), c.versions.end(), [](const auto& a, const auto& b) {
      int cmp = core::compare(a.parsed, b.parsed);
      return cmp != 0 ? cmp > 0 : a.version > b.version;
    });
    if (m_c.components.contains(c.name)) {
      throw Error(Exit::bad_input, Where{d.name, d.line_of("metadata.name"), "metadata.name"},
                  "component " + c.name + " is already defined in " + m_c.components.at(c.name).file);
    }
    m_c.components.emplace(c.name, std::move(c));
  }

  void read_overlay_body(const core::Document& d, const std::string& root, Overlay& o) {
    const Json& spec = d.value["spec"];
    if (spec.contains("constraints")) {
      for (size_t i = 0; i < spec["constraints"].size(); ++i) {
        const Json& c = spec["constraints"][i];
        std::string f = core::index("spec.constraints", i);
        o.constraints.push_back({c["name"].get<std::string>(), c["value"].get<std::string>(), Origin{&d, f}});
      }
    }
    if (spec.contains("componentRefs")) {
      const Json& refs = spec["componentRefs"];
      for (size_t i = 0; i < refs.size(); ++i) {
        std::string f = core::index("spec.componentRefs", i);
        const Json& r = refs[i];
        ComponentRef ref;
        ref.name = r["name"].get<std::string>();
        ref.origin = {&d, f};
        if (r.contains("enabled")) {
          ref.enabled = r["enabled"].get<bool>();
        }
        if (r.contains("version")) {
          ref.version = range_at(d, core::child(f, "version"));
        }
        if (r.contains("values")) {
          ref.values = r["values"];
        }
        for (const char* key : {"valuesFiles", "manifests"}) {
          if (!r.contains(key)) {
            continue;
          }
          auto& out = std::string(key) == "valuesFiles" ? ref.values_files : ref.manifests;
          for (size_t k = 0; k < r[key].size(); ++k) {
            std::string field = core::index(core::child(f, key), k);
            std::string rel = r[key][k].get<std::string>();
            std::string path = catalog_path(root, rel, d, field);
            std::string folder = std::string(key) == "valuesFiles" ? "values/" : "manifests/";
            if (!path.starts_with(root + "/" + folder)) {
              throw Error(Exit::bad_input, Where{d.name, d.line_of(field), field},
                          "\"" + rel + "\" is not under " + folder);
            }
            out.push_back(path);
          }
        }
        o.refs.push_back(std::move(ref));
      }
    }
  }

  void add_overlay(const core::Document& d, const std::string& root) {
    Overlay o;
    o.name = d.value["metadata"]["name"].get<std::string>();
    o.doc = &d;
    const Json& spec = d.value["spec"];
    if (spec.contains("base")) {
      o.base = spec["base"].get<std::string>();
    }
    if (spec.contains("criteria")) {
      for (const auto& [k, v] : spec["criteria"].items()) {
        o.criteria.emplace(k, v.get<std::string>());
      }
    }
    read_overlay_body(d, root, o);
    if (m_c.overlays.contains(o.name)) {
      throw Error(Exit::bad_input, Where{d.name, d.line_of("metadata.name"), "metadata.name"},
                  "overlay " + o.name + " is already defined in " + m_c.overlays.at(o.name).doc->name +
                      "; to change it from another catalog layer use kind OverlayPatch");
    }
    m_c.overlays.emplace(o.name, std::move(o));
  }

  void add_patch(const core::Document& d, const std::string& root) {
    Overlay p;
    p.name = d.value["metadata"]["name"].get<std::string>();
    p.doc = &d;
    read_overlay_body(d, root, p);
    auto it = m_c.overlays.find(p.name);
    if (it == m_c.overlays.end()) {
      throw Error(Exit::bad_input, Where{d.name, d.line_of("metadata.name"), "metadata.name"},
                  "OverlayPatch names overlay \"" + p.name + "\", which does not exist");
    }
    m_c.patch_docs.push_back(std::move(p));
    it->second.patches.push_back(&m_c.patch_docs.back());
  }

  void add_advisory(const core::Document& d) {
    Advisory a;
    a.name = d.value["metadata"]["name"].get<std::string>();
    a.doc = &d;
    const Json& spec = d.value["spec"];
    if (spec.contains("component")) {
      a.component = spec["component"]["name"].get<std::string>();
      a.versions = range_at(d, "spec.component.versions");
    }
    if (spec.contains("endOfLife")) {
      for (const auto& [k, v] : spec["endOfLife"]["criteria"].items()) {
        a.eol_criteria.emplace(k, v.get<std::string>());
      }
      a.eol_date = spec["endOfLife"]["date"].get<std::string>();
      a.warn_from = spec["endOfLife"].value("warnFrom", "");
    }
    if (m_c.advisories.contains(a.name)) {
      throw Error(Exit::bad_input, Where{d.name, d.line_of("metadata.name"), "metadata.name"},
                  "advisory " + a.name + " is already defined");
    }
    m_c.advisories.emplace(a.name, std::move(a));
  }

  void check_criteria_values(const std::map<std::string, std::string>& criteria, const core::Document& d,
                             const std::string& field, core::Diagnostics& diags) {
    for (const auto& [k, v] : criteria) {
      auto voc = m_c.vocabulary.find(k);
      if (voc == m_c.vocabulary.end()) {
        continue;  // osVersion is free-form
      }
      if (std::find(voc->second.begin(), voc->second.end(), v) == voc->second.end()) {
        std::string f = core::child(field, k);
        diags.add(Where{d.name, d.line_of(f), f}, k + " \"" + v + "\" is not in the registry (allowed: " +
                                                     core::join(voc->second) + ")");
      }
    }
  }

  void check_overlay_refs(const Overlay& o, core::Diagnostics& diags) {
    const core::Document& d = *o.doc;
    check_criteria_values(o.criteria, d, "spec.criteria", diags);
    if (o.base && !m_c.overlays.contains(*o.base)) {
      diags.add(Where{d.name, d.line_of("spec.base"), "spec.base"}, "base overlay \"" + *o.base + "\" does not exist");
    }
    for (const auto& ref : o.refs) {
      if (!m_c.components.contains(ref.name)) {
        std::vector<std::string> names;
        for (const auto& [n, c] : m_c.components) {
          names.push_back(n);
        }
        std::string near = core::closest(ref.name, names);
        std::string f = core::child(ref.origin.path, "name");
        diags.add(Where{d.name, d.line_of(f), f},
                  "unknown component \"" + ref.name + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
      }
      for (size_t k = 0; k < ref.values_files.size(); ++k) {
        const auto& p = ref.values_files[k];
        if (!m_c.documents.contains(p)) {
          std::string f = core::index(core::child(ref.origin.path, "valuesFiles"), k);
          diags.add(Where{d.name, d.line_of(f), f}, "values file " + p + " does not exist in the catalog's values/");
        }
      }
      for (size_t k = 0; k < ref.manifests.size(); ++k) {
        if (!m_c.raw.contains(ref.manifests[k])) {
          std::string f = core::index(core::child(ref.origin.path, "manifests"), k);
          diags.add(Where{d.name, d.line_of(f), f}, "manifest " + ref.manifests[k] + " does not exist in the catalog's manifests/");
        }
      }
    }
  }

  Catalog& m_c;
  std::vector<std::pair<const core::Document*, std::string>> m_patches;
};

}  // namespace

std::shared_ptr<const Catalog> load_catalog(std::vector<CatalogSource>&& layers) {
  auto c = std::make_shared<Catalog>();
  c->digest = catalog_digest(layers);
  Loader loader(*c);
  for (size_t i = 0; i < layers.size(); ++i) {
    loader.add_layer(layers[i], i == 0);
  }
  loader.finish();
  return c;
}

std::shared_ptr<const Catalog> load_catalog(const std::vector<CatalogSource>& layers) {
  return load_catalog(std::vector<CatalogSource>(layers));
}

}  // namespace galley::resolver
