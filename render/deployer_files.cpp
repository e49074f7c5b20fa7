// The deployers' files: helm scripts, Argo CD Applications, Flux sources and releases.
#include "render/deployer_files.hpp"

#include "core/error.hpp"

namespace galley::render {

using core::Error;
using core::Exit;
using core::Json;

namespace {

void add(Bundle& bundle, const std::string& path, std::string bytes, bool executable = false) {
  bundle.files[path] = File{std::move(bytes), executable};
}

// The README part from the templates "<deployer>/readme-files.md" and "<deployer>/readme-steps.md",
// which see the common fields only.
DeployerReadme readme(const std::string& deployer, std::string title, const Templates& templates,
                      const TemplateData& data) {
  return {std::move(title), templates.render(deployer + "/readme-files.md", data.common()),
          templates.render(deployer + "/readme-steps.md", data.common())};
}

DeployerReadme write_helm(const Templates& templates, const TemplateData& data, Bundle& bundle) {
  add(bundle, "deploy.sh", templates.render("helm/deploy.sh", data.for_bundle()), true);
  add(bundle, "undeploy.sh", templates.render("helm/undeploy.sh", data.for_bundle()), true);
  return readme("helm", "Helm", templates, data);
}

DeployerReadme write_argocd(const Templates& templates, const TemplateData& data, Bundle& bundle) {
  add(bundle, "app-of-apps.yaml", templates.render("argocd/app-of-apps.yaml", data.for_bundle()));
  add(bundle, "argocd-cm-health.yaml", templates.render("argocd/argocd-cm-health.yaml", data.for_bundle()));
  for (const auto& c : data.components()) {
    add(bundle, c["dir"].get<std::string>() + "/application.yaml",
        templates.render("argocd/application.yaml", data.for_component(c, 8)));
  }
  return readme("argocd", "Argo CD", templates, data);
}

DeployerReadme write_flux(const Templates& templates, const TemplateData& data, Bundle& bundle) {
  add(bundle, "gitrepository.yaml", templates.render("flux/gitrepository.yaml", data.for_bundle()));
  add(bundle, "kustomization.yaml", templates.render("flux/kustomization.yaml", data.for_bundle()));
  for (const auto& c : data.components()) {
    add(bundle, c["dir"].get<std::string>() + "/flux.yaml",
        templates.render("flux/component.yaml", data.for_component(c, 4)));
  }
  return readme("flux", "Flux", templates, data);
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
    throw Error(Exit::bad_input, core::Where{"", 0, "repoUrl"},
                std::string(deployer_name(options.deployer)) +
                    " bundles are read from git: the repository URL (with revision and path) of where the bundle "
                    "will live is required");
  }
}

DeployerReadme write_deployer_files(const Options& options, const Templates& templates, const TemplateData& data,
                                    Bundle& bundle) {
  switch (options.deployer) {
    case Deployer::helm: return write_helm(templates, data, bundle);
    case Deployer::argocd: return write_argocd(templates, data, bundle);
    case Deployer::flux: return write_flux(templates, data, bundle);
  }
  return {};
}

}  // namespace galley::render
