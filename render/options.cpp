// OptionTexts -> Options: deployer names, "key=value" splits, values documents, tolerations.
#include "render/options.hpp"

#include <algorithm>
#include <map>

#include "core/error.hpp"

namespace galley::render {

using core::Error;
using core::Exit;

const std::vector<std::string>& deployer_names() {
  static const std::vector<std::string> k_names = {"helm", "argocd", "flux"};
  return k_names;
}

std::pair<std::string, std::string> split_option(const std::string& text, char sep, const std::string& field) {
  size_t at = text.find(sep);
  if (at == std::string::npos || at == 0 || at + 1 == text.size()) {
    throw Error(Exit::bad_input, core::OptionField(field, text), std::string("expected two parts separated by '") + sep + "'");
  }
  return {text.substr(0, at), text.substr(at + 1)};
}

Options read_options(const OptionTexts& t) {
  static const std::map<std::string, Deployer> k_deployers = {
      {"helm", Deployer::helm}, {"argocd", Deployer::argocd}, {"flux", Deployer::flux}};
  auto deployer = k_deployers.find(t.deployer);
  if (deployer == k_deployers.end()) {
    throw Error(Exit::bad_input, core::OptionField("deployer"), "\"" + t.deployer + "\" is not one of " + core::join(deployer_names()));
  }
  if (!t.destination_server.empty() && !t.destination_name.empty()) {
    throw Error(Exit::bad_input, core::OptionField("destination-name"), "give a destination server or a destination name, not both");
  }
  Options o;
  o.deployer = deployer->second;
  o.sets = t.sets;
  o.unchecked_sets = t.unchecked_sets;
  for (const auto& [component, doc] : t.values) {
    if (!doc.value.is_object()) {
      throw Error(Exit::bad_input, core::Where{doc.name, 1, ""}, "a values file must be a YAML map");
    }
    o.values[component].push_back(doc.value);
  }
  for (const auto& ns : t.node_selectors) {
    auto [k, v] = split_option(ns, '=', "node-selector");
    o.node_selector[k] = v;
  }
  for (const auto& text : t.tolerations) {
    o.tolerations.push_back(parse_toleration(text));
  }
  o.registry_mirror = t.registry_mirror;
  o.repo_url = t.repo_url;
  o.revision = t.revision;
  o.path = t.path;
  o.argocd_project = t.argocd_project;
  o.destination_server = t.destination_server;
  o.destination_name = t.destination_name;
  o.argocd_namespace = t.argocd_namespace;
  o.kube_context = t.kube_context;
  return o;
}

}  // namespace galley::render
