#pragma once
// RecipeView: a Recipe document read once into typed fields, for every library that consumes
// recipes (validate, attest and render). Field names follow the Recipe schema
// (schemas/recipe.schema.json, docs/documents.md); nothing here re-reads the JSON by key.
//
// A view is built from a recipe that passed check_recipe() (schema and digest); it owns copies of
// what it holds and does not point into the JSON it was built from. Not in the view: each
// component's selection and requires, and spec.provenance (explain and diff read those by path).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "resolver/resolver.hpp"

namespace galley::resolver {

// spec.constraints[i]: a range (or a feature gate name for kubernetes.feature) and who set it.
struct RecipeConstraint {
  std::string name;    // one of constraint names in the schema, e.g. "driver.version"
  std::string value;   // e.g. ">=570.86, <600"
  std::string source;  // "file:line" of the overlay that set it
};

// spec.components[i].healthChecks[j]: an object that must exist and be ready.
struct HealthCheck {
  std::string kind;
  std::string name;
  std::optional<std::string> ns;  // absent for cluster-scoped kinds
};

// spec.components[i].manifests[j]: a plain manifest, its text inline.
struct RecipeManifest {
  std::string path;
  std::string content;
};

// spec.components[i]: one pinned component.
struct RecipeComponent {
  std::string name;
  std::string type;                       // helm, kustomize or manifest
  std::string version;                    // the pinned version, as written
  std::string ns;                         // namespace
  std::optional<std::string> chart;       // helm only
  std::optional<std::string> repository;  // helm only
  std::string chart_digest;               // chartDigest.digest: what the catalog records ("" = none)
  std::string chart_digest_source;        // chartDigest.source
  bool gpu_nodes = false;
  std::vector<std::string> node_selector_paths;  // placement.nodeSelector (values paths)
  std::vector<std::string> toleration_paths;     // placement.tolerations (values paths)
  std::vector<std::string> dependencies;         // sorted
  core::Json values = core::Json::object();      // merged Helm values
  std::vector<RecipeManifest> manifests;
  std::vector<HealthCheck> health_checks;

  // The Helm chart name: `chart` when set, else the component name.
  const std::string& chart_name() const { return chart ? *chart : name; }
};

// spec.advisories[i].excluded[j]: a component version the advisory ruled out.
struct ExcludedVersion {
  std::string component;
  std::string version;
};

// spec.advisories[i]: an advisory that applies, with its effect as fields.
struct RecipeAdvisory {
  std::string name;
  std::string summary;
  std::string source;    // URL of the announcement
  std::string severity;  // low, medium, high or critical
  std::string action;
  std::string effect;    // the effect in words, for people only
  std::vector<ExcludedVersion> excluded;
  std::optional<std::string> eol_date;   // YYYY-MM-DD, end-of-life advisories only
  std::optional<std::string> warn_from;  // YYYY-MM-DD, with eol_date when the advisory gives one
};

// spec.pools[i].overridden[j]: a value this pool's overlays set that an earlier pool's value overrode.
struct OverriddenValue {
  std::string path;    // components.NAME.values.PATH
  core::Json value;    // this pool's value
  core::Json kept;     // the recipe's value
  std::string source;  // file:line of this pool's value ("" when unknown)
};

// spec.pools[i].settings[j]: a value this pool sets for its own nodes, and how it reaches them.
struct PoolSetting {
  std::string component;
  std::string path;        // values path, e.g. driver.version
  core::Json value;        // this pool's value
  std::string source;      // file:line of this pool's value ("" when unknown)
  std::string applied_by;  // "node label nvidia.com/mig.config", "NVIDIADriver gpu-operator-train", ...
};

// spec.pools[i]: one node pool of a recipe for several pools.
struct RecipePool {
  std::string name;
  Criteria criteria;                                  // the pool's criteria (the cluster's under its own)
  std::map<std::string, std::string> node_selector;   // labels that put a node in this pool
  std::vector<std::string> overlays;
  std::vector<RecipeConstraint> constraints;          // sorted by name
  std::vector<std::string> components;                // the components it needs, sorted
  std::vector<OverriddenValue> overridden;
  std::vector<PoolSetting> settings;                  // values applied to this pool's nodes only
  std::map<std::string, std::string> node_labels;     // labels its nodes carry for them
};

// spec.images[i]: an image locked to a digest (recipe --lock-images).
struct LockedImage {
  std::string image;   // host/path:tag, as the recipe's values make it
  std::string digest;  // sha256:...
};

// The whole recipe, typed.
struct RecipeView {
  std::string name;    // metadata.name
  std::string digest;  // metadata.digest
  Criteria criteria;   // spec.criteria
  std::string catalog_digest;
  std::vector<std::string> overlays;            // applied, in order
  std::vector<std::string> unmatched_criteria;
  std::vector<RecipeConstraint> constraints;    // sorted by name
  std::vector<RecipeComponent> components;      // sorted by name
  std::vector<std::string> deployment_order;
  std::vector<RecipeAdvisory> advisories;
  std::vector<RecipePool> pools;                // empty for a one-pool recipe

  // The pools that need component `name` (empty for a one-pool recipe).
  std::vector<std::string> pools_of(const std::string& name) const;
  std::vector<LockedImage> images;              // empty unless the recipe was locked

  // The component named `name`, or nullptr.
  const RecipeComponent* component(const std::string& name) const;

  // Component name -> pinned version.
  std::map<std::string, std::string> versions() const;
};

// Criteria as a recipe writes them (spec.criteria): each field a string, nodes a number; equal to
// the recipe's spec.criteria, so a bundle's README lists them as the recipe does. Throws nothing.
core::Json criteria_json(const Criteria& criteria);

// Reads a checked Recipe document's JSON into a view. Does not check the schema or digest (see
// check_recipe); throws nlohmann's exceptions only on a document the schema would have refused.
RecipeView read_recipe_view(const core::Json& recipe);

}  // namespace galley::resolver
