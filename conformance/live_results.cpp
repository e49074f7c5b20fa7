// Live results: the probe objects read back from the cluster with `kubectl get ... -o json`, run
// through the tool runner snapshots use (validate/tool_run.hpp). Fails closed: kubectl missing,
// failing or running past its time is an error, never an empty (or passing) result.
#include <set>

#include "conformance/conformance.hpp"
#include "conformance/internal/probe_names.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "validate/tool_run.hpp"

namespace galley::conformance {

namespace {

// "batch/v1" + "Job" -> "jobs.v1.batch"; "v1" + "Pod" -> "pods": the plural resource (what kubectl
// resolves for every API, a CRD's included) at the very API version the probe was written for.
std::string resource_of(const core::Json& object) {
  std::string api = object.value("apiVersion", "");
  std::string kind = object.value("kind", "") == "NetworkAttachmentDefinition" ? "network-attachment-definitions"
                                                                                : core::to_lower(object.value("kind", "")) + "s";
  size_t slash = api.find('/');
  return slash == std::string::npos ? kind : kind + "." + api.substr(slash + 1) + "." + api.substr(0, slash);
}

}  // namespace

std::vector<std::string> kubectl_command(const std::vector<Probe>& probes, const KubectlOptions& options) {
  std::set<std::string> resources;
  for (const auto& p : probes) {
    for (const auto& o : p.objects) {
      resources.insert(resource_of(o));
    }
  }
  if (resources.empty()) {
    throw core::Error(core::Exit::bad_input, core::Where{"probes", 0, "objects"},
                      "the recipe gives no probe objects for this version: nothing to read from the cluster");
  }
  std::vector<std::string> argv = {"kubectl"};
  if (!options.context.empty()) {
    argv.push_back("--context=" + options.context);
  }
  std::vector<std::string> list(resources.begin(), resources.end());
  for (const std::string& a : {std::string("get"), core::join(list, ","), std::string("--namespace=") + k_namespace,
                               std::string("--selector=") + k_probe_label, std::string("--output=json"),
                               "--request-timeout=" + std::to_string(options.timeout_s) + "s"}) {
    argv.push_back(a);
  }
  return argv;
}

std::pair<std::string, std::string> kubectl_results(const std::vector<Probe>& probes, const KubectlOptions& options) {
  std::vector<std::string> argv = kubectl_command(probes, options);
  std::string shown = core::join(argv, " ");
  if (!validate::on_path("kubectl")) {
    throw core::Error(core::Exit::not_found, core::Where{"kubectl", 0, ""},
                      "not found on PATH: install it, or give saved `kubectl get -o json` output as results");
  }
  // kubectl's own --request-timeout bounds each request; the runner's limit (a little longer) bounds the
  // whole run, discovery included.
  validate::ToolRun run = validate::run_tool(argv, options.timeout_s + 5);
  if (!run.ran) {
    throw core::Error(core::Exit::io, core::Where{shown, 0, ""}, run.reason + "; no results read");
  }
  if (run.status != 0) {
    std::string err = core::trim(run.err);
    err = err.substr(err.find_last_of('\n') == std::string::npos ? 0 : err.find_last_of('\n') + 1);  // kubectl's summary line
    throw core::Error(core::Exit::io, core::Where{shown, 0, ""},
                      "kubectl failed (exit " + std::to_string(run.status) + ")" + (err.empty() ? "" : ": " + err.substr(0, 500)) +
                          "; no results read");
  }
  return {shown, run.out};
}

}  // namespace galley::conformance
