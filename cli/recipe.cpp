// galley recipe: resolve criteria into a locked Recipe.
#include <map>

#include "cli/common.hpp"
#include "cli/registry_flags.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "render/render.hpp"
#include "resolver/images.hpp"
#include "resolver/resolver.hpp"
#include "validate/validate.hpp"

namespace galley::cli {

namespace {
struct RecipeOptions {
  CriteriaFlags criteria;
  std::string recipe;  // an existing recipe to lock (--lock-images), instead of criteria
  std::string snapshot;
  std::string output = "-";
  bool force = false;
  Format format = Format::yaml;
  const CLI::Option* format_option = nullptr;  // given or not: a terminal gets a summary by default
  bool lock_images = false;
  bool lock_charts = false;
  std::string registry_config;  // docker config.json with credentials
  std::string lock_mirror;      // resolve the digests at this mirror
  bool plain_http = false;
  std::string ca_file;
};

// The last line of a summary.
const char* const k_summary_end =
    "The full Recipe: add --format yaml (or json) or -o FILE, or pipe the output; galley explain PATH says why a "
    "value is set.\n";

// Why a component got its version, in a few words, from its spec.components[i].selection.
std::string why_chosen(const core::Json& selection) {
  std::string constraint = selection["constraint"].get<std::string>();
  std::string why = constraint == "*" ? "newest in the catalog" : "newest matching " + constraint;
  if (selection.contains("source")) {
    why += " (" + selection["source"].get<std::string>() + ")";
  }
  const auto& rejected = selection["rejected"];
  if (!rejected.empty()) {
    why += "; not " + rejected[0]["version"].get<std::string>() + ": " + rejected[0]["reason"].get<std::string>();
    if (rejected.size() > 1) {
      why += " (+" + std::to_string(rejected.size() - 1) + " more)";
    }
  }
  return why;
}

// The recipe for a person on a terminal: name, overlays, criteria, each component with its version
// and why, advisories, digest, and how to get the whole document.
std::string summary(const core::Json& recipe, int width) {
  const core::Json& spec = recipe["spec"];
  std::string text = "recipe " + recipe["metadata"]["name"].get<std::string>() + "\n";
  std::vector<std::string> overlays;
  for (const auto& o : spec["overlays"]) {
    overlays.push_back(o.get<std::string>());
  }
  text += "  overlays: " + core::join(overlays, " -> ") + "\n";
  std::vector<std::string> criteria;
  for (const auto& [key, value] : spec["criteria"].items()) {
    criteria.push_back(criteria_flag(key) + " " + (value.is_string() ? value.get<std::string>() : value.dump()));
  }
  text += "criteria\n  " + core::join(criteria, " ") + "\n";
  std::map<std::string, const core::Json*> by_name;
  for (const auto& c : spec["components"]) {
    by_name[c["name"].get<std::string>()] = &c;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& name : spec["deploymentOrder"]) {
    const core::Json& c = *by_name.at(name.get<std::string>());
    rows.push_back({c["name"].get<std::string>(), c["version"].get<std::string>(), why_chosen(c["selection"])});
  }
  text += "components (" + std::to_string(rows.size()) + ", in deployment order)\n" + aligned(rows);
  const auto& advisories = spec.value("advisories", core::Json::array());
  text += "advisories (" + std::to_string(advisories.size()) + ")\n";
  rows.clear();
  for (const auto& a : advisories) {
    rows.push_back({a["severity"].get<std::string>(), a["name"].get<std::string>(),
                    a["effect"].get<std::string>() + ": " + a["action"].get<std::string>()});
  }
  text += aligned(rows);
  text += "digest " + recipe["metadata"]["digest"].get<std::string>() + "\n";
  text += k_summary_end;
  return fit_width(text, width);
}

// Resolves one image's tag to a digest over the distribution API, at the mirror when one is given.
resolver::ImageLock lock_one(const RecipeOptions& o, const resolver::ImageReference& image) {
  resolver::ImageReference at = o.lock_mirror.empty() ? image : resolver::through_mirror(image, o.lock_mirror);
  deliver::Reference ref{at.host(), at.repository(), at.tag, at.digest, at.str()};
  deliver::ImageDigest d =
      deliver::resolve_image_digest(ref, registry_options(o.plain_http, o.ca_file, o.registry_config, ref.host));
  return resolver::ImageLock{d.digest, d.media_type, d.platforms};
}

// Reads one chart's digest where its recipe names it (through the mirror when one is given: where
// galley mirror put it), as the catalog would record it.
resolver::ChartPin pin_one(const RecipeOptions& o, const bundle::ChartSource& chart) {
  std::string digest = deliver::chart_source_digest(chart, [&o](const std::string& host) {
    return registry_options(o.plain_http, o.ca_file, o.registry_config, host);
  });
  bool oci = chart.repository.starts_with("oci://");
  std::string what = !oci ? "the index.yaml entry of " : chart.recorded_is_manifest ? "the OCI manifest of " : "the chart layer of ";
  return {digest, what + chart.repository + " " + chart.version + ", read by galley recipe --lock-charts"};
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
  core::Json recipe;
  bool lock = o.lock_images || o.lock_charts;
  if (!lock && (!o.recipe.empty() || !o.registry_config.empty() || !o.lock_mirror.empty() || o.plain_http || !o.ca_file.empty())) {
    throw core::Error(core::Exit::bad_input,
                      "--recipe, --registry-config, --lock-mirror, --plain-http and --ca-file go with --lock-images or --lock-charts");
  }
  if (!o.recipe.empty()) {  // an existing recipe, checked (schema, digest), locked anew
    if (!o.snapshot.empty()) {
      throw core::Error(core::Exit::bad_input, "give either --recipe or --snapshot, not both");
    }
    recipe = recipe_from(ctx, o.recipe, o.criteria);
  } else {
    if (!has_criteria(o.criteria) && o.snapshot.empty()) {
      throw core::Error(core::Exit::bad_input, "no criteria given; e.g. --service eks --accelerator h100 --intent training");
    }
    auto criteria = o.snapshot.empty() ? load_criteria(o.criteria) : snapshot_criteria(o, ctx);
    auto catalog = load_catalog(ctx);
    recipe = resolver::resolve(*catalog, criteria, resolver::ResolveOptions{o.criteria.allow_partial});
    warn_about(ctx, recipe);
  }
  if (o.lock_charts) {  // every chart read before anything is written
    std::map<std::string, bundle::ChartSource> charts;
    for (auto& c : render::chart_sources(recipe, o.lock_mirror)) {
      charts.emplace(c.component, std::move(c));
    }
    recipe = resolver::lock_charts(recipe, [&](const std::string& component) { return pin_one(o, charts.at(component)); });
  }
  if (o.lock_images) {  // every image resolved before anything is written
    std::vector<std::string> uncovered;
    recipe = resolver::lock_images(recipe, [&o](const resolver::ImageReference& i) { return lock_one(o, i); }, uncovered);
    for (const auto& u : uncovered) {
      ctx.warn("the catalog lists no images for " + u + "; its images are not locked");
    }
  }
  Format format = chosen_format(ctx, o.format_option, o.format, o.output, Format::yaml);
  if (format == Format::table) {
    write_output(ctx, o.output, summary(recipe, ctx.io.width), {"", k_summary_end}, o.force);
  } else {
    write_output(ctx, o.output, render(recipe, format), {"Recipe", ""}, o.force);
  }
  return 0;
}
}  // namespace

void add_recipe(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<RecipeOptions>(app, "recipe", "resolve criteria into a locked recipe",
      R"(Examples:
  galley recipe --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34
  galley recipe --service gke --accelerator h100 --intent inference --platform dynamo --allow-partial
  galley recipe --criteria cluster.yaml --kubernetes 1.35 -o recipe.yaml
  galley recipe --service eks --os ubuntu --pool train:accelerator=h100,intent=training,platform=kubeflow \
      --pool infer:accelerator=l40s,intent=inference,platform=dynamo   # one recipe for two node pools
On a terminal, recipe prints a summary (components, versions and why, advisories, digest); a pipe,
-o FILE or --format yaml|json gets the whole Recipe document.
  galley recipe --snapshot cluster.yaml --intent training --platform kubeflow   # service, GPU, OS, Kubernetes inferred
  galley --data ./my-catalog recipe --service gke --accelerator gb200 --intent inference --format json
  galley recipe --criteria cluster.yaml --lock-images -o locked.yaml   # spec.images: every image by digest
  galley recipe --criteria cluster.yaml --lock-images --lock-mirror harbor.corp.local/mirror --registry-config auth.json
  galley recipe --recipe recipe.yaml --lock-images -o locked.yaml   # lock (or lock anew) an existing recipe
  galley recipe --criteria cluster.yaml --lock-images --lock-charts -o locked.yaml   # charts by digest too
--lock-images resolves every image the recipe deploys (galley images) to the digest of its manifest or
multi-platform index over the registry API, and records them in spec.images, inside the recipe's
digest; a tag not found is exit 3, the network exit 5, and nothing is written unless all resolved.
--lock-charts records each Helm chart's digest (a classic repository's index.yaml entry, an OCI
chart's manifest) where the catalog records none, and checks those it records (exit 1 when they
differ); bundle --vendor-charts and mirror then refuse any chart archive that differs.)");
  add_criteria_flags(*sub, opts->criteria);
  sub->add_option("--snapshot", opts->snapshot, "infer criteria from a Snapshot; flags override")->option_text("FILE");
  sub->add_option("-o,--output", opts->output, "file to write, or - for stdout (default)")->option_text("FILE");
  sub->add_flag("--force", opts->force, "replace an existing -o FILE that is not a Galley recipe");
  opts->format_option = add_format_flag(*sub, opts->format, {Format::table, Format::yaml, Format::json},
                                        "table: a summary (the default on a terminal); yaml (otherwise) or json: the Recipe");
  // The options below go with --lock-images or --lock-charts (either: run_recipe checks).
  sub->add_flag("--lock-images", opts->lock_images, "record every image's digest (spec.images)");
  sub->add_flag("--lock-charts", opts->lock_charts,
                "record every Helm chart's digest as its repository or registry names it (spec.components[].chartDigest)");
  sub->add_option("--recipe", opts->recipe, "an existing recipe file to lock (resolved anew), instead of criteria")
      ->option_text("FILE");
  sub->add_option("--registry-config", opts->registry_config,
                  "docker config.json with registry credentials for locking (default ~/.docker/config.json)")
      ->option_text("FILE");
  sub->add_option("--lock-mirror", opts->lock_mirror,
                  "HOST[/PREFIX]: resolve the digests at this mirror, where galley mirror put images and charts")
      ->option_text("MIRROR");
  sub->add_flag("--plain-http", opts->plain_http, "talk HTTP to the registries and repositories for locking (a local test one)");
  sub->add_option("--ca-file", opts->ca_file, "PEM CA certificates trusted for https while locking (default: the system's)")
      ->option_text("FILE")->check(CLI::ExistingFile);
  run = [opts](Context& ctx) { return run_recipe(*opts, ctx); };
}

}  // namespace galley::cli
