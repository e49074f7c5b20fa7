// The catalog's image lists read against a recipe's values, and the rewrites through their paths.
#include "resolver/images.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/yaml_emit.hpp"
#include "resolver/chart_values.hpp"
#include "resolver/internal/steps.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;
using core::Json;

namespace {

// The parts of a reference a chart may take from values, in the order they are joined.
const std::vector<std::string> k_name_parts = {"registry", "repository", "name"};

struct Entry {
  std::string name;
  std::string image;  // may hold {version}
  std::map<std::string, std::vector<std::string>> paths;  // part -> values paths, first set wins
  std::vector<std::string> when;
  std::vector<std::string> platforms;
  std::string deployed_by;
  std::vector<std::string> versions;  // the component versions the entry holds for; empty: all the list's
  std::string tag_from;               // "kubernetes": no tag set means the cluster's Kubernetes version
  std::string fetches;                // fetchesAtRunTime.what: downloaded when it runs
  std::vector<std::string> fetches_when;
};

struct ImageList {
  std::string file;
  std::vector<std::string> versions;
  std::vector<Entry> entries;  // empty when the list says spec.noImages
  core::Document doc;
};

std::vector<std::string> strings(const Json& v) {
  if (v.is_string()) {
    return {v.get<std::string>()};
  }
  return v.is_array() ? v.get<std::vector<std::string>>() : std::vector<std::string>{};
}

ImageList read_list(std::string_view bytes, const std::string& file) {
  ImageList list{file, {}, {}, core::parse_yaml(bytes, file)};
  core::check_schema(list.doc, "ImageList");
  const Json& spec = list.doc.value["spec"];
  list.versions = strings(spec["versions"]);
  for (const auto& e : spec.value("images", Json::array())) {
    Entry entry{e["name"],
                e["image"],
                {},
                strings(e.value("when", Json())),
                strings(e.value("platforms", Json())),
                e.value("deployedBy", ""),
                strings(e.value("versions", Json())),
                e.value("tagFrom", ""),
                e.contains("fetchesAtRunTime") ? e["fetchesAtRunTime"]["what"].get<std::string>() : "",
                e.contains("fetchesAtRunTime") ? strings(e["fetchesAtRunTime"].value("when", Json())) : std::vector<std::string>{}};
    const Json parts = e.value("values", Json::object());
    for (const auto& [part, paths] : parts.items()) {
      entry.paths[part] = strings(paths);
    }
    list.entries.push_back(std::move(entry));
  }
  return list;
}

// Adds the list in `bytes`, read from "recipes/<path>", to `lists` under its component (metadata.name).
void add_list(std::map<std::string, ImageList>& lists, std::string_view path, std::string_view bytes) {
  std::string file = "recipes/" + std::string(path);
  ImageList list = read_list(bytes, file);
  std::string name = list.doc.value["metadata"]["name"];
  if (std::string(path) != "images/" + name + ".yaml") {
    throw Error(Exit::bad_input, core::Where{file, list.doc.line_of("metadata.name"), "metadata.name"},
                "the file must be named after the component, images/" + name + ".yaml");
  }
  lists.emplace(name, std::move(list));
}

// Every embedded image list, by component (the file's metadata.name).
const std::map<std::string, ImageList>& image_lists() {
  static const std::map<std::string, ImageList> k_lists = [] {
    std::map<std::string, ImageList> lists;
    for (const auto& f : chart_values_data::files()) {
      if (f.path.starts_with("images/")) {
        add_list(lists, f.path, f.bytes);
      }
    }
    return lists;
  }();
  return k_lists;
}

bool truthy(const Json* v) {
  if (v == nullptr || v->is_null()) {
    return false;
  }
  if (v->is_boolean()) {
    return v->get<bool>();
  }
  if (v->is_string() || v->is_object() || v->is_array()) {
    return !v->empty() && !(v->is_string() && v->get<std::string>().empty());
  }
  return v->is_number() ? v->get<double>() != 0 : true;
}

// A scalar value as the text a `when` equality compares with; "" for anything else.
std::string scalar_text(const Json* v) {
  if (v == nullptr || v->is_null() || v->is_object() || v->is_array()) {
    return "";
  }
  return v->is_string() ? v->get<std::string>() : v->dump();
}

// One `when` condition term split into its path, its operator ("" truthy, "!" falsy, "=" or "!=" a
// value) and the value compared with.
struct WhenTerm {
  std::string path;
  std::string op;
  std::string value;
};

WhenTerm parse_when_term(const std::string& term) {
  if (size_t eq = term.find('='); eq != std::string::npos) {
    bool negate = eq > 0 && term[eq - 1] == '!';
    return {term.substr(0, negate ? eq - 1 : eq), negate ? "!=" : "=", term.substr(eq + 1)};
  }
  return term.starts_with("!") ? WhenTerm{term.substr(1), "!", ""} : WhenTerm{term, "", ""};
}

// A `when` condition's terms: "a|b" holds when any of them does.
std::vector<WhenTerm> when_terms(const std::string& condition) {
  std::vector<WhenTerm> terms;
  for (size_t start = 0;;) {
    size_t bar = condition.find('|', start);
    terms.push_back(parse_when_term(condition.substr(start, bar == std::string::npos ? std::string::npos : bar - start)));
    if (bar == std::string::npos) {
      return terms;
    }
    start = bar + 1;
  }
}

// Whether `term` holds for the value `v` (nullptr: set neither in the values nor in the chart).
bool term_holds(const WhenTerm& term, const Json* v) {
  if (term.op == "=" || term.op == "!=") {
    bool equal = v != nullptr && !v->is_null() && scalar_text(v) == term.value;
    return equal == (term.op == "=");
  }
  return truthy(v) != (term.op == "!");
}

// The first values path of `paths` holding a non-empty string, or nullptr.
const std::string* supplying(const Json& values, const std::vector<std::string>& paths) {
  for (const auto& p : paths) {
    const Json* v = value_at(values, p);
    if (v != nullptr && v->is_string() && !v->get<std::string>().empty()) {
      return &p;
    }
  }
  return nullptr;
}

// A reference's path split into the name parts a chart names paths for.
std::map<std::string, std::string> split_path(const std::string& path, const std::map<std::string, std::vector<std::string>>& paths) {
  std::map<std::string, std::string> out;
  std::string rest = path;
  if (paths.contains("name")) {
    size_t slash = rest.rfind('/');
    out["name"] = slash == std::string::npos ? rest : rest.substr(slash + 1);
    rest = slash == std::string::npos ? "" : rest.substr(0, slash);
  }
  if (paths.contains("registry") && paths.contains("repository")) {
    size_t slash = rest.find('/');
    out["registry"] = rest.substr(0, slash);
    out["repository"] = slash == std::string::npos ? "" : rest.substr(slash + 1);
  } else if (paths.contains("registry")) {
    out["registry"] = rest;
  } else {
    out["repository"] = rest;
  }
  return out;
}

std::string replace_version(std::string text, const std::string& version) {
  const std::string k_var = "{version}";
  for (size_t at = text.find(k_var); at != std::string::npos; at = text.find(k_var, at + version.size())) {
    text.replace(at, k_var.size(), version);
  }
  return text;
}

// The entry's reference at `values`: each part from its first path set, else from the default.
ImageReference resolve_reference(const Entry& e, const ImageReference& fallback, const Json& values) {
  if (auto it = e.paths.find("reference"); it != e.paths.end()) {  // one value holds the whole reference
    const std::string* path = supplying(values, it->second);
    return path != nullptr ? parse_image_reference(value_at(values, *path)->get<std::string>(), "values " + *path)
                           : fallback;
  }
  auto defaults = split_path(fallback.path, e.paths);
  auto part = [&](const std::string& name, const std::string& def) {
    auto it = e.paths.find(name);
    const std::string* path = it == e.paths.end() ? nullptr : supplying(values, it->second);
    return path != nullptr ? value_at(values, *path)->get<std::string>() : def;
  };
  std::string path;
  for (const auto& name : k_name_parts) {
    std::string value = part(name, defaults.count(name) ? defaults[name] : "");
    if (!value.empty()) {
      path += (path.empty() ? "" : "/") + value;
    }
  }
  // A digest set to "" in the values means none (the chart renders it only when set), unlike a tag,
  // whose "" means the chart's default.
  auto digest_part = [&](const std::string& name) -> std::optional<std::string> {
    auto it = e.paths.find(name);
    if (it == e.paths.end()) {
      return std::nullopt;
    }
    for (const auto& p : it->second) {
      const Json* v = value_at(values, p);
      if (v != nullptr && v->is_string()) {
        return v->get<std::string>();
      }
    }
    return std::nullopt;
  };
  ImageReference ref{path, part("tag", fallback.tag), fallback.digest};
  if (auto d = digest_part("digest")) {
    ref.digest = *d;
  } else if (auto sha = digest_part("sha")) {
    ref.digest = sha->empty() ? "" : "sha256:" + *sha;
  }
  return ref;
}

// The values path a part is written to: the one supplying it now, else the last (the chart's own).
const std::string& write_path(const Json& values, const std::vector<std::string>& paths) {
  const std::string* p = supplying(values, paths);
  return p != nullptr ? *p : paths.back();
}

// The tag a chart derives from the cluster's Kubernetes version ("1.33.2", "v1.35.1-gke.16" ->
// "v1.33.2", "v1.35.1"), or "" when `kubernetes` has no patch level.
std::string kubernetes_tag(const std::string& kubernetes) {
  std::string rest = kubernetes.starts_with("v") ? kubernetes.substr(1) : kubernetes;
  std::string tag = "v";
  for (int part = 0; part < 3; ++part) {
    size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits])) != 0) {
      ++digits;
    }
    if (digits == 0 || (part < 2 && (digits == rest.size() || rest[digits] != '.'))) {
      return "";
    }
    tag += rest.substr(0, digits) + (part < 2 ? "." : "");
    rest = rest.substr(std::min(rest.size(), digits + 1));
  }
  return tag;
}

// Whether the entry holds for the component version `version`.
bool holds_for(const Entry& e, const std::string& version) {
  return e.versions.empty() || std::find(e.versions.begin(), e.versions.end(), version) != e.versions.end();
}

const ImageList* list_for(const std::string& component, const std::string& version) {
  const auto& lists = image_lists();
  auto it = lists.find(component);
  if (it == lists.end() ||
      std::find(it->second.versions.begin(), it->second.versions.end(), version) == it->second.versions.end()) {
    return nullptr;
  }
  return &it->second;
}

std::vector<ImageUse> component_images(const RecipeComponent& c, const ImageList& list, const Json& values,
                                       const std::vector<std::string>& pools, const std::string& kubernetes) {
  std::optional<core::Document> chart;
  bool chart_read = false;
  std::vector<ImageUse> out;
  for (const auto& e : list.entries) {
    if (!holds_for(e, c.version)) {
      continue;
    }
    ImageUse use;
    use.component = c.name;
    use.version = c.version;
    use.name = e.name;
    use.reference = resolve_reference(e, parse_image_reference(replace_version(e.image, c.version), list.file), values);
    if (e.tag_from == "kubernetes" && use.reference.tag.empty() && use.reference.digest.empty()) {
      use.reference.tag = kubernetes_tag(kubernetes);
      if (use.reference.tag.empty()) {
        std::string tag_path = e.paths.contains("tag") ? e.paths.at("tag").front() : "its tag";
        use.unresolved = "its tag is the cluster's Kubernetes version (vMAJOR.MINOR.PATCH), read at install; " +
                         (kubernetes.empty() ? std::string("the recipe names no Kubernetes version")
                                             : "the recipe's Kubernetes version " + kubernetes + " has no patch level") +
                         ": set " + tag_path + " in the component's values";
      }
    }
    use.platforms = e.platforms;
    use.deployed_by = e.deployed_by;
    use.pools = pools;
    for (const auto& [part, paths] : e.paths) {
      use.paths[part] = write_path(values, paths);
    }
    // Whether every condition holds, each on the recipe's values, then the chart's defaults.
    auto all_hold = [&](const std::vector<std::string>& conditions) {
      for (const auto& w : conditions) {
        bool holds = false;
        for (const auto& term : when_terms(w)) {
          const Json* v = value_at(values, term.path);
          if (v == nullptr) {
            if (!chart_read) {
              chart = chart_values(c.name);
              chart_read = true;
            }
            v = chart ? value_at(chart->value, term.path) : nullptr;
          }
          holds = holds || term_holds(term, v);
        }
        if (!holds) {
          return false;
        }
      }
      return true;
    };
    use.deployed = all_hold(e.when);
    if (!e.fetches.empty() && all_hold(e.fetches_when)) {
      use.fetches_at_run_time = e.fetches;
    }
    out.push_back(std::move(use));
  }
  return out;
}

// How `uncovered` names a deployed image whose reference cannot be known.
std::string unresolved_line(const ImageUse& use) {
  return use.component + " " + use.version + " (image " + use.name + ": " + use.unresolved + ")";
}

}  // namespace

std::vector<std::string> run_time_fetches(const std::vector<ImageUse>& images) {
  std::set<std::string> lines;  // an image deployed in several pools is named once
  for (const auto& i : images) {
    if (i.deployed && !i.fetches_at_run_time.empty()) {
      lines.insert(i.component + " " + i.version + " image " + i.name + " (" + i.reference.str() +
                   ") downloads when it runs: " + i.fetches_at_run_time +
                   "; mirroring the image does not bring that into an air-gapped cluster");
    }
  }
  return {lines.begin(), lines.end()};
}

ImageReference through_mirror(const ImageReference& image, const std::string& mirror) {
  ImageReference out = image;
  if (!image.path.starts_with(mirror + "/")) {
    out.path = mirror + "/" + image.path;
  }
  return out;
}

std::vector<ImageUse> recipe_images(const RecipeView& recipe, const std::map<std::string, Json>& values,
                                    std::vector<std::string>& uncovered) {
  std::vector<ImageUse> out;
  for (const auto& c : recipe.components) {  // manifest and kustomize components too: their images are fixed
    const ImageList* list = list_for(c.name, c.version);
    if (list == nullptr) {
      uncovered.push_back(c.name + " " + c.version);
      continue;
    }
    auto it = values.find(c.name);
    auto k8s = recipe.criteria.fields.find("kubernetes");
    auto images = component_images(c, *list, it == values.end() ? c.values : it->second, recipe.pools_of(c.name),
                                   k8s == recipe.criteria.fields.end() ? "" : k8s->second);
    out.insert(out.end(), images.begin(), images.end());
  }
  return out;
}

std::vector<ImageReference> deployed_images(const RecipeView& recipe, const std::vector<ImageUse>& uses,
                                            std::vector<std::string>& uncovered) {
  std::map<std::string, std::string> locked;
  for (const auto& i : recipe.images) {
    locked[i.image] = i.digest;
  }
  std::map<std::string, ImageReference> unique;
  for (const auto& use : uses) {
    if (!use.unresolved.empty() && use.deployed) {
      uncovered.push_back(unresolved_line(use));
    } else if (use.deployed) {
      ImageReference ref = use.reference;
      ref.digest.clear();
      std::string key = ref.str();
      ref.digest = locked.count(key) ? locked[key] : use.reference.digest;
      unique.emplace(key, ref);
    }
  }
  std::vector<ImageReference> out;
  for (const auto& [key, ref] : unique) {
    out.push_back(ref);
  }
  return out;
}

bool mirror_component_images(const RecipeComponent& c, Json& values, const std::string& mirror,
                             std::vector<std::string>& not_rewritten) {
  const ImageList* list = list_for(c.name, c.version);
  if (list == nullptr) {
    return false;
  }
  const Json before = values;  // every image reads the values as they were, before any write
  for (const auto& e : list->entries) {
    if (!holds_for(e, c.version)) {
      continue;
    }
    ImageReference ref =
        resolve_reference(e, parse_image_reference(replace_version(e.image, c.version), list->file), before);
    if (!e.paths.contains("registry") && !e.paths.contains("repository") && !e.paths.contains("reference")) {
      not_rewritten.push_back(c.name + " " + ref.str());
      continue;
    }
    if (ref.path.starts_with(mirror + "/")) {
      continue;  // already through the mirror
    }
    if (e.paths.contains("reference")) {
      value_slot(values, write_path(before, e.paths.at("reference"))) = through_mirror(ref, mirror).str();
      continue;
    }
    auto parts = split_path(through_mirror(ref, mirror).path, e.paths);
    auto old_parts = split_path(ref.path, e.paths);
    for (const auto& name : k_name_parts) {
      if (e.paths.contains(name) && parts[name] != old_parts[name]) {  // unchanged parts stay as the chart has them
        value_slot(values, write_path(before, e.paths.at(name))) = parts[name];
      }
    }
  }
  return true;
}

void pin_component_images(const RecipeComponent& c, Json& values, const std::map<std::string, std::string>& digests,
                          std::vector<std::string>& cannot_pin) {
  const ImageList* list = list_for(c.name, c.version);
  if (list == nullptr) {
    return;
  }
  for (const auto& use : component_images(c, *list, values, {}, "")) {
    ImageReference plain = use.reference;
    plain.digest.clear();
    auto it = digests.find(plain.str());
    if (it == digests.end() || !use.deployed) {
      continue;
    }
    if (use.paths.contains("reference")) {
      value_slot(values, use.paths.at("reference")) = plain.str() + "@" + it->second;
    } else if (use.paths.contains("digest")) {
      value_slot(values, use.paths.at("digest")) = it->second;
    } else if (use.paths.contains("sha")) {
      value_slot(values, use.paths.at("sha")) = it->second.substr(it->second.find(':') + 1);
    } else if (std::string line = c.name + " " + plain.str() + "@" + it->second;
               std::find(cannot_pin.begin(), cannot_pin.end(), line) == cannot_pin.end()) {
      cannot_pin.push_back(line);
    }
  }
}

Json lock_images(const Json& recipe, const std::function<ImageLock(const ImageReference&)>& resolve,
                 std::vector<std::string>& uncovered) {
  RecipeView view = read_recipe_view(recipe);
  std::map<std::string, std::pair<ImageReference, std::vector<std::string>>> by_image;  // plain reference -> users
  for (const auto& use : recipe_images(view, {}, uncovered)) {
    if (!use.deployed) {
      continue;
    }
    if (!use.unresolved.empty()) {
      uncovered.push_back(unresolved_line(use));
      continue;
    }
    ImageReference plain = use.reference;
    plain.digest.clear();
    auto& entry = by_image[plain.str()];
    entry.first = use.reference;
    entry.second.push_back(use.component + "/" + use.name);
  }
  Json images = Json::array();
  for (const auto& [text, entry] : by_image) {
    ImageLock lock = resolve(entry.first);
    if (!entry.first.digest.empty() && entry.first.digest != lock.digest) {
      throw Error(Exit::check_failed, core::Where{entry.first.str(), 0, ""},
                  "the values pin digest " + entry.first.digest + " but the registry holds " + lock.digest);
    }
    Json item = {{"image", text}, {"digest", lock.digest}, {"usedBy", entry.second}};
    if (!lock.media_type.empty()) {
      item["mediaType"] = lock.media_type;
    }
    if (!lock.platforms.empty()) {
      item["platforms"] = lock.platforms;
    }
    images.push_back(std::move(item));
  }
  Json out = recipe;
  out["spec"]["images"] = std::move(images);
  out["metadata"]["digest"] = recipe_digest(out);
  return out;
}

Json lock_charts(const Json& recipe, const std::function<ChartPin(const std::string& component)>& pin) {
  Json out = recipe;
  for (auto& c : out["spec"]["components"]) {
    if (c.value("type", "") != "helm") {
      continue;
    }
    const std::string name = c["name"].get<std::string>();
    ChartPin now = pin(name);
    if (c.contains("chartDigest")) {  // recorded by the catalog, or by an earlier lock: must still hold
      const std::string recorded = c["chartDigest"]["digest"].get<std::string>();
      if (recorded != now.digest) {
        throw Error(Exit::check_failed, core::Where{name, 0, "chartDigest"},
                    "the chart " + c.value("chart", name) + " " + c["version"].get<std::string>() + " is " + now.digest +
                        " at its source (" + now.source + "); the recipe records " + recorded + " (" +
                        c["chartDigest"]["source"].get<std::string>() + ")");
      }
      continue;
    }
    c["chartDigest"] = {{"digest", now.digest}, {"source", now.source}};
  }
  out["metadata"]["digest"] = recipe_digest(out);
  return out;
}

namespace {

std::vector<std::string> lint_lists(const std::map<std::string, ImageList>& lists,
                                    const std::map<std::string, std::vector<std::string>>& versions,
                                    const std::map<std::string, std::vector<std::string>>& subcharts) {
  std::vector<std::string> problems;
  for (const auto& entry : lists) {
    const std::string& component = entry.first;  // plain references: clang 14 cannot capture structured bindings
    const auto& list = entry.second;
    auto where = [&](const std::string& field) {
      return core::Where{list.file, list.doc.line_of(field), field}.str() + ": ";
    };
    auto known = versions.find(component);
    if (known == versions.end()) {
      problems.push_back(where("metadata.name") + "no component " + component + " in the catalog");
      continue;
    }
    for (size_t i = 0; i < list.versions.size(); ++i) {
      if (std::find(known->second.begin(), known->second.end(), list.versions[i]) == known->second.end()) {
        problems.push_back(where(core::index("spec.versions", i)) + component + " has no version " + list.versions[i]);
      }
    }
    const Json& images = list.doc.value["spec"].value("images", Json::array());
    bool names_paths = std::any_of(images.begin(), images.end(), [](const Json& i) {
      return i.contains("values") || i.contains("when") || (i.contains("fetchesAtRunTime") && i["fetchesAtRunTime"].contains("when"));
    });
    // A list of fixed images (manifests) or of none needs no chart; one naming values paths does.
    std::optional<core::Document> chart = names_paths ? chart_values(component) : std::optional<core::Document>();
    if (names_paths && !chart) {
      problems.push_back(where("metadata.name") + component + "'s upstream values.yaml is not in recipes/charts/");
      continue;
    }
    auto sub = subcharts.count(component) ? subcharts.at(component) : std::vector<std::string>{};
    std::optional<Json> schema = names_paths ? chart_values_schema(component) : std::optional<Json>();
    auto check = [&](const std::string& path, const std::string& field) {
      Json probe = Json::object();  // the path alone, checked as a values override's keys are
      value_slot(probe, path) = "";
      if (!unknown_values_keys(chart->value, schema ? &*schema : nullptr, sub, probe).empty()) {
        problems.push_back(where(field) + "values path \"" + path + "\" does not exist in " + component +
                           "'s upstream values.yaml");
      }
    };
    for (size_t i = 0; i < images.size(); ++i) {
      std::string field = core::index("spec.images", i);
      const Json parts = images[i].value("values", Json::object());
      if (parts.contains("reference") && parts.size() > 1) {
        problems.push_back(where(core::child(field, "values")) +
                           "reference names a value holding the whole image: it takes no other part");
      }
      for (const auto& [part, paths] : parts.items()) {
        std::string part_field = core::child(core::child(field, "values"), part);
        for (const auto& p : strings(paths)) {
          check(p, part_field);
        }
      }
      for (const auto& w : strings(images[i].value("when", Json()))) {
        for (const auto& term : when_terms(w)) {
          check(term.path, core::child(field, "when"));
        }
      }
      const Json fetches = images[i].value("fetchesAtRunTime", Json::object());
      for (const auto& w : strings(fetches.value("when", Json()))) {
        for (const auto& term : when_terms(w)) {
          check(term.path, core::child(core::child(field, "fetchesAtRunTime"), "when"));
        }
      }
      auto entry_versions = strings(images[i].value("versions", Json()));
      for (size_t v = 0; v < entry_versions.size(); ++v) {
        if (std::find(list.versions.begin(), list.versions.end(), entry_versions[v]) == list.versions.end()) {
          problems.push_back(where(core::index(core::child(field, "versions"), v)) + entry_versions[v] +
                             " is not in spec.versions");
        }
      }
      try {
        parse_image_reference(images[i]["image"], list.file);
      } catch (const Error& e) {
        problems.push_back(where(core::child(field, "image")) + e.lines().front());
      }
    }
  }
  return problems;
}

}  // namespace

std::vector<std::string> lint_image_lists(const std::map<std::string, std::vector<std::string>>& versions,
                                          const std::map<std::string, std::vector<std::string>>& subcharts) {
  return lint_lists(image_lists(), versions, subcharts);
}

std::vector<std::string> lint_image_lists(const std::map<std::string, std::string>& lists,
                                          const std::map<std::string, std::vector<std::string>>& versions,
                                          const std::map<std::string, std::vector<std::string>>& subcharts) {
  std::map<std::string, ImageList> read;
  for (const auto& [path, text] : lists) {
    add_list(read, path, text);
  }
  return lint_lists(read, versions, subcharts);
}

bool has_image_list(const std::string& component) { return image_lists().contains(component); }

bool image_list_covers(const std::string& component, const std::string& version) {
  return list_for(component, version) != nullptr;
}

std::vector<std::string> image_list_formats() { return {"table", "json", "yaml", "hauler", "zarf", "skopeo-sync"}; }

std::string image_list_text(const std::vector<ImageUse>& images, const std::string& format, const std::string& name) {
  std::vector<const ImageUse*> deployed;
  for (const auto& i : images) {
    if (i.deployed && i.unresolved.empty()) {  // an unknown tag cannot be copied
      deployed.push_back(&i);
    }
  }
  if (format == "json" || format == "yaml") {
    Json list = Json::array();
    for (const auto& i : images) {
      Json paths = Json::object();
      for (const auto& [part, path] : i.paths) {
        paths[part] = path;
      }
      Json item = {{"component", i.component},
                   {"version", i.version},
                   {"name", i.name},
                   {"image", i.reference.str()},
                   {"deployed", i.deployed},
                   {"values", paths},
                   {"platforms", i.platforms},
                   {"deployedBy", i.deployed_by},
                   {"takesDigest", i.takes_digest()}};
      if (!i.pools.empty()) {
        item["pools"] = i.pools;
      }
      if (!i.unresolved.empty()) {
        item["unresolved"] = i.unresolved;
      }
      if (!i.fetches_at_run_time.empty()) {
        item["fetchesAtRunTime"] = i.fetches_at_run_time;
      }
      list.push_back(std::move(item));
    }
    Json doc = {{"recipe", name}, {"images", list}};
    return format == "json" ? core::to_pretty_json(doc) + "\n" : core::to_yaml(doc);
  }
  if (format == "hauler") {
    Json list = Json::array();
    std::set<std::string> seen;
    for (const auto* i : deployed) {
      if (seen.insert(i->reference.str()).second) {
        list.push_back(Json{{"name", i->reference.str()}});
      }
    }
    Json doc = {{"apiVersion", "content.hauler.cattle.io/v1"},
                {"kind", "Images"},
                {"metadata", {{"name", name + "-images"}}},
                {"spec", {{"images", list}}}};
    return core::to_yaml(doc);
  }
  if (format == "zarf") {
    std::map<std::string, std::vector<std::string>> by_component;
    for (const auto* i : deployed) {
      auto& refs = by_component[i->component];
      if (std::find(refs.begin(), refs.end(), i->reference.str()) == refs.end()) {
        refs.push_back(i->reference.str());
      }
    }
    Json components = Json::array();
    for (const auto& [component, refs] : by_component) {
      components.push_back(Json{{"name", component}, {"required", true}, {"images", refs}});
    }
    Json doc = {{"kind", "ZarfPackageConfig"}, {"metadata", {{"name", name}}}, {"components", components}};
    return core::to_yaml(doc);
  }
  if (format == "skopeo-sync") {
    Json doc = Json::object();
    for (const auto* i : deployed) {
      Json& refs = doc[i->reference.host()]["images"][i->reference.repository()];
      std::string ref = i->reference.digest.empty() ? i->reference.tag : i->reference.digest;
      if (ref.empty()) {
        ref = "latest";
      }
      if (std::find(refs.begin(), refs.end(), ref) == refs.end()) {
        refs.push_back(ref);
      }
    }
    return core::to_yaml(doc);
  }
  // A recipe for several pools gets a POOLS column: the pools whose nodes need the component.
  bool pooled = std::any_of(images.begin(), images.end(), [](const ImageUse& i) { return !i.pools.empty(); });
  std::vector<std::vector<std::string>> rows = {{"COMPONENT", "IMAGE", "DEPLOYED", "PLATFORMS", "VALUES"}};
  if (pooled) {
    rows[0].insert(rows[0].begin() + 1, "POOLS");
  }
  for (const auto& i : images) {
    std::string paths;
    for (const auto& [part, path] : i.paths) {
      paths += (paths.empty() ? "" : ",") + path;
    }
    std::string platforms = core::join(i.platforms, ",");
    rows.push_back({i.component, i.reference.str() + (i.unresolved.empty() ? "" : ":<unknown>"), i.deployed ? "yes" : "no", platforms.empty() ? "-" : platforms,
                    paths.empty() ? "(fixed: no value changes it)" : paths});
    if (pooled) {
      rows.back().insert(rows.back().begin() + 1, i.pools.empty() ? "-" : core::join(i.pools, ","));
    }
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c + 1 < row.size(); ++c) {
      out += row[c] + std::string(widths[c] - row[c].size() + 2, ' ');
    }
    out += row.back() + "\n";
  }
  return out;
}

}  // namespace galley::resolver
