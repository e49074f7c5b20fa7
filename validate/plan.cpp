// A recipe made ready for checking: its digest and schema checked, every constraint's name known
// and every range parsed, once, before any snapshot is read.
#include <algorithm>

#include "core/error.hpp"
#include "resolver/recipe_doc.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

using core::Json;

const std::vector<std::string>& constraint_names() {
  static const std::vector<std::string> names = {"containerd.version", "cuda.version", "driver.version",
                                                 "gpu.count", "kernel.version", "kubernetes.feature",
                                                 "kubernetes.version", "os.version"};
  return names;
}

Plan make_plan(const core::Document& recipe) {
  resolver::check_recipe(recipe);
  Plan plan;
  plan.recipe = recipe.value;
  plan.recipe_name = recipe.value["metadata"]["name"].get<std::string>();
  plan.recipe_digest = recipe.value["metadata"]["digest"].get<std::string>();
  core::Diagnostics diags;
  const Json& constraints = recipe.value["spec"]["constraints"];
  for (size_t i = 0; i < constraints.size(); ++i) {
    const Json& c = constraints[i];
    Constraint out{c["name"].get<std::string>(), c["value"].get<std::string>(), c["source"].get<std::string>(), {}};
    std::string path = core::index("spec.constraints", i);
    const auto& names = constraint_names();
    if (std::find(names.begin(), names.end(), out.name) == names.end()) {
      std::string near = core::closest(out.name, names);
      diags.add(core::Where{recipe.name, recipe.line_of(core::child(path, "name")), core::child(path, "name")},
                "unknown constraint \"" + out.name + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?") +
                    " (known: " + core::join(names) + ")");
      continue;
    }
    if (out.name == "kubernetes.feature") {
      if (out.value.empty() || out.value.find_first_of(" ,=<>") != std::string::npos) {
        diags.add(core::Where{recipe.name, recipe.line_of(core::child(path, "value")), core::child(path, "value")},
                  "\"" + out.value + "\" is not a feature gate name");
      }
    } else if (out.range = core::Range::parse(out.value); !out.range) {
      diags.add(core::Where{recipe.name, recipe.line_of(core::child(path, "value")), core::child(path, "value")},
                "\"" + out.value + "\" is not a version range (e.g. \">=1.31\", \">=570.86, <600\", \"!=1.11.0\")");
    }
    plan.constraints.push_back(std::move(out));
  }
  diags.throw_if_any(core::Exit::bad_input);
  return plan;
}

}  // namespace galley::validate
