#pragma once
// The Mustache data a bundle's templates are rendered with, built from the recipe, the components'
// final values and the options. Internal to render/.
#include <map>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "render/render.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::render {

// Where a vendored chart sits in the bundle: the archive for the helm deployer, the unpacked folder
// for Argo CD and Flux. Throws nothing.
std::string vendored_chart_path(const Options& options, const bundle::VendoredChart& chart);

class TemplateData {
 public:
  // Builds the common fields (recipe name and digest, galley version, git location) and one entry
  // per component in deployment order (folder, chart source, values as YAML, dependencies...).
  // `values` holds every component's final values. `recipe` and `options` must outlive this
  // object. Throws nothing for a checked recipe.
  TemplateData(const resolver::RecipeView& recipe, const std::map<std::string, core::Json>& values,
               const Options& options);

  // The common fields alone (recipe, galley version, git location): for small templates such as
  // the deployers' README parts.
  const core::Json& common() const { return m_common; }

  // The component entries, in deployment order.
  const core::Json& components() const { return m_components; }

  // Data for a whole-bundle template: the common fields, `components`, `reversed` (the list in
  // reverse order), then `extra`'s fields.
  core::Json for_bundle(const core::Json& extra = core::Json::object()) const;

  // Data for a per-component template: the common fields and `component`'s, with `valuesIndented`
  // set to its values indented by `indent` spaces (4 or 8). No lists: rendering cost stays linear.
  core::Json for_component(const core::Json& component, int indent) const;

  // Data for the README: for_bundle() plus `criteria` ("k=v, ..."), the deployer's parts and
  // `uncheckedSets` (the sets given without the chart-values check, as given) with `hasUncheckedSets`,
  // and `unpinnedImages` (locked images whose chart takes no digest) with `hasUnpinnedImages`.
  core::Json for_readme(const std::string& title, const std::string& files, const std::string& steps,
                        const std::vector<std::string>& unpinned = {}) const;

 private:
  core::Json component_entry(const resolver::RecipeComponent& component, size_t position,
                             const core::Json& values) const;

  const resolver::RecipeView& m_recipe;
  const Options& m_options;
  core::Json m_common;
  core::Json m_components;
};

}  // namespace galley::render
