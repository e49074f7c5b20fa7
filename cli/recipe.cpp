// galley recipe: resolve criteria into a locked Recipe.
#include "cli/common.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "resolver/images.hpp"
#include "resolver/resolver.hpp"
#include "validate/validate.hpp"

namespace galley::cli {

namespace {
struct RecipeOptions {
  CriteriaFlags criteria;
  std::string snapshot;
  std::string output = "-";
  Format format = Format::yaml;
  bool lock_images = false;
  std::string registry_config;  // docker config.json with credentials
  std::string lock_mirror;      // resolve the digests at this mirror
  bool plain_http = false;
};

// Resolves one image's tag to a digest over the distribution API, at the mirror when one is given.
resolver::ImageLock lock_one(const RecipeOptions& o, const resolver::ImageReference& image) {
  resolver::ImageReference at = o.lock_mirror.empty() ? image : resolver::through_mirror(image, o.lock_mirror);
  deliver::Reference ref{at.host(), at.repository(), at.tag, at.digest, at.str()};
  deliver::RegistryOptions r;
  r.plain_http = o.plain_http;
  r.credentials = deliver::docker_credentials(ref.host, o.registry_config);
  deliver::ImageDigest d = deliver::resolve_image_digest(ref, r);
  return resolver::ImageLock{d.digest, d.media_type, d.platforms};
}

// Criteria inferred from --snapshot FILE, with --criteria and flags laid over them.
resolver::Criteria snapshot_criteria(const RecipeOptions& o, Context& ctx) {
  auto snapshot = validate::read_snapshot(core::read_file(o.snapshot), o.snapshot);
  std::vector<std::string> notes;
  auto criteria = validate::criteria_from_snapshot(snapshot.value, load_criteria(o.criteria), notes);
  for (const auto& note : notes) {
    ctx.warn(note);
  }
  return criteria;
}

int run_recipe(const RecipeOptions& o, Context& ctx) {
  if (!has_criteria(o.criteria) && o.snapshot.empty()) {
    throw core::Error(core::Exit::bad_input, "no criteria given; e.g. --service eks --accelerator h100 --intent training");
  }
  auto criteria = o.snapshot.empty() ? load_criteria(o.criteria) : snapshot_criteria(o, ctx);
  auto catalog = load_catalog(ctx);
  auto recipe = resolver::resolve(*catalog, criteria, resolver::ResolveOptions{o.criteria.allow_partial});
  warn_about(ctx, recipe);
  if (o.lock_images) {  // every image resolved before anything is written
    std::vector<std::string> uncovered;
    recipe = resolver::lock_images(recipe, [&o](const resolver::ImageReference& i) { return lock_one(o, i); }, uncovered);
    for (const auto& u : uncovered) {
      ctx.warn("the catalog lists no images for " + u + "; its images are not locked");
    }
  }
  write_output(ctx, o.output, render(recipe, o.format));                 // atomic file, or stdout
  return 0;
}
}  // namespace

void add_recipe(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<RecipeOptions>(app, "recipe", "resolve criteria into a locked recipe",
      R"(Examples:
  galley recipe --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34
  galley recipe --service gke --accelerator h100 --intent inference --platform dynamo --allow-partial
  galley recipe --criteria cluster.yaml --kubernetes 1.35 -o recipe.yaml
  galley recipe --snapshot cluster.yaml --intent training --platform kubeflow   # service, GPU, OS, Kubernetes inferred
  galley --data ./my-catalog recipe --service gke --accelerator gb200 --intent inference --format json
  galley recipe --criteria cluster.yaml --lock-images -o locked.yaml   # spec.images: every image by digest
  galley recipe --criteria cluster.yaml --lock-images --lock-mirror harbor.corp.local/mirror --registry-config auth.json
--lock-images resolves every image the recipe deploys (galley images) to the digest of its manifest or
multi-platform index over the registry API, and records them in spec.images, inside the recipe's
digest; a tag not found is exit 3, the network exit 5, and nothing is written unless all resolved.)");
  add_criteria_flags(*sub, opts->criteria);
  sub->add_option("--snapshot", opts->snapshot, "infer criteria from a Snapshot; flags override")->option_text("FILE");
  sub->add_option("-o,--output", opts->output, "file to write, or - for stdout (default)")->option_text("FILE");
  add_format_flag(*sub, opts->format);
  auto* lock = sub->add_flag("--lock-images", opts->lock_images, "record every image's digest (spec.images)");
  sub->add_option("--registry-config", opts->registry_config,
                  "docker config.json with registry credentials for --lock-images (default ~/.docker/config.json)")
      ->option_text("FILE")->needs(lock);
  sub->add_option("--lock-mirror", opts->lock_mirror,
                  "HOST[/PREFIX]: resolve the digests at this mirror (HOST/PREFIX/original-host/path)")
      ->option_text("MIRROR")->needs(lock);
  sub->add_flag("--plain-http", opts->plain_http, "talk HTTP to the registries for --lock-images (a local test registry)")
      ->needs(lock);
  run = [opts](Context& ctx) { return run_recipe(*opts, ctx); };
}

}  // namespace galley::cli
