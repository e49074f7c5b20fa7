// Criteria: reading a Criteria document, layering flags over it, checking values.
#include <algorithm>

#include "core/error.hpp"
#include "core/schema.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "resolver/internal/steps.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;

const std::vector<std::string>& pool_keys() {
  static const std::vector<std::string> keys = {"accelerator", "intent", "os", "osVersion", "platform"};
  return keys;
}

const std::string& pool_label() {
  static const std::string label = "galley.dev/pool";
  return label;
}

Criteria read_criteria(const core::Document& doc) {
  core::check_schema(doc, "Criteria");
  Criteria c;
  core::Diagnostics diags;
  for (const auto& [k, v] : doc.value["spec"].items()) {
    if (k == "nodes") {
      c.nodes = v.get<long long>();
    } else if (k == "pools") {
      for (size_t i = 0; i < v.size(); ++i) {
        std::string path = core::index("spec.pools", i);
        Pool pool;
        pool.where = core::Where{doc.name, doc.line_of(path), path};
        for (const auto& [pk, pv] : v[i].items()) {
          if (pk == "name") {
            pool.name = pv.get<std::string>();
          } else if (pk == "nodes") {
            pool.nodes = pv.get<long long>();
          } else {
            pool.fields[pk] = pv.get<std::string>();
          }
        }
        for (const auto& other : c.pools) {
          if (other.name == pool.name) {
            std::string field = core::child(path, "name");
            diags.add(core::Where{doc.name, doc.line_of(field), field},
                      "pool \"" + pool.name + "\" is given twice (first at line " + std::to_string(other.where.line) + ")");
          }
        }
        c.pools.push_back(std::move(pool));
      }
    } else {
      c.fields[k] = v.get<std::string>();
    }
  }
  diags.throw_if_any(Exit::bad_input);
  return c;
}

Pool parse_pool(const std::string& text) {
  auto bad = [&text](const std::string& why) {
    return Error(Exit::bad_input, core::OptionField{"pool", text},
                 why + " (expected NAME:accelerator=VALUE,intent=VALUE[,os=VALUE], e.g. train:accelerator=h100,intent=training)");
  };
  size_t colon = text.find(':');
  if (colon == std::string::npos) {
    throw bad("no ':' after the pool name");
  }
  Pool pool;
  pool.name = text.substr(0, colon);
  pool.where = core::Where{"", 0, "pool " + pool.name};
  bool label = !pool.name.empty() && pool.name.size() <= 63 && pool.name.front() != '-' && pool.name.back() != '-' &&
               std::all_of(pool.name.begin(), pool.name.end(), [](char ch) {
                 return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
               });
  if (!label) {
    throw bad("pool name \"" + pool.name + "\" is not a lowercase DNS label");
  }
  std::string rest = text.substr(colon + 1);
  for (size_t start = 0; start <= rest.size();) {
    size_t comma = rest.find(',', start);
    std::string item = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? rest.size() + 1 : comma + 1;
    size_t eq = item.find('=');
    std::string key = core::trim(item.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : core::trim(item.substr(eq + 1));
    if (eq == std::string::npos || key.empty() || value.empty()) {
      throw bad("\"" + item + "\" is not key=value");
    }
    const auto& keys = pool_keys();
    if (key == "nodes") {
      if (value.size() > 6 || value.find_first_not_of("0123456789") != std::string::npos) {
        throw bad("nodes \"" + value + "\" is not a number");
      }
      pool.nodes = std::stoll(value);
    } else if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string near = core::closest(key, keys);
      throw bad("unknown pool key \"" + key + "\"; allowed: " + core::join(keys) + ", nodes" +
                (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
    } else if (pool.fields.contains(key)) {
      throw bad(key + " is given twice");
    } else {
      pool.fields[key] = value;
    }
  }
  return pool;
}

Criteria overlay_criteria(Criteria base, const Criteria& over) {
  for (const auto& [k, v] : over.fields) {
    base.fields[k] = v;
  }
  if (over.nodes) {
    base.nodes = over.nodes;
  }
  if (!over.pools.empty()) {
    base.pools = over.pools;
  }
  return base;
}

Criteria normalize_criteria(const Catalog& catalog, Criteria criteria) {
  for (auto& [k, v] : criteria.fields) {
    if (catalog.vocabulary.contains(k)) {
      v = core::to_lower(v);
    }
  }
  return criteria;
}

namespace {

// Adds a problem for every pair of given values a registry rule forbids.
void check_pairings(const Catalog& catalog, const Criteria& criteria, core::Diagnostics& diags) {
  for (const auto& [k, v] : criteria.fields) {
    auto rule = catalog.pairings.find({k, v});
    if (rule == catalog.pairings.end()) {
      continue;
    }
    const Pairing& p = rule->second;
    auto other = criteria.fields.find(p.criterion);
    if (other == criteria.fields.end() ||
        std::find(p.allowed.begin(), p.allowed.end(), other->second) != p.allowed.end()) {
      continue;
    }
    const Origin& o = p.origins.front();
    diags.add(core::Where{o.doc->name, o.doc->line_of(o.path), o.path},
              k + " " + v + " goes with " + p.criterion + " " + core::join(p.allowed, ", ") + " only; the criteria give " +
                  p.criterion + " " + other->second);
  }
}

}  // namespace

std::vector<LeafCandidate> covering_leaves(const Catalog& catalog, const std::map<std::string, std::string>& given,
                                           const std::vector<std::string>& uncovered) {
  std::vector<LeafCandidate> out;
  for (const auto& name : leaf_overlays(catalog)) {
    const Overlay& leaf = catalog.overlays.at(name);
    bool agrees = std::all_of(given.begin(), given.end(), [&](const auto& kv) {
      auto it = leaf.criteria.find(kv.first);
      return it == leaf.criteria.end() || it->second == kv.second;
    });
    bool covers = std::all_of(uncovered.begin(), uncovered.end(), [&](const auto& k) { return leaf.criteria.contains(k); });
    if (!agrees || !covers) {
      continue;
    }
    LeafCandidate c{name, {}};
    for (const auto& [k, v] : leaf.criteria) {
      if (!given.contains(k)) {
        c.additions[k] = v;
      }
    }
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LeafCandidate& a, const LeafCandidate& b) { return a.additions.size() < b.additions.size(); });
  return out;
}

void check_criteria(const Catalog& catalog, const Criteria& criteria) {
  core::Diagnostics diags;
  for (const auto& [k, v] : criteria.fields) {
    const auto& keys = criteria_keys();
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
      diags.add(core::Where{"criteria", 0, k}, "unknown criterion");
      continue;
    }
    auto voc = catalog.vocabulary.find(k);
    if (voc != catalog.vocabulary.end()) {
      if (std::find(voc->second.begin(), voc->second.end(), v) == voc->second.end()) {
        std::string near = core::closest(v, voc->second);
        diags.add(core::Where{"criteria", 0, k}, "unknown value \"" + v + "\"; allowed: " + core::join(voc->second) +
                                                     (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
      }
    } else if (k == "kubernetes") {
      auto version = core::Version::parse(v);
      if (!version || version->parts.size() < 2) {
        diags.add(core::Where{"criteria", 0, k}, "\"" + v + "\" is not a Kubernetes version (e.g. 1.33 or v1.35.1-gke.1616000)");
      }
    } else if (k == "osVersion") {
      bool ok = !v.empty() && v.size() <= 32 && v.front() != '.' && v.back() != '.' &&
                std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
      if (!ok) {
        diags.add(core::Where{"criteria", 0, k}, "\"" + v + "\" is not an OS version (digits and dots, e.g. 24.04)");
      }
    } else {
      diags.add(core::Where{"criteria", 0, k}, "the catalog's registry defines no values for " + k);
    }
  }
  if (criteria.nodes && (*criteria.nodes < 1 || *criteria.nodes > 100000)) {
    diags.add(core::Where{"criteria", 0, "nodes"}, std::to_string(*criteria.nodes) + " is not between 1 and 100000");
  }
  if (diags.empty()) {
    check_pairings(catalog, criteria, diags);
  }
  diags.throw_if_any(Exit::bad_input);
}

}  // namespace galley::resolver
