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

Criteria read_criteria(const core::Document& doc) {
  core::check_schema(doc, "Criteria");
  Criteria c;
  for (const auto& [k, v] : doc.value["spec"].items()) {
    if (k == "nodes") {
      c.nodes = v.get<long long>();
    } else {
      c.fields[k] = v.get<std::string>();
    }
  }
  return c;
}

Criteria overlay_criteria(Criteria base, const Criteria& over) {
  for (const auto& [k, v] : over.fields) {
    base.fields[k] = v;
  }
  if (over.nodes) {
    base.nodes = over.nodes;
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
