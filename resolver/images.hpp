#pragma once
// The container images a recipe deploys: the catalog's image lists (recipes/images/<component>.yaml,
// kind ImageList, embedded beside the upstream chart values) read against each component's values,
// and the rewrites that go through the same values paths (a registry mirror, digests).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/image_reference.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::resolver {

// Image references are core's (core/image_reference.hpp).
using core::ImageReference;
using core::parse_image_reference;

// `image` as pulled through a registry mirror "host[:port][/prefix]": "mirror/<original path>",
// tag and digest kept. Throws nothing.
ImageReference through_mirror(const ImageReference& image, const std::string& mirror);

// One image of one component, at the recipe's values.
struct ImageUse {
  std::string component;
  std::string version;           // the component's pinned version
  std::string name;              // the image's name in the image list
  ImageReference reference;      // at the recipe's values
  bool deployed = true;          // false when a `when` condition is off
  std::vector<std::string> platforms;
  std::string deployed_by;
  std::map<std::string, std::string> paths;  // part (registry, repository, name, tag, digest, reference) -> values path
  std::vector<std::string> pools;            // the recipe's pools that need the component (empty: one pool)
  std::string unresolved;                    // why the reference cannot be known (empty: it is known)
  std::string fetches_at_run_time;           // what it downloads when it runs, at these values (empty: nothing known)
  bool takes_digest() const { return paths.contains("digest") || paths.contains("reference"); }
  bool fixed() const { return paths.empty(); }  // no value can change it
};

// Every image of every component of `recipe` at `values` (component -> values; a component absent
// from the map uses its recipe values). An image whose tag follows the cluster's Kubernetes version
// takes it from the recipe's criteria when they give a patch level; otherwise its `unresolved` says why. Components whose image list does not cover their pinned
// version, or that have none, are named in `uncovered` ("name version"). Throws core::Error only for
// a broken build (an embedded list that does not parse).
std::vector<ImageUse> recipe_images(const RecipeView& recipe, const std::map<std::string, core::Json>& values,
                                    std::vector<std::string>& uncovered);

// The images of `uses` (recipe_images of `recipe` at its values) that are deployed, each once
// (sorted), with the digest spec.images locked it to when the recipe is locked: what a mirror copies.
// Deployed images whose reference cannot be known are named in `uncovered` ("component version
// (image NAME: why)"). Throws nothing for a checked recipe.
std::vector<ImageReference> deployed_images(const RecipeView& recipe, const std::vector<ImageUse>& uses,
                                            std::vector<std::string>& uncovered);

// One line per deployed image that downloads something when it runs (its image list's
// fetchesAtRunTime, whose conditions hold at the recipe's values), naming what: mirroring images does
// not serve that to an air-gapped cluster. Sorted, each once.
std::vector<std::string> run_time_fetches(const std::vector<ImageUse>& images);

// Rewrites every image of `component` through its values paths so that it is pulled from
// `mirror` ("host[:port][/prefix]"): the registry-bearing part gets "mirror/" in front, and every
// other name part is written out so the chart builds exactly "mirror/<original reference>". Images
// no values path can move are appended to `not_rewritten` ("component image reference"). Returns
// false (and changes nothing) when the catalog has no image list for the component's version.
// Throws nothing.
bool mirror_component_images(const RecipeComponent& component, core::Json& values, const std::string& mirror,
                             std::vector<std::string>& not_rewritten);

// Pins images to digests through their charts' digest paths: `digests` maps an image reference
// (as recipe_images gives it, without digest) to "sha256:...". Images whose chart has no digest path
// are appended to `cannot_pin`. Throws nothing.
void pin_component_images(const RecipeComponent& component, core::Json& values,
                          const std::map<std::string, std::string>& digests, std::vector<std::string>& cannot_pin);

// What an image's tag pointed at when the recipe was locked.
struct ImageLock {
  std::string digest;                  // sha256:...
  std::string media_type;
  std::vector<std::string> platforms;
};

// `recipe` with spec.images: every image it deploys at its values (each reference once, without
// digest, with the image list entries using it), locked through `resolve`, and metadata.digest
// recomputed. Every image is resolved before anything is written, so an error leaves nothing
// half-locked. Components without an image list, and deployed images whose reference cannot be
// known, are named in `uncovered`. Throws what `resolve`
// throws, and core::Error(check_failed) when a reference that carries a digest resolves to another.
core::Json lock_images(const core::Json& recipe, const std::function<ImageLock(const ImageReference&)>& resolve,
                       std::vector<std::string>& uncovered);

// A chart's digest as its source names it at lock time, and where it was read.
struct ChartPin {
  std::string digest;  // sha256:... (the archive's for a classic repository, the manifest's for OCI)
  std::string source;  // a sentence: where it was read
};

// `recipe` with spec.components[].chartDigest on every Helm component, from `pin(component name)`,
// and metadata.digest recomputed. A digest already recorded (by the catalog, or an earlier lock) is
// kept only when the source still names it; otherwise core::Error(check_failed) naming both. Every
// chart is pinned before anything is returned. Throws what `pin` throws.
core::Json lock_charts(const core::Json& recipe, const std::function<ChartPin(const std::string& component)>& pin);

// The catalog's image lists, by component, as (document, problems) for lint: every values path an
// entry names must exist in the chart's upstream values copy (or sit under a subchart the component
// names), every version listed must be one the Component lists. `versions` maps a component to its
// versions, `subcharts` to its subcharts. Returns one line per problem ("file:line: field: message").
std::vector<std::string> lint_image_lists(const std::map<std::string, std::vector<std::string>>& versions,
                                          const std::map<std::string, std::vector<std::string>>& subcharts);

// As lint_image_lists, for the lists given as path ("images/<component>.yaml") -> YAML text instead of
// the embedded ones (tests check lists that are wrong on purpose with it). Throws core::Error
// (bad_input) for a list that does not parse, breaks the ImageList schema or is misnamed.
std::vector<std::string> lint_image_lists(const std::map<std::string, std::string>& lists,
                                          const std::map<std::string, std::vector<std::string>>& versions,
                                          const std::map<std::string, std::vector<std::string>>& subcharts);

// Whether the catalog has an image list for `component` (images, or spec.noImages). Throws
// core::Error only for a broken build (an embedded list that does not parse).
bool has_image_list(const std::string& component);

// Whether the catalog's image list for `component` holds for `version`. Throws as has_image_list.
bool image_list_covers(const std::string& component, const std::string& version);

// The list as text for `format`: "text" (a table), "json", "yaml", "hauler" (a Hauler Images
// manifest, content.hauler.cattle.io/v1), "zarf" (a ZarfPackageConfig with one component per Galley
// component), "skopeo-sync" (the YAML `skopeo sync --src yaml` reads). `name` names the list
// (the recipe's name). Images not deployed, or whose reference is unresolved, are left out of the
// mirroring formats. Throws nothing.
std::string image_list_text(const std::vector<ImageUse>& images, const std::string& format, const std::string& name);

// The formats image_list_text knows, in the order --help shows them.
std::vector<std::string> image_list_formats();

}  // namespace galley::resolver
