#pragma once
// The resolver's steps, in the order resolve() runs them. Internal to resolver/ (and its tests).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "resolver/catalog.hpp"

namespace galley::resolver {

// Checks criteria values against the catalog vocabulary and forms, and pairs of values against the
// registry's rules (an OS's services, a platform's intents). Throws core::Error(bad_input) listing
// the allowed values and the closest one, or naming the rule's file:line.
void check_criteria(const Catalog& catalog, const Criteria& criteria);

// A leaf overlay that would match if the criteria gave `additions` too.
struct LeafCandidate {
  std::string leaf;
  std::map<std::string, std::string> additions;  // criterion -> value
};

// Leaves that agree with every criterion in `given` and set every one of `uncovered`: fewest
// additions first, then by name.
std::vector<LeafCandidate> covering_leaves(const Catalog& catalog, const std::map<std::string, std::string>& given,
                                           const std::vector<std::string>& uncovered);

// Overlay matching and order: every overlay whose criteria all equal the query's, plus their base
// chains, ordered so that a base comes before the overlays built on it; among overlays free to go
// next, fewer criteria first, then name. Throws core::Error(bad_input) naming a base cycle.
std::vector<const Overlay*> match_overlays(const Catalog& catalog, const std::map<std::string, std::string>& query);

// One value's history: each entry {value, source}, oldest first.
using Provenance = std::map<std::string, std::vector<core::Json>>;

struct MergedComponent {
  bool enabled = true;
  std::optional<RangeText> range;
  Origin range_origin;
  core::Json values = core::Json::object();
  std::vector<std::string> manifests;
};

struct Merged {
  std::map<std::string, MergedComponent> components;
  std::map<std::string, Constraint> constraints;
  Provenance provenance;  // keyed "components.<name>.values.<path>"
};

// Merges the overlays (and their patches) in order. Throws core::Error(bad_input).
Merged merge_overlays(const Catalog& catalog, const std::vector<const Overlay*>& overlays);

// core::merge_values (Helm's rule: maps key by key, `{}` changes nothing, null deletes, lists and
// scalars replaced whole), recording every leaf it sets or deletes under `path` in `provenance`
// with the file and line of `origin`.
void merge_values(core::Json& target, const core::Json& src, const std::string& path, const Origin& origin,
                  Provenance& provenance);

// The value at dotted values path `path` (plain keys, e.g. driver.version) under `values`, or
// nullptr. Throws nothing.
const core::Json* value_at(const core::Json& values, const std::string& path);

// The value at dotted `path`, made (null) with the maps on the way where missing (a non-map on the
// way becomes a map). Throws nothing.
core::Json& value_slot(core::Json& values, const std::string& path);

// The field path of a component's values path in a recipe: components.NAME.values.KEY.KEY...
// (keys as core::child writes them). Throws nothing.
std::string values_field(const std::string& component, const std::string& path);

// A component's chart defaults under its merged values; the embedded chart is parsed the first time
// a value is not in the merged values (never, where they hold every value asked for).
class ChartDefaults {
 public:
  explicit ChartDefaults(std::string component) : m_component(std::move(component)) {}

  // The value at `path` in `values`, else in the chart's default values, else null. Throws
  // core::Error(bad_input) only for a broken build (an embedded chart that does not parse).
  core::Json value(const core::Json& values, const std::string& path);

 private:
  std::string m_component;
  bool m_read = false;
  std::optional<core::Document> m_chart;
};

// The rule "one provider of each capability per node pool" (components' spec.provides): two enabled
// components (or two modes of one) that provide the same capability, e.g. nvidia.com/gpu by the
// device plugin and by the DRA driver, make the resolution unsatisfiable. Throws
// core::Error(unsatisfiable) naming both providers, the values that switched them on and the rule.
void check_providers(const Catalog& catalog, const std::map<std::string, MergedComponent>& enabled,
                     const Provenance& provenance);

struct Rejection {
  std::string version;
  std::string reason;
};

struct Selection {
  const ComponentVersion* chosen = nullptr;
  std::vector<Rejection> rejected;  // higher versions not picked, highest first
};

// A component version an advisory ruled out while solving.
struct AdvisoryHit {
  const Advisory* advisory;
  std::string component;
  std::string version;
};

// Picks for every enabled component the highest version that satisfies every requirement in
// play, backtracking when a choice fails. Throws core::Error(unsatisfiable) with the reasons.
std::map<std::string, Selection> solve_versions(const Catalog& catalog, const Criteria& criteria,
                                                const std::map<std::string, MergedComponent>& enabled,
                                                std::vector<AdvisoryHit>& hits);

// Topological order over `deps` (name -> names it needs first), ties by name.
// Throws core::Error(unsatisfiable) naming a cycle.
std::vector<std::string> deployment_order(const std::map<std::string, std::vector<std::string>>& deps);

// One set of criteria taken through the steps: checked, overlays matched and ordered, merged with
// provenance (constraints and provenance in `merged`, enabled components moved to `enabled`),
// versions solved. Throws what the steps throw, and core::Error(not_found) for uncovered criteria
// (unless options.allow_partial; `uncovered` then lists them).
struct Resolution {
  Criteria criteria;  // normalized
  std::vector<const Overlay*> overlays;
  Merged merged;
  std::map<std::string, MergedComponent> enabled;
  std::map<std::string, Selection> selections;
  std::vector<AdvisoryHit> hits;
  std::set<std::string> used;            // criteria keys some matched overlay sets
  std::vector<std::string> uncovered;
};
Resolution run_steps(const Catalog& catalog, const Criteria& given, const ResolveOptions& options);

// A recipe's spec.components[i] for one solved component; adds its values' history to
// `provenance_out`. Throws nothing for a solved component.
core::Json component_json(const Catalog& catalog, const std::string& name, const MergedComponent& mc,
                          const Selection& sel, const Provenance& prov, core::Json& provenance_out);

// A recipe's spec.advisories: those whose exclusions `hits` met or whose end of life the criteria match.
core::Json advisories_json(const Catalog& catalog, const Criteria& criteria, const std::vector<AdvisoryHit>& hits);

// The newest history entry's source for `path` or any leaf under it ("" when none). Throws nothing.
std::string source_of(const Provenance& prov, const std::string& path);

// One pool's part in a component that the cluster installs once.
struct PoolPart {
  size_t pool = 0;                        // index into the criteria's pools
  std::string name;                       // the pool's name
  const core::Json* values = nullptr;     // the pool's merged values of the component
  const Provenance* provenance = nullptr; // the pool's history of values
};

// What a component's spec.perPool gives each pool: spec.pools[i].settings and .nodeLabels.
struct PoolSettings {
  core::Json settings = core::Json::array();
  core::Json node_labels = core::Json::object();
};

// The values paths (relative to the component's values) that `component`'s spec.perPool applies
// pool by pool: the merge of pools leaves them to apply_pool_settings. Throws nothing.
std::set<std::string> per_pool_paths(const Component& component);

// Applies spec.perPool of component `name` to the pools that need it (`parts`, two or more):
// settings the pools set differently are carried by node labels (`out[pool].node_labels`) and take
// their clusterValue (else the first pool's) in the cluster's `values`; where pools differ under
// the resource's paths, one resource per pool (its nodeSelector the pool's label) is added to
// `manifests` ({path, content}) and the resource's values go into `values`; each pool's values so
// applied are listed in `out[pool].settings`. Values the rules set are added to `provenance`.
// Throws core::Error(unsatisfiable) where pools set a clusterWide path differently, naming both
// pools, their values' sources and the rule.
void apply_pool_settings(const Catalog& catalog, const std::string& name, const std::vector<PoolPart>& parts,
                         core::Json& values, Provenance& provenance, std::vector<PoolSettings>& out,
                         core::Json& manifests);

// resolve() for criteria with pools (resolver/pools.cpp): each pool through run_steps with the
// cluster's criteria under its own, then one recipe. Throws core::Error: bad_input for bad pools
// (no accelerator, a duplicate name, a key a pool may not set) naming where the pool was given;
// unsatisfiable where two pools need different versions of one component (naming both
// constraints and where they were set); what run_steps throws, prefixed with the pool.
core::Json resolve_pools(const Catalog& catalog, const Criteria& criteria, const ResolveOptions& options);

}  // namespace galley::resolver
