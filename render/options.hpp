#pragma once
// Deployer options as texts (a command line's flags, a request's form fields) read into
// render::Options: the one place their names, syntax and checks live, for `galley bundle` and
// POST /v1/bundle alike.
#include <string>
#include <utility>
#include <vector>

#include "core/document.hpp"
#include "render/render.hpp"

namespace galley::render {

// The deployer options as given, before they are read.
struct OptionTexts {
  std::string deployer = "helm";               // one of deployer_names()
  std::vector<std::string> sets;               // "component:path=value"
  std::vector<std::string> unchecked_sets;     // the same, not checked against the chart's values
  std::vector<std::pair<std::string, core::Document>> values;  // component and a values document, in order
  std::vector<std::string> node_selectors;     // "key=value"
  std::vector<std::string> tolerations;        // "key=value:Effect" or "key:Effect"
  std::string registry_mirror;
  std::string repo_url;
  std::string revision = "main";
  std::string path = ".";
  std::string argocd_project;
  std::string destination_server;
  std::string destination_name;
  std::string argocd_namespace;
  std::string kube_context;
};

// The deployers by name: helm, argocd, flux.
const std::vector<std::string>& deployer_names();

// Splits "a<sep>b" at the first `sep` (both sides non-empty). Throws core::Error(bad_input) naming
// the option field `field` and the text.
std::pair<std::string, std::string> split_option(const std::string& text, char sep, const std::string& field);

// Reads `texts` into Options (templates stay the embedded ones). Throws core::Error(bad_input)
// naming the option field (deployer, node-selector, toleration, destination-name) or, for a values
// document that is not a map, the document's name and line.
Options read_options(const OptionTexts& texts);

}  // namespace galley::render
