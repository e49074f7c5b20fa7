// galley images: every container image a recipe deploys, as a table or a mirroring tool's list.
#include "cli/common.hpp"
#include "resolver/images.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::cli {

namespace {
struct ImagesOptions {
  CriteriaFlags criteria;
  std::string recipe;
  std::string output = "-";
  std::string format = "table";
  bool force = false;
};

int run_images(const ImagesOptions& o, Context& ctx) {
  refuse_format_as_output(o.output);
  core::Json recipe = recipe_from(ctx, o.recipe, o.criteria);  // checked or resolved
  resolver::refuse_partial(recipe, o.criteria.allow_partial);
  auto view = resolver::read_recipe_view(recipe);
  std::vector<std::string> uncovered;
  auto images = resolver::recipe_images(view, {}, uncovered);
  for (const auto& u : uncovered) {
    ctx.warn("the catalog lists no images for " + u + "; its images are not in this list");
  }
  for (const auto& i : images) {
    if (!i.unresolved.empty() && i.deployed) {
      ctx.warn(i.component + " image " + i.name + " (" + i.reference.str() + ") has no known tag: " + i.unresolved +
               "; the mirroring formats leave it out");
    }
  }
  for (const auto& f : resolver::run_time_fetches(images)) {
    ctx.warn(f);
  }
  write_output(ctx, o.output, resolver::image_list_text(images, o.format, view.name), {}, o.force);
  return 0;
}
}  // namespace

void add_images(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<ImagesOptions>(app, "images", "list every container image a recipe deploys",
      R"(Examples:
  galley images --recipe recipe.yaml
  galley images --recipe recipe.yaml --format skopeo-sync -o sync.yaml
  skopeo sync --all --src yaml --dest docker sync.yaml harbor.corp.local/mirror
  galley images --service eks --accelerator h100 --os ubuntu --intent training --kubernetes 1.34 --format hauler
Images come from the catalog's image lists (recipes/images/), read at the recipe's values: overrides
change them and disabled parts are marked (table, json, yaml) or left out (hauler, zarf, skopeo-sync).
A component whose version the catalog has no image list for is named in a warning.
An image whose tag the chart reads from the cluster at install (its Kubernetes version) takes it from
the recipe's Kubernetes version when that has a patch level (--kubernetes 1.33.2); otherwise a warning
names it and says which value pins it, and the mirroring formats leave it out.
An image known to download something when it runs (packages, tools: the image list's
fetchesAtRunTime, at the recipe's values) is named in a warning too: mirroring the image does not
bring that into an air-gapped cluster.)");
  sub->add_option("--recipe", opts->recipe, "a recipe file (instead of criteria)")->option_text("FILE");
  add_criteria_flags(*sub, opts->criteria);
  one_of(sub->add_option("--format", opts->format, "table (default), json, yaml, or a mirroring tool's list: hauler, zarf, skopeo-sync"), resolver::image_list_formats());
  sub->add_option("-o,--output", opts->output, "file to write, or - for stdout (default)")->option_text("FILE");
  sub->add_flag("--force", opts->force, "replace an existing -o FILE");
  run = [opts](Context& ctx) { return run_images(*opts, ctx); };
}

}  // namespace galley::cli
