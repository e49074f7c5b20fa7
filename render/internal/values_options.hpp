#pragma once
// A bundle's options applied to each component's values: values documents, Helm-style sets,
// node selectors and tolerations on GPU components, the registry mirror. Internal to render/.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/error.hpp"
#include "render/render.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::render {

class ValueOptions {
 public:
  // Parses the sets and checks that every set and values document names a component of `recipe`
  // (which must outlive this object) and only keys its chart's upstream values have (unchecked
  // sets excepted; see resolver::unknown_values_keys). Throws core::Error(bad_input) naming the
  // set or values entry, with the closest component name or key.
  ValueOptions(const resolver::RecipeView& recipe, const Options& options);

  // Each component's values (name -> values) with the options applied, in this order: values
  // documents (core::merge_values), sets, the chart's values schema check (where the chart ships
  // one: only problems the options brought in), unchecked sets, placement, the recipe's locked image
  // digests (spec.images, through the charts' digest paths), mirror. Appends to `warnings` a line per
  // GPU component whose chart has no placement path the catalog knows and per mirror gap, and to
  // `unpinned` each locked image whose chart takes no digest ("component image@digest").
  // Throws core::Error(bad_input) for a set that conflicts with the chart's values, values the
  // schema refuses or a placement path below a non-map.
  std::map<std::string, core::Json> apply(std::vector<std::string>& warnings, std::vector<std::string>& unpinned);

 private:
  struct Set {
    std::string component;
    std::string path;
    core::Json value;
    core::OptionField text;  // the set as given ("set", "component:path=value"), for errors
    bool checked = true;     // false: not checked against the chart's values
  };

  // A component's upstream chart: values.yaml and values.schema.json, each absent when not embedded.
  struct Chart {
    std::optional<core::Json> values;
    std::optional<core::Json> schema;
  };

  void check_keys(const std::string& name, const core::Json& values, const core::OptionField& what);
  void check_schema(const std::string& name, const core::Json& before, const core::OptionField& what);

  const Chart& chart_of(const std::string& name);  // parsed once, when first needed
  const core::Json& defaults_for(const std::string& name);
  core::Json& placement_target(const std::string& name, const std::string& path);
  void apply_placement(const resolver::RecipeComponent& component, std::vector<std::string>& warnings);
  // Every image of the component through the registry mirror: through the catalog's image list when
  // it has one for the version, else the values the recipe sets; warns about what stays unmirrored.
  void mirror_values(const resolver::RecipeComponent& component, core::Json& values, std::vector<std::string>& warnings);

  const resolver::RecipeView& m_recipe;
  const Options& m_options;
  std::vector<Set> m_sets;
  std::map<std::string, core::Json> m_values;    // every component's values, by name
  std::map<std::string, Chart> m_charts;         // by component name, loaded when first needed
};

// A chart through the mirror, where galley mirror puts it: an OCI chart "oci://host/path/chart" ->
// "oci://MIRROR/host/path/chart"; a classic repository's "https://host/path" (chart `chart`) ->
// "oci://MIRROR/host/path/chart", pushed there as an OCI chart.
std::string mirror_repository(const std::string& repo, const std::string& chart, const std::string& mirror);

}  // namespace galley::render
