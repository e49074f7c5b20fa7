#pragma once
// Render: a Recipe -> a deployable bundle (in memory: path -> bytes) for Helm, Argo CD or Flux,
// through templates; and the one place that writes a bundle folder, atomically.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bundle/bundle.hpp"
#include "bundle/vendored_chart.hpp"
#include "core/document.hpp"

namespace galley::render {

enum class Deployer { helm, argocd, flux };
enum class Overwrite { no, yes };  // whether an existing bundle or template folder may be replaced

struct Toleration {
  std::string key;
  std::string value;   // "" = operator Exists
  std::string effect;  // NoSchedule | PreferNoSchedule | NoExecute
};

struct Options {
  Deployer deployer = Deployer::helm;
  std::vector<std::string> sets;                    // "component:path=value", in the syntax of Helm's sets
  std::vector<std::string> unchecked_sets;          // the same, not checked against the chart's values
  std::map<std::string, std::vector<core::Json>> values;  // component -> values documents, in order
  std::map<std::string, std::string> node_selector;
  std::vector<Toleration> tolerations;
  std::string registry_mirror;                      // host[:port][/prefix]
  std::string repo_url;                             // git source for argocd / flux
  std::string revision = "main";
  std::string path = ".";
  std::map<std::string, std::string> templates;     // overrides: template name -> text
  // Argo CD's conventions; "" = the default, and then not recorded in bundle.yaml.
  std::string argocd_project;                       // the AppProject (default "default")
  std::string destination_server;                   // API server URL (default https://kubernetes.default.svc)
  std::string destination_name;                     // a cluster registered by name, instead of the server
  std::string argocd_namespace;                     // where the Application objects live (default "argocd")
  // Helm: the kubeconfig context deploy.sh refuses to deploy anywhere else than ("" = any).
  std::string kube_context;
  // Chart archives to carry in the bundle (component -> archive, as deliver::fetch_charts gives
  // them): written to charts/, listed in bundle.yaml, and installed from there by deploy.sh.
  std::map<std::string, bundle::VendoredChart> vendored_charts;
};

// The chart every Helm component of `recipe` (already checked) installs: what fetch_charts fetches.
// Throws nothing for a checked recipe.
// With `mirror` ("HOST[/PREFIX]"), each chart where galley mirror put it (oci://MIRROR/<chart_oci_path>),
// the catalog's digest still checked as the catalog recorded it.
std::vector<bundle::ChartSource> chart_sources(const core::Json& recipe, const std::string& mirror = "");

// Names of the embedded templates ("helm/deploy.sh", ...), which Options::templates may override.
std::vector<std::string> template_names();

// Reads a folder of template overrides into a name -> text map for Options::templates:
// "DIR/helm/deploy.sh.mustache" overrides "helm/deploy.sh". Any other file is kept under its path
// relative to `dir`, so that render() refuses it as an unknown name. Throws core::Error (io, or
// bad_input for a file over 1 MiB) and std::filesystem::filesystem_error for a folder it cannot list.
std::map<std::string, std::string> read_template_folder(const std::string& dir);

// Writes every embedded template as DIR/<name>.mustache (the layout read_template_folder reads
// back), making folders as needed. A non-empty `dir` is refused unless Overwrite::yes, which
// replaces the template files and leaves other files alone. Throws core::Error (bad_input with the
// option field "force" for a non-empty folder; io) and std::filesystem::filesystem_error.
void export_templates(const std::string& dir, Overwrite overwrite);

// Parses "key=value:Effect" / "key:Effect" (a toleration). Throws core::Error(bad_input).
Toleration parse_toleration(const std::string& text);

// Renders `recipe` (already checked) into a bundle (bundle/bundle.hpp). Throws core::Error(bad_input) for a set on a
// component not in the recipe or conflicting with the chart's values, a set or values document
// naming a key the chart's upstream values do not have or a value its values schema refuses, an
// unknown template or a template variable with no value.
bundle::Bundle render(const core::Json& recipe, const Options& options);

// Writes the bundle to `dir` atomically: a temporary folder beside it, then a rename. An existing
// non-empty folder that is not a Galley bundle is never touched; an existing bundle is replaced
// only with Overwrite::yes. Throws core::Error (bad_input, io; bad_input with the option field
// "force" for an existing bundle without Overwrite::yes); on failure `dir` is unchanged.
void write_bundle(const bundle::Bundle& content, const std::string& dir, Overwrite overwrite);

// What write_bundle would find at `dir`, checked without writing: throws as write_bundle does for a
// target it would refuse (not a folder, a folder that is not a bundle, a bundle without
// Overwrite::yes); returns true when it would replace a bundle, false when `dir` is absent or empty.
bool check_bundle_target(const std::string& dir, Overwrite overwrite);

}  // namespace galley::render
