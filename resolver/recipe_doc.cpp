// Recipe documents: digest, load check, path selection, explain and diff.
#include "resolver/recipe_doc.hpp"

#include <variant>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/schema.hpp"
#include "core/yaml_emit.hpp"
#include "core/version.hpp"
#include "core/yaml_fast.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;
using core::Json;

std::string recipe_digest(const Json& doc) {
  Json copy = doc;
  if (copy.contains("metadata") && copy["metadata"].is_object()) {
    copy["metadata"].erase("digest");
  }
  return "sha256:" + core::sha256_hex(core::canonical_json(copy));
}

void check_recipe(const core::Document& doc) {
  core::check_schema(doc, "Recipe");
  std::string stated = doc.value["metadata"]["digest"].get<std::string>();
  std::string actual = recipe_digest(doc.value);
  if (stated != actual) {
    throw Error(Exit::bad_input, core::Where{doc.name, doc.line_of("metadata.digest"), "metadata.digest"},
                "digest " + stated + " does not match the recipe's content (" + actual + "); the file was changed");
  }
}

core::Document read_recipe(const std::string& path, const std::function<void(const core::Document&)>& also) {
  return core::read_checked(core::read_input(path), core::input_name(path), [&also](const core::Document& doc) {
    check_recipe(doc);
    if (also) {
      also(doc);
    }
  });
}

Json recipe_view(const Json& recipe) {
  Json view = recipe.at("spec");
  Json by_name = Json::object();
  for (const auto& c : view["components"]) {
    by_name[c["name"].get<std::string>()] = c;
  }
  view["components"] = by_name;
  view["name"] = recipe["metadata"]["name"];
  view["digest"] = recipe["metadata"]["digest"];
  return view;
}

namespace {

using Segment = std::variant<std::string, size_t>;

std::vector<Segment> parse_path(const std::string& path) {
  std::vector<Segment> out;
  size_t i = 0;
  auto bad = [&](const std::string& why) {
    return Error(Exit::bad_input, core::OptionField{"selector"}, "\"" + path + "\": " + why);
  };
  if (path.empty()) {
    throw bad("empty path");
  }
  while (i < path.size()) {
    if (path[i] == '[') {
      size_t end = i + 1;
      if (end < path.size() && path[end] == '"') {
        ++end;
        while (end < path.size() && path[end] != '"') {
          end += path[end] == '\\' ? 2 : 1;
        }
        if (end + 1 >= path.size() || path[end + 1] != ']') {
          throw bad("unterminated [\"key\"]");
        }
        try {
          out.emplace_back(Json::parse(path.substr(i + 1, end - i)).get<std::string>());
        } catch (const Json::exception&) {
          throw bad("bad quoted key");
        }
        i = end + 2;
      } else {
        size_t close = path.find(']', i);
        std::string num = close == std::string::npos ? "" : path.substr(i + 1, close - i - 1);
        if (num.empty() || num.size() > 9 || num.find_first_not_of("0123456789") != std::string::npos) {
          throw bad("expected [number] or [\"key\"]");
        }
        out.emplace_back(static_cast<size_t>(std::stoul(num)));
        i = close + 1;
      }
    } else {
      if (path[i] == '.') {
        if (out.empty() || i + 1 >= path.size()) {
          throw bad("misplaced '.'");
        }
        ++i;
        if (path[i] == '[') {
          continue;
        }
      }
      size_t end = path.find_first_of(".[", i);
      std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
      if (key.empty()) {
        throw bad("empty key");
      }
      out.emplace_back(key);
      i = end == std::string::npos ? path.size() : end;
    }
  }
  return out;
}

std::optional<Json> walk(const Json& root, const std::vector<Segment>& segments) {
  const Json* v = &root;
  for (const auto& s : segments) {
    if (const auto* key = std::get_if<std::string>(&s)) {
      if (!v->is_object() || !v->contains(*key)) {
        return std::nullopt;
      }
      v = &(*v)[*key];
    } else {
      size_t i = std::get<size_t>(s);
      if (!v->is_array() || i >= v->size()) {
        return std::nullopt;
      }
      v = &(*v)[i];
    }
  }
  return *v;
}

// The same path written the canonical way (as provenance keys are).
std::string canonical_path(const std::vector<Segment>& segments) {
  std::string p;
  for (const auto& s : segments) {
    if (const auto* key = std::get_if<std::string>(&s)) {
      p = core::child(p, *key);
    } else {
      p = core::index(p, std::get<size_t>(s));
    }
  }
  return p;
}

void flatten(const Json& v, const std::string& path, std::map<std::string, Json>& out) {
  if (v.is_object() && !v.empty()) {
    for (const auto& [k, c] : v.items()) {
      flatten(c, core::child(path, k), out);
    }
    return;
  }
  out[path] = v;
}

// Paths whose value differs between `fa` and `fb`: [{path, from, to, change}], sorted by path.
Json changes(const std::map<std::string, Json>& fa, const std::map<std::string, Json>& fb) {
  Json out = Json::array();
  for (const auto& [path, v] : fa) {
    auto it = fb.find(path);
    if (it == fb.end()) {
      out.push_back(Json{{"path", path}, {"from", v}, {"to", nullptr}, {"change", "removed"}});
    } else if (it->second != v) {
      out.push_back(Json{{"path", path}, {"from", v}, {"to", it->second}, {"change", "changed"}});
    }
  }
  for (const auto& [path, v] : fb) {
    if (!fa.contains(path)) {
      out.push_back(Json{{"path", path}, {"from", nullptr}, {"to", v}, {"change", "added"}});
    }
  }
  std::sort(out.begin(), out.end(), [](const Json& x, const Json& y) { return x["path"] < y["path"]; });
  return out;
}

}  // namespace

std::optional<Json> select(const Json& recipe, const std::string& path) {
  return walk(recipe_view(recipe), parse_path(path));
}

std::optional<Json> explain(const Json& recipe, const std::string& path) {
  auto segments = parse_path(path);
  Json view = recipe_view(recipe);
  auto value = walk(view, segments);
  if (!value) {
    return std::nullopt;
  }
  std::string canonical = canonical_path(segments);
  Json out = {{"path", canonical}, {"value", *value}};
  const Json& prov = recipe["spec"]["provenance"];
  Json history = Json::array();
  for (const auto& [key, entries] : prov.items()) {
    if (key == canonical || key.starts_with(canonical + ".") || key.starts_with(canonical + "[")) {
      for (const auto& e : entries) {
        Json entry = e;
        if (key != canonical) {
          entry["path"] = key;
        }
        history.push_back(entry);
      }
    }
  }
  out["history"] = history;
  if (segments.size() >= 3 && std::get_if<std::string>(&segments[0]) &&
      std::get<std::string>(segments[0]) == "components" && std::get_if<std::string>(&segments[2]) &&
      std::get<std::string>(segments[2]) == "version") {
    out["selection"] = view["components"][std::get<std::string>(segments[1])]["selection"];
  }
  return out;
}

Json diff(const Json& a, const Json& b) {
  Json va = recipe_view(a);
  Json vb = recipe_view(b);
  Json added = Json::array();
  Json removed = Json::array();
  Json changed = Json::array();
  for (const auto& [name, c] : va["components"].items()) {
    if (!vb["components"].contains(name)) {
      removed.push_back(Json{{"name", name}, {"version", c["version"]}});
    } else if (vb["components"][name]["version"] != c["version"]) {
      changed.push_back(Json{{"name", name}, {"from", c["version"]}, {"to", vb["components"][name]["version"]}});
    }
  }
  for (const auto& [name, c] : vb["components"].items()) {
    if (!va["components"].contains(name)) {
      added.push_back(Json{{"name", name}, {"version", c["version"]}});
    }
  }
  std::map<std::string, Json> fa;
  std::map<std::string, Json> fb;
  for (const auto& [name, c] : va["components"].items()) {
    flatten(c["values"], core::child(core::child("components", name), "values"), fa);
  }
  for (const auto& [name, c] : vb["components"].items()) {
    flatten(c["values"], core::child(core::child("components", name), "values"), fb);
  }
  Json values = changes(fa, fb);
  // Everything else a recipe says: criteria (the Kubernetes version among them), constraints,
  // overlays, advisories, deployment order, the catalog digest, and the other fields of components
  // in both. Not spec.provenance (where values came from, not what is deployed) and not the name.
  std::map<std::string, Json> oa;
  std::map<std::string, Json> ob;
  auto others = [](Json view, const Json& peer, std::map<std::string, Json>& out) {
    Json both = Json::object();  // an added or removed component is listed under components
    for (auto& [name, c] : view["components"].items()) {
      if (peer["components"].contains(name)) {
        c.erase("values");
        c.erase("version");
        both[name] = c;
      }
    }
    view["components"] = both;
    view.erase("provenance");
    view.erase("name");
    view.erase("digest");
    flatten(view, "", out);
  };
  others(va, vb, oa);
  others(vb, va, ob);
  Json fields = changes(oa, ob);
  bool differ = !added.empty() || !removed.empty() || !changed.empty() || !values.empty() || !fields.empty();
  return Json{{"components", {{"added", added}, {"removed", removed}, {"changed", changed}}},
              {"values", values},
              {"fields", fields},
              {"differ", differ},
              {"from", a["metadata"]["name"]},
              {"to", b["metadata"]["name"]}};
}

std::vector<std::string> advisories_to_warn(const Json& recipe) {
  const RecipeView view = read_recipe_view(recipe);
  auto versions = view.versions();
  auto newer = [](const std::string& a, const std::string& b) {
    auto va = core::Version::parse(a);
    auto vb = core::Version::parse(b);
    return !va || !vb || core::compare(*va, *vb) > 0;  // unreadable: assume it mattered
  };
  std::vector<std::string> out;
  for (const auto& a : view.advisories) {
    bool matters = a.eol_date.has_value();
    for (const auto& x : a.excluded) {
      auto chosen = versions.find(x.component);
      matters = matters || chosen == versions.end() || newer(x.version, chosen->second);
    }
    if (matters) {
      out.push_back(a.name);
    }
  }
  return out;
}

std::vector<std::string> uncovered_criteria(const core::Json& recipe) {
  std::vector<std::string> out;
  const core::Json& spec = recipe.value("spec", core::Json::object());
  if (spec.contains("partial")) {
    for (const auto& k : spec["partial"].value("uncovered", core::Json::array())) {
      out.push_back(k.get<std::string>());
    }
  }
  return out;
}

void refuse_partial(const core::Json& recipe, bool allowed) {
  auto uncovered = uncovered_criteria(recipe);
  if (!uncovered.empty() && !allowed) {
    throw core::Error(core::Exit::bad_input, core::OptionField("allow-partial"),
                      "the recipe is partial: it does not honour " + core::join(uncovered) +
                          " (spec.partial); give this option to use it anyway");
  }
}

}  // namespace galley::resolver
