// The cluster part of a snapshot: from files (kubectl/helm output an auditor was given), or from
// kubectl and helm themselves when a kubeconfig is present and no file was named.
#include <filesystem>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate/internal/collect.hpp"
#include "validate/tool_run.hpp"

namespace galley::validate {

using core::Json;

namespace {

Json absent(const std::string& reason) { return {{"state", "absent"}, {"reason", reason}}; }

bool has_kubeconfig() {
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && *env != '\0') {
    return true;
  }
  const char* home = std::getenv("HOME");
  std::error_code ec;
  return home != nullptr && std::filesystem::exists(std::string(home) + "/.kube/config", ec);
}

std::string failure_reason(const ToolRun& run) {
  bool denied = run.err.find("Forbidden") != std::string::npos || run.err.find("forbidden") != std::string::npos;
  return denied ? "permission denied: " + run.reason : run.reason;
}

Json components_from(const CollectOptions& o, bool live) {
  if (!o.helm_releases_json.empty()) {
    Json out = {{"state", "present"}, {"source", "helm list -A -o json (" + o.helm_releases_json + ")"}};
    out["items"] = parse_helm_releases(core::read_file(o.helm_releases_json), o.helm_releases_json);
    return out;
  }
  if (!live) {
    return absent("no --helm-releases file given");
  }
  ToolRun run = run_tool({"helm", "list", "-A", "-o", "json"});
  if (!run.reason.empty()) {
    return absent(failure_reason(run));
  }
  try {
    Json out = {{"state", "present"}, {"source", "helm list -A -o json"}};
    out["items"] = parse_helm_releases(run.out, "helm list -A -o json");
    return out;
  } catch (const core::Error& e) {
    return absent(std::string("unparseable: ") + e.what());
  }
}

// One optional cluster part ({state, source, <key>: ...}) from a file or from a live kubectl run.
template <typename Parse>
Json part_from(const std::string& file, const char* key, const std::vector<std::string>& argv, bool live,
               const std::string& flag, Parse parse) {
  std::string command;
  for (const auto& a : argv) {
    command += (command.empty() ? "" : " ") + a;
  }
  if (!file.empty()) {
    Json out = {{"state", "present"}, {"source", command + " (" + file + ")"}};
    out[key] = parse(core::read_file(file), file);
    return out;
  }
  if (!live) {
    return absent("no " + flag + " file given");
  }
  ToolRun run = run_tool(argv);
  if (!run.reason.empty()) {
    return absent(failure_reason(run));
  }
  try {
    Json out = {{"state", "present"}, {"source", command}};
    out[key] = parse(run.out, command);
    return out;
  } catch (const core::Error& e) {
    return absent(std::string("unparseable: ") + e.what());
  }
}

void optional_parts(const CollectOptions& o, bool live, Json& cluster) {
  cluster["objects"] = part_from(o.objects_json, "items", {"kubectl", "get", object_kinds(), "-A", "-o", "json"},
                                 live, "--objects-json", parse_kubectl_objects);
  cluster["featureGates"] = part_from(o.metrics_text, "values", {"kubectl", "get", "--raw", "/metrics"}, live,
                                      "--metrics", parse_feature_gates);
  cluster["resourceSlices"] = part_from(o.resource_slices_json, "items",
                                        {"kubectl", "get", "resourceslices", "-o", "json"}, live,
                                        "--resource-slices", parse_resource_slices);
  cluster["pods"] = part_from(o.pods_json, "items", {"kubectl", "get", "pods", "-A", "-o", "json"}, live, "--pods-json",
                              parse_kubectl_pods);
}

Json cluster_from_files(const CollectOptions& o) {
  Json cluster = {{"state", "present"}};
  std::vector<std::string> sources;
  if (!o.nodes_json.empty()) {
    cluster["nodes"] = parse_kubectl_nodes(core::read_file(o.nodes_json), o.nodes_json);
    sources.push_back("kubectl get nodes -o json (" + o.nodes_json + ")");
  }
  if (!o.version_json.empty()) {
    cluster["serverVersion"] = parse_kubectl_version(core::read_file(o.version_json), o.version_json);
    sources.push_back("kubectl version -o json (" + o.version_json + ")");
  }
  cluster["source"] = core::join(sources, "; ");
  cluster["components"] = components_from(o, false);
  optional_parts(o, false, cluster);
  return cluster;
}

Json cluster_from_kubectl(const CollectOptions& o) {
  ToolRun nodes = run_tool({"kubectl", "get", "nodes", "-o", "json", "--request-timeout=20s"});
  if (!nodes.reason.empty()) {
    return absent(failure_reason(nodes));
  }
  Json cluster = {{"state", "present"}, {"source", "kubectl get nodes -o json; kubectl version -o json"}};
  try {
    cluster["nodes"] = parse_kubectl_nodes(nodes.out, "kubectl get nodes -o json");
    ToolRun version = run_tool({"kubectl", "version", "-o", "json", "--request-timeout=20s"});
    cluster["serverVersion"] = parse_kubectl_version(version.out, "kubectl version -o json");
  } catch (const core::Error& e) {
    return absent(std::string("unparseable: ") + e.what());
  }
  cluster["components"] = components_from(o, true);
  optional_parts(o, true, cluster);
  return cluster;
}

}  // namespace

Json collect_cluster(const CollectOptions& o) {
  if (!o.nodes_json.empty() || !o.version_json.empty() || !o.helm_releases_json.empty() ||
      !o.objects_json.empty() || !o.metrics_text.empty() || !o.resource_slices_json.empty() || !o.pods_json.empty()) {
    return cluster_from_files(o);
  }
  if (!o.use_kubectl || o.root != "/") {
    return absent("no cluster files given (--from-kubectl-json, --kubectl-version, --helm-releases, ...)");
  }
  if (!has_kubeconfig()) {
    return absent("not Kubernetes: no kubeconfig (KUBECONFIG or ~/.kube/config) and no cluster files given");
  }
  if (!on_path("kubectl")) {
    return absent("kubectl not found");
  }
  return cluster_from_kubectl(o);
}

Json collect_snapshot(const CollectOptions& o) {
  Json snapshot = {{"apiVersion", "galley.dev/v1alpha1"}, {"kind", "Snapshot"}};
  snapshot["metadata"] = {{"name", "snapshot"},
                          {"collectedAt", o.collected_at.empty() ? core::rfc3339(core::now_epoch()) : o.collected_at},
                          {"privacy", o.privacy == Privacy::full ? "full" : "hashed"}};
  Json node = o.skip_node ? Json{{"state", "absent"}, {"reason", "not collected: --skip-node"}} : collect_node(o);
  snapshot["spec"] = {{"node", node}, {"cluster", collect_cluster(o)}};
  if (o.privacy == Privacy::hashed) {
    apply_privacy(snapshot, o.salt);
  }
  core::Document doc{"snapshot", snapshot, {{"", 1}}, {}};
  core::check_document(doc, {"Snapshot"});  // a collector bug must not produce an invalid file
  return snapshot;
}

}  // namespace galley::validate
