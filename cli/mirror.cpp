// galley mirror: every image and chart a recipe deploys, copied to a registry or an OCI layout, blob by blob.
#include "cli/common.hpp"
#include "cli/registry_flags.hpp"
#include "core/error.hpp"
#include "deliver/deliver.hpp"
#include "render/render.hpp"
#include "resolver/images.hpp"
#include "resolver/recipe_doc.hpp"
#include "resolver/recipe_view.hpp"

namespace galley::cli {

namespace {
struct MirrorOptions {
  CriteriaFlags criteria;
  std::string recipe;
  std::string to;
  std::string from;
  std::vector<std::string> platforms;
  std::string registry_config;
  bool plain_http = false;
  std::string ca_file;
  std::uint64_t max_blob = 1ull << 30;
  unsigned jobs = 4;
  bool images_only = false;
};

int run_mirror(const MirrorOptions& o, Context& ctx) {
  deliver::MirrorTarget to = deliver::parse_mirror_target(o.to);
  std::optional<deliver::MirrorTarget> from;
  if (!o.from.empty()) {
    from = deliver::parse_mirror_target(o.from);
  }
  std::vector<core::ImageReference> images;  // empty with --from and no recipe: the whole layout
  std::vector<bundle::ChartSource> charts;
  bool whole_layout = from && from->kind == deliver::MirrorTarget::Kind::layout;
  if (!o.recipe.empty() || has_criteria(o.criteria) || !whole_layout) {
    core::Json recipe = recipe_from(ctx, o.recipe, o.criteria);
    resolver::refuse_partial(recipe, o.criteria.allow_partial);
    std::vector<std::string> uncovered;
    auto view = resolver::read_recipe_view(recipe);
    auto uses = resolver::recipe_images(view, {}, uncovered);
    images = resolver::deployed_images(view, uses, uncovered);
    for (const auto& u : uncovered) {
      ctx.warn("the catalog lists no images for " + u + "; its images are not mirrored");
    }
    for (const auto& f : resolver::run_time_fetches(uses)) {
      ctx.warn(f);
    }
    if (!o.images_only) {
      charts = render::chart_sources(recipe);
    }
  }
  deliver::MirrorOptions m;
  m.platforms = o.platforms;
  m.max_blob = o.max_blob;
  m.jobs = o.jobs;
  std::string config = o.registry_config;
  bool plain = o.plain_http;
  std::string ca_file = o.ca_file;
  m.source_options = [config, plain, ca_file](const std::string& host) {
    return registry_options(plain, ca_file, config, host);
  };
  if (to.kind == deliver::MirrorTarget::Kind::registry) {
    m.target = m.source_options(to.location.substr(0, to.location.find('/')));
  }
  deliver::MirrorStats s;
  deliver::MirrorStats c;
  {
    Progress progress(ctx);  // cleared before the result is printed
    m.progress = progress.callback();
    if (!images.empty() || charts.empty()) {  // (no images and no recipe: the whole layout)
      s = deliver::mirror_images(images, from, to, m);
    }
    if (!charts.empty()) {
      c = deliver::mirror_charts(charts, from, to, m);
    }
  }
  for (const auto& n : s.narrowed) {
    ctx.warn("narrowed to the platforms asked for, so its digest changed: " + n);
  }
  ctx.io.out << "mirrored " << s.images << " images" << (charts.empty() ? "" : " and " + std::to_string(c.images) + " charts")
             << " to " << o.to << ": " << s.blobs_copied + c.blobs_copied << " blobs copied (" << s.bytes_copied + c.bytes_copied
             << " bytes), " << s.blobs_present + c.blobs_present << " already there, " << s.blobs_mounted + c.blobs_mounted
             << " mounted; " << s.manifests_copied + c.manifests_copied << " manifests written, "
             << s.manifests_present + c.manifests_present << " already there\n";
  return 0;
}
}  // namespace

void add_mirror(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<MirrorOptions>(app, "mirror", "copy every image and chart a recipe deploys to a registry or an OCI layout",
      R"(Examples:
  galley mirror --recipe recipe.yaml --to oci://harbor.corp.local/mirror
  galley mirror --recipe recipe.yaml --to oci-layout:/media/usb/images --image-platform linux/amd64
  galley mirror --from oci-layout:/media/usb/images --to oci://registry.inside:5000/mirror --plain-http
  galley mirror --recipe recipe.yaml --from oci://harbor.corp.local/mirror --to oci://edge.local/mirror
  galley bundle --recipe recipe.yaml --deployer helm -o out --registry-mirror harbor.corp.local/mirror
Images land at PREFIX/<original host>/<path>:<tag>, where bundle --registry-mirror points the charts.
Charts are copied too (unless --images-only): OCI charts as they are, charts of classic repositories
(index.yaml) checked against the index's and the catalog's digests and pushed as OCI charts, at
PREFIX/<host>/<path>/<chart>:<version>, where bundle --registry-mirror installs them from.
A locked recipe (recipe --lock-images) is copied by its digests. Blobs are copied one by one, each
size and digest checked; blobs already at the target are skipped, so running again after an
interruption copies only what is missing. Exit 1 for a digest mismatch, 3 when an image, manifest
or blob is missing at the source, 5 for the network.)");
  sub->add_option("--recipe", opts->recipe, "a recipe file (instead of criteria)")->option_text("FILE");
  add_criteria_flags(*sub, opts->criteria);
  sub->add_option("--to", opts->to, "oci://HOST[:PORT][/PREFIX] or oci-layout:DIR")->required()->option_text("TARGET");
  sub->add_option("--from", opts->from,
                  "oci-layout:DIR (written by --to oci-layout) or oci://HOST/PREFIX (another mirror) instead of the registries")
      ->option_text("SOURCE");
  sub->add_option("--image-platform", opts->platforms,
                  "os/arch of multi-platform images to copy (default all; repeatable, or a,b; --platform is the criterion)")
      ->delimiter(',')->option_text("OS/ARCH");
  sub->add_option("--registry-config", opts->registry_config, "docker config.json with credentials (default ~/.docker/config.json)")
      ->option_text("FILE");
  sub->add_flag("--plain-http", opts->plain_http, "talk HTTP, not HTTPS, to every registry (local test registries)");
  sub->add_option("--ca-file", opts->ca_file,
                  "PEM CA certificates trusted for https by every registry and chart repository (default: the system's)")
      ->option_text("FILE")->check(CLI::ExistingFile);
  sub->add_option("--max-blob", opts->max_blob, "refuse a blob larger than this (default 1 GiB)")
      ->option_text("N")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  sub->add_flag("--images-only", opts->images_only, "copy the images, not the charts");
  sub->add_option("--jobs", opts->jobs, "images copied at once (default 4)")->option_text("N")->check(CLI::Range(1u, 64u));
  run = [opts](Context& ctx) { return run_mirror(*opts, ctx); };
}

}  // namespace galley::cli
