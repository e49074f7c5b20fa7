// Overlay matching and ordering.
//
// An overlay applies when each criterion it sets equals the query's (unset = wildcard); it also
// brings its whole `base` chain. The order must satisfy two rules: a base is applied before every
// overlay built on it, and more specific overlays come later so that they win the merge. We do a
// topological sort (Kahn) over base edges with a priority queue keyed by (criteria count, name):
// deterministic, O(n log n), and it keeps "base before child" even when a base sets more criteria
// than its child. Sorting by specificity alone was rejected: it can put a child before its base.
#include <queue>
#include <set>

#include "core/error.hpp"
#include "resolver/internal/steps.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;

namespace {

bool matches(const Overlay& o, const std::map<std::string, std::string>& query) {
  for (const auto& [k, v] : o.criteria) {
    auto it = query.find(k);
    if (it == query.end() || it->second != v) {
      return false;
    }
  }
  return true;
}

// Adds `o` and its base chain to `applied`; `done` memoises finished chains.
void add_chain(const Catalog& catalog, const Overlay& start, std::set<std::string>& applied) {
  std::vector<std::string> path;
  const Overlay* o = &start;
  while (o != nullptr && !applied.contains(o->name)) {
    if (std::find(path.begin(), path.end(), o->name) != path.end()) {
      path.push_back(o->name);
      auto first = std::find(path.begin(), path.end(), o->name);
      std::vector<std::string> cycle(first, path.end());
      throw Error(Exit::bad_input, core::Where{o->doc->name, o->doc->line_of("spec.base"), "spec.base"},
                  "base cycle: " + core::join(cycle, " -> "));
    }
    path.push_back(o->name);
    o = o->base ? &catalog.overlays.at(*o->base) : nullptr;
  }
  applied.insert(path.begin(), path.end());
}

}  // namespace

std::vector<const Overlay*> match_overlays(const Catalog& catalog, const std::map<std::string, std::string>& query) {
  std::set<std::string> applied;
  for (const auto& [name, o] : catalog.overlays) {
    if (matches(o, query)) {
      add_chain(catalog, o, applied);
    }
  }
  std::map<std::string, std::vector<const Overlay*>> children;
  using Key = std::pair<size_t, std::string>;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> ready;
  for (const auto& name : applied) {
    const Overlay& o = catalog.overlays.at(name);
    if (o.base) {
      children[*o.base].push_back(&o);
    } else {
      ready.emplace(o.criteria.size(), o.name);
    }
  }
  std::vector<const Overlay*> order;
  while (!ready.empty()) {
    auto [count, name] = ready.top();
    ready.pop();
    order.push_back(&catalog.overlays.at(name));
    for (const Overlay* c : children[name]) {
      ready.emplace(c->criteria.size(), c->name);
    }
  }
  return order;
}

}  // namespace galley::resolver
