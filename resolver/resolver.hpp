#pragma once
// The resolver: criteria -> matching overlays -> merge with provenance -> version solving ->
// an ordered, digested Recipe. Everything here is pure over in-memory inputs; reading folders
// and files happens in read_catalog_dir() only.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/error.hpp"

namespace galley::resolver {

// One node pool of a heterogeneous cluster: its name (a DNS label) and the criteria that differ per
// pool (pool_keys()); the cluster's own criteria fill what a pool leaves out.
struct Pool {
  std::string name;
  std::map<std::string, std::string> fields;
  std::optional<long long> nodes;
  core::Where where;  // where it was given (file:line: spec.pools[i], or the pool option), for messages
};

// What the cluster is. Keys: service, accelerator, os, osVersion, kubernetes, intent, platform.
// With pools, the recipe is one for the whole cluster and each pool resolves with its own criteria.
struct Criteria {
  std::map<std::string, std::string> fields;
  std::optional<long long> nodes;
  std::vector<Pool> pools;
};

// The criteria keys a pool may set: accelerator, intent, os, osVersion, platform (and nodes).
const std::vector<std::string>& pool_keys();

// The node label whose value names a node's pool ("galley.dev/pool"); recipes select pool nodes by it.
const std::string& pool_label();

// Reads one pool written NAME:key=value,key=value (e.g. "train:accelerator=h100,intent=training").
// Throws core::Error(bad_input) naming the option field "pool" and the text.
Pool parse_pool(const std::string& text);

// The criteria keys, in the order used for names and messages.
const std::vector<std::string>& criteria_keys();

// One catalog layer: files relative to its root (e.g. "overlays/eks.yaml" -> bytes), and the
// root's display name used in messages and provenance ("recipes" for the embedded catalog).
struct CatalogSource {
  std::string root;
  std::map<std::string, std::string> files;
  // Documents already parsed and schema-checked (the embedded catalog, compiled at build time);
  // files not listed here are parsed and checked on load.
  std::map<std::string, core::Document> checked;
  // Set for the embedded catalog, compiled at build time: core::files_digest of its files (whose
  // texts `files` then leaves empty, except manifests), and its manifests already parsed.
  std::string digest;
};

class Catalog;  // resolver/catalog.hpp

// The catalog embedded in the binary.
CatalogSource embedded_source();

// Reads a catalog layer folder. Throws core::Error: not_found (no folder), bad_input (unexpected entries,
// symlinks, non-YAML files), io.
CatalogSource read_catalog_dir(const std::string& dir);

// Loads and checks every document of the layers (the first is the base, later ones layer on it).
// Throws core::Error(bad_input) naming file, line and field.
std::shared_ptr<const Catalog> load_catalog(const std::vector<CatalogSource>& layers);
std::shared_ptr<const Catalog> load_catalog(std::vector<CatalogSource>&& layers);  // moves checked documents

// Reads a `Criteria` document. Throws core::Error(bad_input).
Criteria read_criteria(const core::Document& doc);

// Fills `base` with the fields set in `over` (flags override a file; pools given in `over` replace
// the file's pools).
Criteria overlay_criteria(Criteria base, const Criteria& over);

// `criteria` with the values of the registry's criteria (service, accelerator, os, intent,
// platform) in lowercase, as the catalog writes them: what resolve() matches, and so what a cache
// of resolved recipes keys on. Never throws.
Criteria normalize_criteria(const Catalog& catalog, Criteria criteria);

// How resolve() treats criteria the catalog does not cover.
struct ResolveOptions {
  // Accept a recipe that leaves some given criteria uncovered (no matched overlay depends on
  // them); the recipe then says so in spec.partial.uncovered and its name leaves them out.
  bool allow_partial = false;
};

// Resolves criteria into a Recipe document (kind Recipe, digest set). Values of the registry's
// criteria are matched case-insensitively. Throws core::Error: bad_input for unknown criteria
// values (listing allowed ones and the closest) and for combinations a registry rule forbids
// (naming its file:line), not_found when no overlay matches or, unless options.allow_partial, a
// given criterion is covered by no matched overlay (naming the leaves that would match and what
// they add), unsatisfiable with the chain of reasons.
core::Json resolve(const Catalog& catalog, const Criteria& criteria, const ResolveOptions& options = {});

// The catalog for people: criteria values, components with versions, overlays and leaves (with
// maturity and evidence). With a `filter`, only the overlays that agree with it (each criterion
// the filter sets is unset in the overlay or equal). Throws core::Error(bad_input) for a filter
// value the registry does not know, as resolve() does.
core::Json describe_catalog(const Catalog& catalog, const Criteria& filter = {});

// The leaf overlays of describe_catalog(catalog, filter), each {name, criteria, maturity,
// evidence, source}, by name. Throws like describe_catalog().
core::Json catalog_leaves(const Catalog& catalog, const Criteria& filter = {});

// Leaf overlays: overlays that set criteria and are no other overlay's base.
std::vector<std::string> leaf_overlays(const Catalog& catalog);

// Catalog lint beyond what loading checks: every leaf resolves; every values key an overlay or
// values file sets exists in the chart's upstream values.yaml (or its values.schema.json allows
// it, or it sits under a declared subchart); every overlay version range matches a known version.
// Returns the problems as "file:line: field: message", in catalog order; empty when clean.
std::vector<std::string> lint_catalog(const Catalog& catalog);

// Per leaf: {name, components, values (scalar configuration values), maturity, poolsWith (the other
// accelerators with leaves on the same service and OS: pools it can share a cluster with)}. Throws
// like resolve().
core::Json leaf_stats(const Catalog& catalog);

}  // namespace galley::resolver
