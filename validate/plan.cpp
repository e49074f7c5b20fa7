// A recipe made ready for checking: its digest and schema checked, every constraint's name known
// and every range parsed, once, before any snapshot is read.
#include "core/error.hpp"
#include "resolver/recipe_doc.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

namespace {

// The recipe's constraints at `at` ("spec.constraints" or "spec.pools[i].constraints"), each name
// known and value parsed; problems go to `diags`.
std::vector<Constraint> constraints_of(const core::Document& recipe, const std::vector<resolver::RecipeConstraint>& in,
                                       const std::string& at, core::Diagnostics& diags) {
  std::vector<Constraint> constraints;
  for (size_t i = 0; i < in.size(); ++i) {
    const resolver::RecipeConstraint& c = in[i];
    Constraint out{c.name, c.value, c.source, {}};
    std::string path = core::index(at, i);
    auto value = constraint_value(out.name);
    if (!value) {
      const auto& names = constraint_names();
      std::string near = core::closest(out.name, names);
      diags.add(core::Where{recipe.name, recipe.line_of(core::child(path, "name")), core::child(path, "name")},
                "unknown constraint \"" + out.name + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?") +
                    " (known: " + core::join(names) + ")");
      continue;
    }
    if (*value == ConstraintValue::feature_gate) {
      if (out.value.empty() || out.value.find_first_of(" ,=<>") != std::string::npos) {
        diags.add(core::Where{recipe.name, recipe.line_of(core::child(path, "value")), core::child(path, "value")},
                  "\"" + out.value + "\" is not a feature gate name");
      }
    } else if (*value == ConstraintValue::pattern) {
      if (out.value.empty() || out.value.find_first_of(",<>=") != std::string::npos ||
          out.value.starts_with('|') || out.value.ends_with('|') || out.value.find("||") != std::string::npos) {
        diags.add(core::Where{recipe.name, recipe.line_of(core::child(path, "value")), core::child(path, "value")},
                  "\"" + out.value + "\" is not a name pattern (e.g. \"amd64\", \"NVIDIA H100*|NVIDIA H200*\")");
      }
    } else if (out.range = core::Range::parse(out.value); !out.range) {
      diags.add(core::Where{recipe.name, recipe.line_of(core::child(path, "value")), core::child(path, "value")},
                "\"" + out.value + "\" is not a version range (e.g. \">=1.31\", \">=570.86, <600\", \"!=1.11.0\")");
    }
    constraints.push_back(std::move(out));
  }
  return constraints;
}

// The plan of a recipe whose schema and digest were checked.
Plan plan_of(const core::Document& recipe) {
  Plan plan;
  plan.recipe = resolver::read_recipe_view(recipe.value);
  core::Diagnostics diags;
  plan.constraints = constraints_of(recipe, plan.recipe.constraints, "spec.constraints", diags);
  for (size_t i = 0; i < plan.recipe.pools.size(); ++i) {
    const resolver::RecipePool& p = plan.recipe.pools[i];
    plan.pools.push_back({p.name, p.node_selector,
                          constraints_of(recipe, p.constraints, core::child(core::index("spec.pools", i), "constraints"), diags),
                          p.node_labels});
  }
  diags.throw_if_any(core::Exit::bad_input);
  return plan;
}

}  // namespace

Plan make_plan(const core::Document& recipe) {
  resolver::check_recipe(recipe);
  return plan_of(recipe);
}

Plan read_plan(const std::string& path) {
  Plan plan;
  resolver::read_recipe(path, [&plan](const core::Document& doc) { plan = plan_of(doc); });
  return plan;
}

}  // namespace galley::validate
