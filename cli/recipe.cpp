// galley recipe: resolve criteria into a locked Recipe.
#include "cli/common.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "resolver/resolver.hpp"
#include "validate/validate.hpp"

namespace galley::cli {

namespace {
struct RecipeOptions {
  CriteriaFlags criteria;
  std::string snapshot;
  std::string output = "-";
  Format format = Format::yaml;
};

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
  galley recipe --service eks --os ubuntu --pool train:accelerator=h100,intent=training,platform=kubeflow \
      --pool infer:accelerator=l40s,intent=inference,platform=dynamo   # one recipe for two node pools
  galley recipe --snapshot cluster.yaml --intent training --platform kubeflow   # service, GPU, OS, Kubernetes inferred
  galley --data ./my-catalog recipe --service gke --accelerator gb200 --intent inference --format json)");
  add_criteria_flags(*sub, opts->criteria);
  sub->add_option("--snapshot", opts->snapshot, "infer criteria from a Snapshot; flags override")->option_text("FILE");
  sub->add_option("-o,--output", opts->output, "file to write, or - for stdout (default)")->option_text("FILE");
  add_format_flag(*sub, opts->format);
  run = [opts](Context& ctx) { return run_recipe(*opts, ctx); };
}

}  // namespace galley::cli
