#pragma once
// Each deployer's own files (Helm scripts, Argo CD Applications, Flux resources) and its part of
// the README, from templates. Internal to render/.
#include <string>

#include "render/render.hpp"
#include "render/internal/template_data.hpp"
#include "render/internal/templates.hpp"

namespace galley::render {

// "helm", "argocd" or "flux": the name recorded in bundle.yaml.
const char* deployer_name(Deployer deployer);

// The deployer's part of the README: its title, the list of its files and the numbered steps.
struct DeployerReadme {
  std::string title;
  std::string files;
  std::string steps;
};

// Adds the files of `options.deployer` to `bundle` and returns its README part. Throws
// core::Error(bad_input) for an argocd or flux bundle without a repository URL, or a template
// variable with no value.
DeployerReadme write_deployer_files(const Options& options, const Templates& templates, const TemplateData& data,
                                    bundle::Bundle& bundle);

// Throws core::Error(bad_input) when `options.deployer` reads the bundle from git and
// `options.repo_url` is empty, for Argo CD options on another deployer or both destinations, and
// for a kube context on a non-Helm bundle or with characters a shell would read.
void check_deployer_options(const Options& options);

}  // namespace galley::render
