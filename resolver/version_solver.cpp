// Version solving.
//
// Each enabled component must get one of its catalog versions. A version is allowed on its own
// ("unary" checks) when it lies in the merged overlay range, no advisory marks it bad, its
// Kubernetes range holds the criteria's version, its accelerator and OS lists include the
// criteria's, and every component it requires is in the recipe. Versions also constrain each
// other: `requires.components` ranges. We (1) apply the unary checks, (2) prune to a fixpoint
// every version whose requirement no remaining version of the other component can meet, and every
// version another component's remaining versions all exclude (arc consistency), then (3) search
// highest-first with chronological backtracking, bounded by a step budget. Pruning makes the usual
// failure — nothing left for one component — explainable as a chain of plain reasons; full
// conflict-driven solving (PubGrub) was judged too heavy for catalogs where real conflicts are
// pairwise.
#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "resolver/internal/steps.hpp"

namespace galley::resolver {

using core::Error;
using core::Exit;

namespace {

struct Candidate {
  const ComponentVersion* version;
  bool alive = true;
  std::string reason;                 // why it was ruled out
  std::vector<std::string> blame;     // components whose state explains the reason
};

using Domains = std::map<std::string, std::vector<Candidate>>;

std::string unary_reason(const ComponentVersion& v, const MergedComponent& mc, const Criteria& criteria,
                         const std::map<std::string, MergedComponent>& enabled, const Catalog& catalog,
                         const std::string& component, std::vector<AdvisoryHit>& hits) {
  if (mc.range && !mc.range->range.contains(v.parsed)) {
    return "is outside the overlay range \"" + mc.range->text + "\" (" + mc.range_origin.source() + ")";
  }
  for (const auto& [name, a] : catalog.advisories) {
    if (a.component == component && a.versions->range.contains(v.parsed)) {
      hits.push_back({&a, component, v.version});
      return "is known bad: advisory " + a.name + " (" + a.doc->value["spec"]["summary"].get<std::string>() + ")";
    }
  }
  auto k8s = criteria.fields.find("kubernetes");
  if (v.kubernetes && k8s != criteria.fields.end() && !v.kubernetes->range.contains(*core::Version::parse(k8s->second))) {
    return "requires kubernetes " + v.kubernetes->text + "; criteria say " + k8s->second;
  }
  for (const auto& [key, list] : {std::pair{"accelerator", &v.accelerators}, std::pair{"os", &v.os}}) {
    auto it = criteria.fields.find(key);
    if (!list->empty() && it != criteria.fields.end() &&
        std::find(list->begin(), list->end(), it->second) == list->end()) {
      return std::string("supports ") + key + " " + core::join(*list) + " only; criteria say " + it->second;
    }
  }
  for (const auto& [req, range] : v.components) {
    auto it = enabled.find(req);
    if (it == enabled.end()) {
      return "requires " + req + " " + range.text + ", which is not in the recipe";
    }
  }
  return "";
}

bool any_alive_in(const std::vector<Candidate>& dom, const RangeText& range) {
  return std::any_of(dom.begin(), dom.end(), [&](const Candidate& c) { return c.alive && range.range.contains(c.version->parsed); });
}

// Arc consistency over requires.components, to a fixpoint.
void prune(Domains& domains) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto& [name, dom] : domains) {
      for (auto& cand : dom) {
        if (!cand.alive) {
          continue;
        }
        for (const auto& [req, range] : cand.version->components) {
          if (!any_alive_in(domains.at(req), range)) {
            cand.alive = false;
            cand.reason = "requires " + req + " " + range.text + ", but no allowed " + req + " version is in that range";
            cand.blame = {req};
            changed = true;
            break;
          }
        }
      }
    }
    // A version of D is dead when some component C has versions left and every one excludes it.
    for (auto& [c_name, c_dom] : domains) {
      std::map<std::string, std::vector<const RangeText*>> needs;  // D -> ranges, when every alive version needs D
      bool first = true;
      for (const auto& cand : c_dom) {
        if (!cand.alive) {
          continue;
        }
        std::map<std::string, std::vector<const RangeText*>> mine;
        for (const auto& [req, range] : cand.version->components) {
          mine[req].push_back(&range);
        }
        if (first) {
          needs = std::move(mine);
          first = false;
        } else {
          for (auto it = needs.begin(); it != needs.end();) {
            auto m = mine.find(it->first);
            if (m == mine.end()) {
              it = needs.erase(it);
            } else {
              it->second.insert(it->second.end(), m->second.begin(), m->second.end());
              ++it;
            }
          }
        }
      }
      for (const auto& [d_name, ranges] : needs) {
        for (auto& d_cand : domains.at(d_name)) {
          if (!d_cand.alive) {
            continue;
          }
          bool someone_accepts = std::any_of(ranges.begin(), ranges.end(), [&](const RangeText* r) {
            return r->range.contains(d_cand.version->parsed);
          });
          if (!someone_accepts) {
            d_cand.alive = false;
            std::vector<std::string> texts;
            for (const RangeText* r : ranges) {
              if (std::find(texts.begin(), texts.end(), r->text) == texts.end()) {
                texts.push_back(r->text);
              }
            }
            d_cand.reason = "is excluded by " + c_name + ", whose allowed versions require " + d_name + " " +
                            core::join(texts, " or ");
            d_cand.blame = {c_name};
            changed = true;
          }
        }
      }
    }
  }
}

void explain_component(const Domains& domains, const std::string& name, std::set<std::string>& seen,
                       std::vector<std::string>& lines, int depth) {
  if (!seen.insert(name).second || depth > 8) {
    return;
  }
  std::string pad(static_cast<size_t>(depth) * 2, ' ');
  std::vector<std::string> next;
  for (const auto& c : domains.at(name)) {
    if (!c.alive) {
      lines.push_back(pad + "  " + name + " " + c.version->version + " " + c.reason);
      next.insert(next.end(), c.blame.begin(), c.blame.end());
    }
  }
  for (const auto& n : next) {
    if (!seen.contains(n)) {
      lines.push_back(pad + "  because:");
      explain_component(domains, n, seen, lines, depth + 1);
    }
  }
}

[[noreturn]] void fail_empty(const Domains& domains, const std::string& name) {
  std::vector<std::string> lines{"cannot choose a version of " + name + ":"};
  std::set<std::string> seen;
  explain_component(domains, name, seen, lines, 0);
  throw Error(Exit::unsatisfiable, lines);
}

// Chronological backtracking over alive candidates, highest first.
class Search {
 public:
  explicit Search(const Domains& d) : m_domains(d) {
    for (const auto& [name, dom] : d) {
      m_names.push_back(name);
    }
  }

  bool run(size_t i) {
    if (++m_steps > k_max_steps) {
      throw Error(Exit::unsatisfiable, "version solving gave up after " + std::to_string(k_max_steps) +
                                           " steps; pin versions in an overlay to narrow the search");
    }
    if (i == m_names.size()) {
      return true;
    }
    const std::string& name = m_names[i];
    for (const auto& cand : m_domains.at(name)) {
      if (!cand.alive || !consistent(name, *cand.version)) {
        continue;
      }
      choose(name, cand.version);
      if (run(i + 1)) {
        return true;
      }
      unchoose(name, cand.version);
    }
    m_deepest_failure = std::max(m_deepest_failure, i);
    return false;
  }

  const std::map<std::string, const ComponentVersion*>& chosen() const { return m_chosen; }
  std::string deepest() const { return m_names.empty() ? "" : m_names[m_deepest_failure]; }

 private:
  bool consistent(const std::string& name, const ComponentVersion& v) const {
    for (const auto& [req, range] : v.components) {
      auto it = m_chosen.find(req);
      if (it != m_chosen.end() && !range.range.contains(it->second->parsed)) {
        return false;
      }
    }
    auto on = m_required.find(name);
    if (on != m_required.end()) {
      for (const RangeText* r : on->second) {
        if (!r->range.contains(v.parsed)) {
          return false;
        }
      }
    }
    return true;
  }

  void choose(const std::string& name, const ComponentVersion* v) {
    m_chosen[name] = v;
    for (const auto& [req, range] : v->components) {
      m_required[req].push_back(&range);
    }
  }

  void unchoose(const std::string& name, const ComponentVersion* v) {
    m_chosen.erase(name);
    for (const auto& [req, range] : v->components) {
      m_required[req].pop_back();
    }
  }

  static constexpr size_t k_max_steps = 1'000'000;
  const Domains& m_domains;
  std::vector<std::string> m_names;
  std::map<std::string, const ComponentVersion*> m_chosen;
  std::map<std::string, std::vector<const RangeText*>> m_required;  // ranges chosen versions put on a name
  size_t m_steps = 0;
  size_t m_deepest_failure = 0;
};

}  // namespace

std::map<std::string, Selection> solve_versions(const Catalog& catalog, const Criteria& criteria,
                                                const std::map<std::string, MergedComponent>& enabled,
                                                std::vector<AdvisoryHit>& hits) {
  Domains domains;
  for (const auto& [name, mc] : enabled) {
    auto& dom = domains[name];
    for (const auto& v : catalog.components.at(name).versions) {
      std::string reason = unary_reason(v, mc, criteria, enabled, catalog, name, hits);
      dom.push_back(Candidate{&v, reason.empty(), reason, {}});
    }
  }
  prune(domains);
  for (const auto& [name, dom] : domains) {
    if (std::none_of(dom.begin(), dom.end(), [](const Candidate& c) { return c.alive; })) {
      fail_empty(domains, name);
    }
  }
  Search search(domains);
  if (!search.run(0)) {
    std::string name = search.deepest();
    throw Error(Exit::unsatisfiable, "cannot choose a version of " + name +
                                         ": every allowed version conflicts with the versions chosen for "
                                         "the components before it (by name); pin versions in an overlay");
  }
  std::map<std::string, Selection> out;
  for (const auto& [name, v] : search.chosen()) {
    Selection s;
    s.chosen = v;
    for (const auto& c : domains.at(name)) {
      if (c.version == v) {
        break;
      }
      s.rejected.push_back({c.version->version, c.alive ? "conflicts with other chosen versions" : c.reason});
    }
    out.emplace(name, std::move(s));
  }
  return out;
}

std::vector<std::string> deployment_order(const std::map<std::string, std::vector<std::string>>& deps) {
  std::map<std::string, size_t> waiting;
  std::map<std::string, std::vector<std::string>> dependents;
  std::set<std::string> ready;
  for (const auto& [name, needs] : deps) {
    waiting[name] = needs.size();
    for (const auto& n : needs) {
      dependents[n].push_back(name);
    }
    if (needs.empty()) {
      ready.insert(name);
    }
  }
  std::vector<std::string> order;
  while (!ready.empty()) {
    std::string name = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(name);
    for (const auto& d : dependents[name]) {
      if (--waiting[d] == 0) {
        ready.insert(d);
      }
    }
  }
  if (order.size() == deps.size()) {
    return order;
  }
  // Walk from any component still waiting until a name repeats: that is a cycle.
  std::string start;
  for (const auto& [name, w] : waiting) {
    if (w > 0) {
      start = name;
      break;
    }
  }
  std::vector<std::string> path{start};
  while (true) {
    std::string next;
    for (const auto& n : deps.at(path.back())) {
      if (waiting[n] > 0) {
        next = n;
        break;
      }
    }
    auto pos = static_cast<size_t>(std::find(path.begin(), path.end(), next) - path.begin());
    bool repeats = pos < path.size();
    path.push_back(next);
    if (repeats) {
      std::vector<std::string> cycle(path.begin() + static_cast<std::ptrdiff_t>(pos), path.end());
      throw Error(Exit::unsatisfiable, "dependency cycle: " + core::join(cycle, " -> "));
    }
  }
}

}  // namespace galley::resolver
