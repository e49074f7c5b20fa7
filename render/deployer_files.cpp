// The deployers' files: helm scripts, Argo CD Applications, Flux sources and releases.
#include "render/internal/deployer_files.hpp"

#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace galley::render {

using core::Error;
using core::Exit;
using core::Json;

namespace {

// What a deployer writes: whole-bundle files (template "<deployer>/<file>") and, optionally, one
// file per component folder from one template, with the values indented for where they sit.
struct Layout {
  const char* title;
  std::vector<std::pair<std::string, bool>> files;  // file name, executable
  std::string component_template;                   // "" = none
  std::string component_file;
  int values_indent = 0;
};

const Layout& layout_of(Deployer d) {
  static const Layout k_helm = {"Helm", {{"deploy.sh", true}, {"undeploy.sh", true}}, "", "", 0};
  static const Layout k_argocd = {"Argo CD", {{"app-of-apps.yaml", false}, {"argocd-cm-health.yaml", false}},
                                  "application.yaml", "application.yaml", 8};
  static const Layout k_flux = {"Flux", {{"gitrepository.yaml", false}, {"kustomization.yaml", false}},
                                "component.yaml", "flux.yaml", 4};
  return d == Deployer::helm ? k_helm : d == Deployer::argocd ? k_argocd : k_flux;
}

}  // namespace

const char* deployer_name(Deployer d) {
  switch (d) {
    case Deployer::helm: return "helm";
    case Deployer::argocd: return "argocd";
    case Deployer::flux: return "flux";
  }
  return "";
}

void check_deployer_options(const Options& options) {
  if (options.deployer != Deployer::helm && options.repo_url.empty()) {
    throw Error(Exit::bad_input, core::OptionField{"repo-url"},
                std::string(deployer_name(options.deployer)) +
                    " bundles are read from git: the repository URL (with its revision and path) of where the "
                    "bundle will live is required");
  }
  const std::pair<const char*, const std::string*> argocd_only[] = {{"argocd-project", &options.argocd_project},
                                                                    {"destination-server", &options.destination_server},
                                                                    {"destination-name", &options.destination_name},
                                                                    {"argocd-namespace", &options.argocd_namespace}};
  for (const auto& [field, value] : argocd_only) {
    if (!value->empty() && options.deployer != Deployer::argocd) {
      throw Error(Exit::bad_input, core::OptionField{field, *value}, "only for argocd bundles");
    }
  }
  if (!options.destination_server.empty() && !options.destination_name.empty()) {
    throw Error(Exit::bad_input, core::OptionField{"destination-name", options.destination_name},
                "a destination is a server or a cluster name, not both");
  }
  if (!options.kube_context.empty()) {
    if (options.deployer != Deployer::helm) {
      throw Error(Exit::bad_input, core::OptionField{"kube-context", options.kube_context}, "only for helm bundles");
    }
    for (char ch : options.kube_context) {
      if (!std::isalnum(static_cast<unsigned char>(ch)) && std::string_view("._-:@/").find(ch) == std::string_view::npos) {
        throw Error(Exit::bad_input, core::OptionField{"kube-context", options.kube_context},
                    "a context name of letters, digits and . _ - : @ / only");
      }
    }
  }
}

DeployerReadme write_deployer_files(const Options& options, const Templates& templates, const TemplateData& data,
                                    bundle::Bundle& bundle) {
  std::string name = deployer_name(options.deployer);
  const Layout& layout = layout_of(options.deployer);
  if (!layout.files.empty()) {
    Json all = data.for_bundle();
    for (const auto& [file, executable] : layout.files) {
      bundle.files[file] = bundle::File{templates.render(name + "/" + file, all), executable};
    }
  }
  if (!layout.component_template.empty()) {
    for (const auto& c : data.components()) {
      bundle.files[c["dir"].get<std::string>() + "/" + layout.component_file] =
          bundle::File{templates.render(name + "/" + layout.component_template, data.for_component(c, layout.values_indent)),
               false};
    }
  }
  // The README part, from "<deployer>/readme-files.md" and "<deployer>/readme-steps.md", which see
  // the common fields only.
  return {layout.title, templates.render(name + "/readme-files.md", data.common()),
          templates.render(name + "/readme-steps.md", data.common())};
}

}  // namespace galley::render
