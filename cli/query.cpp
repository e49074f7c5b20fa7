// galley query: one value or subtree of a recipe.
#include "cli/common.hpp"
#include "core/error.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::cli {

namespace {
struct QueryOptions {
  CriteriaFlags criteria;
  std::string recipe;
  std::string selector;
  Format format = Format::yaml;
};

int run_query(const QueryOptions& o, Context& ctx) {
  core::Json recipe = recipe_from(ctx, o.recipe, o.criteria);
  auto value = resolver::select(recipe, o.selector);
  if (!value) {
    throw core::Error(core::Exit::not_found, "\"" + o.selector + "\" is not in the recipe");
  }
  if (value->is_string()) {
    ctx.io.out << value->get<std::string>() << '\n';
  } else if (value->is_primitive()) {
    ctx.io.out << value->dump() << '\n';
  } else {
    ctx.io.out << render(*value, o.format);
  }
  return 0;
}
}  // namespace

void add_query(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<QueryOptions>(app, "query", "print one value or subtree of a recipe",
      R"(Paths: keys joined by '.', list items as [n], keys with dots as ["key"]; components by name.
Examples:
  galley query --selector components.gpu-operator.values.driver.version --recipe recipe.yaml
  galley query --selector deploymentOrder --service eks --accelerator h100 --intent training
A missing path exits 3.)");
  sub->add_option("--selector", opts->selector, "the path to print")->required()->option_text("PATH");
  sub->add_option("--recipe", opts->recipe, "a recipe file (instead of criteria)")->option_text("FILE");
  add_criteria_flags(*sub, opts->criteria);
  add_format_flag(*sub, opts->format, {Format::yaml, Format::json}, "format for subtrees");
  run = [opts](Context& ctx) { return run_query(*opts, ctx); };
}

}  // namespace galley::cli
