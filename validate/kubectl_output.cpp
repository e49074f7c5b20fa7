// Cluster state from kubectl and helm output (files, or the commands' output captured at the edge).
#include <algorithm>
#include <tuple>

#include "core/error.hpp"
#include "core/version.hpp"
#include "validate/internal/accelerator_devices.hpp"
#include "validate/internal/json_text.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

using core::Json;

namespace {

// Large parts of a Node that a snapshot never uses; dropped while parsing.
const std::set<std::string>& k_dropped() {
  static const std::set<std::string> keys = {"managedFields", "annotations", "images", "conditions",
                                             "volumesInUse", "volumesAttached", "daemonEndpoints", "config"};
  return keys;
}

// kubectl and helm output is read with a lower size limit than documents (32 MiB, not 64): a DOM of
// JSON takes several times its size in memory, and a nodes.json this large is refused rather than
// risk a CI runner's memory. Strip managedFields and status.images first (docs/validate.md).
core::ReadLimits tool_limits() {
  core::ReadLimits limits;
  limits.max_bytes = k_max_tool_output_bytes;
  limits.max_nodes = 4'000'000;  // a large cluster's kubectl output (managedFields dropped while reading)
  return limits;
}

core::Error not_output_of(const std::string& name, const std::string& command, const std::string& why) {
  return core::Error(core::Exit::bad_input, core::Where{name, 0, ""},
                     "not the output of `" + command + "`: " + why);
}

std::string str(const Json& v, const char* key) {
  auto it = v.find(key);
  if (it == v.end() || it->is_null()) {
    return "";
  }
  return it->is_string() ? it->get<std::string>() : it->dump();
}

Json string_map(const Json& v) {
  Json out = Json::object();
  if (v.is_object()) {
    for (const auto& [k, x] : v.items()) {
      out[k] = x.is_string() ? x.get<std::string>() : x.dump();
    }
  }
  return out;
}

Json node_json(const Json& item) {
  const Json& meta = item.value("metadata", Json::object());
  const Json& spec = item.value("spec", Json::object());
  const Json& status = item.value("status", Json::object());
  Json n = {{"name", str(meta, "name")}, {"labels", string_map(meta.value("labels", Json::object()))}};
  Json allocatable = Json::object();
  const Json all = string_map(status.value("allocatable", Json::object()));
  for (const auto& [k, v] : all.items()) {
    if (is_accelerator_resource(k)) {
      allocatable[k] = v;
    }
  }
  n["allocatable"] = allocatable;
  Json taints = Json::array();
  for (const auto& t : spec.value("taints", Json::array())) {
    Json taint = {{"key", str(t, "key")}, {"effect", str(t, "effect")}};
    if (!str(t, "value").empty()) {
      taint["value"] = str(t, "value");
    }
    taints.push_back(taint);
  }
  n["taints"] = taints;
  const Json& info = status.value("nodeInfo", Json::object());
  for (const char* key : {"kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion", "architecture"}) {
    if (!str(info, key).empty()) {
      n[key] = str(info, key);
    }
  }
  if (std::string provider = str(spec, "providerID"); !provider.empty()) {
    n["providerID"] = provider;
    if (auto at = provider.find("://"); at != std::string::npos) {
      n["providerScheme"] = provider.substr(0, at);
    }
  }
  Json addresses = Json::array();
  for (const auto& a : status.value("addresses", Json::array())) {
    addresses.push_back({{"type", str(a, "type")}, {"address", str(a, "address")}});
  }
  n["addresses"] = addresses;
  return n;
}

// "gpu-operator-v25.10.1" -> {"gpu-operator", "v25.10.1"}: the version starts after the first '-'
// that is followed by a digit (or v and a digit) and parses as a version.
std::pair<std::string, std::string> split_chart(const std::string& chart) {
  for (size_t i = chart.find('-'); i != std::string::npos; i = chart.find('-', i + 1)) {
    std::string rest = chart.substr(i + 1);
    bool starts = !rest.empty() && (std::isdigit(static_cast<unsigned char>(rest[0])) != 0 ||
                                    (rest.size() > 1 && rest[0] == 'v' && std::isdigit(static_cast<unsigned char>(rest[1])) != 0));
    if (starts && core::Version::parse(rest)) {
      return {chart.substr(0, i), rest};
    }
  }
  return {chart, ""};
}

// Keys of Kubernetes objects never used by health checks: dropped while parsing (CRD schemas and pod
// templates are most of the bytes).
const std::set<std::string>& k_object_dropped() {
  static const std::set<std::string> keys = {"managedFields", "annotations", "template", "openAPIV3Schema",
                                             "volumeClaimTemplates", "caBundle", "schema"};
  return keys;
}

long long int_at(const Json& v, const char* key, long long fallback) {
  auto it = v.find(key);
  return it != v.end() && it->is_number_integer() ? it->get<long long>() : fallback;
}

bool condition_true(const Json& status, const std::string& type) {
  for (const auto& c : status.value("conditions", Json::array())) {
    if (c.is_object() && str(c, "type") == type) {
      return str(c, "status") == "True";
    }
  }
  return false;
}

// The list of items of a `kubectl get ... -o json` answer, or an error naming `command`.
// Kubernetes names are DNS subdomains of at most 253 characters: an item with a longer one is not
// kubectl's output, and its name never reaches a report or a message whole.
void check_names(const Json& items, const std::string& name, const std::string& command) {
  constexpr size_t k_max_name = 253;
  for (size_t i = 0; i < items.size(); ++i) {
    const Json& meta = items[i].is_object() ? items[i].value("metadata", Json::object()) : Json::object();
    if (size_t size = str(meta, "name").size(); size > k_max_name) {
      throw not_output_of(name, command, "item " + std::to_string(i) + " has a metadata.name of " + std::to_string(size) +
                                             " characters; Kubernetes names have at most " + std::to_string(k_max_name));
    }
  }
}

Json list_items(const Json& doc, const std::string& name, const std::string& command) {
  if (!doc.is_object()) {
    throw not_output_of(name, command, "expected a JSON object");
  }
  std::string kind = str(doc, "kind");
  if (!kind.ends_with("List") || !doc.contains("items") || !doc["items"].is_array()) {
    throw not_output_of(name, command, "expected a List with items, found " +
                                           (kind.empty() ? std::string("no kind") : "kind " + kind));
  }
  const Json& items = doc["items"];
  check_names(items, name, command);
  return items;
}

}  // namespace

const std::string& object_kinds() {
  static const std::string kinds = "deployments,daemonsets,statefulsets,customresourcedefinitions,apiservices";
  return kinds;
}

Json parse_kubectl_objects(std::string_view text, const std::string& name) {
  const std::string command = "kubectl get " + object_kinds() + " -A -o json";
  Json items = list_items(parse_json(text, name, k_object_dropped(), tool_limits()), name, command);
  Json out = Json::array();
  for (const auto& item : items) {
    if (!item.is_object() || str(item, "kind").empty() || !item.contains("metadata") ||
        str(item["metadata"], "name").empty()) {
      throw not_output_of(name, command, "item " + std::to_string(out.size()) + " has no kind or metadata.name");
    }
    const std::string kind = str(item, "kind");
    const Json& meta = item["metadata"];
    const Json& spec = item.value("spec", Json::object());
    const Json& status = item.value("status", Json::object());
    Json o = {{"kind", kind}, {"name", str(meta, "name")}};
    if (!str(meta, "namespace").empty()) {
      o["namespace"] = str(meta, "namespace");
    }
    if (kind == "Deployment" || kind == "StatefulSet") {
      o["ready"] = int_at(status, "readyReplicas", 0) >= int_at(spec, "replicas", 1);
    } else if (kind == "DaemonSet") {
      o["ready"] = int_at(status, "numberReady", 0) >= int_at(status, "desiredNumberScheduled", 0) &&
                   status.contains("desiredNumberScheduled");
    } else if (kind == "CustomResourceDefinition") {
      o["ready"] = condition_true(status, "Established");
    } else if (kind == "APIService") {
      o["ready"] = condition_true(status, "Available");
    }
    out.push_back(std::move(o));
  }
  std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return std::make_tuple(a["kind"].get<std::string>(), a.value("namespace", ""), a["name"].get<std::string>()) <
           std::make_tuple(b["kind"].get<std::string>(), b.value("namespace", ""), b["name"].get<std::string>());
  });
  return out;
}

Json parse_kubectl_pods(std::string_view text, const std::string& name) {
  const std::string command = "kubectl get pods -A -o json";
  Json items = list_items(parse_json(text, name, k_object_dropped(), tool_limits()), name, command);
  Json out = Json::array();
  for (const auto& item : items) {
    if (!item.is_object() || !item.contains("metadata") || str(item["metadata"], "name").empty()) {
      throw not_output_of(name, command, "item " + std::to_string(out.size()) + " has no metadata.name");
    }
    Json pod = {{"namespace", str(item["metadata"], "namespace")}, {"name", str(item["metadata"], "name")},
                {"containers", Json::array()}};
    const Json& status = item.value("status", Json::object());
    for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
      for (const auto& c : status.is_object() ? status.value(list, Json::array()) : Json::array()) {
        if (c.is_object() && !str(c, "name").empty()) {
          pod["containers"].push_back(Json{{"name", str(c, "name")}, {"image", str(c, "image")}, {"imageID", str(c, "imageID")}});
        }
      }
    }
    out.push_back(std::move(pod));
  }
  std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return std::make_tuple(a["namespace"].get<std::string>(), a["name"].get<std::string>()) <
           std::make_tuple(b["namespace"].get<std::string>(), b["name"].get<std::string>());
  });
  return out;
}

Json parse_feature_gates(std::string_view text, const std::string& name) {
  static constexpr std::string_view k_metric = "kubernetes_feature_enabled{";
  if (text.size() > k_max_tool_output_bytes) {
    throw core::Error(core::Exit::bad_input, core::Where{name, 0, ""},
                      "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                          std::to_string(k_max_tool_output_bytes));
  }
  Json gates = Json::object();
  size_t line_no = 0;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    std::string_view line = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (!line.starts_with(k_metric)) {
      continue;
    }
    auto bad = [&](const std::string& why) {
      return core::Error(core::Exit::bad_input, core::Where{name, static_cast<int>(line_no), ""},
                         "unparseable kubernetes_feature_enabled sample: " + why);
    };
    size_t close = line.find('}');
    size_t key = line.find("name=\"");
    if (close == std::string_view::npos || key == std::string_view::npos || key > close) {
      throw bad("no name label");
    }
    size_t quote = line.find('"', key + 6);
    if (quote == std::string_view::npos || quote > close) {
      throw bad("no name label");
    }
    std::string gate(line.substr(key + 6, quote - key - 6));
    std::string value(line.substr(close + 1));
    value.erase(0, value.find_first_not_of(' '));
    value = value.substr(0, value.find(' '));  // an optional timestamp follows
    if (value != "0" && value != "1") {
      throw bad("value \"" + value + "\" is neither 0 nor 1");
    }
    gates[gate] = value == "1";
  }
  if (gates.empty()) {
    throw core::Error(core::Exit::bad_input, core::Where{name, 0, ""},
                      "not the API server's metrics (`kubectl get --raw /metrics`): no kubernetes_feature_enabled "
                      "samples");
  }
  return gates;
}

Json parse_resource_slices(std::string_view text, const std::string& name) {
  const std::string command = "kubectl get resourceslices -o json";
  Json items = list_items(parse_json(text, name, {"managedFields", "annotations"}, tool_limits()), name, command);
  Json out = Json::array();
  for (const auto& item : items) {
    const Json spec = item.is_object() ? item.value("spec", Json::object()) : Json::object();
    if (str(item, "kind") != "ResourceSlice" || str(spec, "driver").empty()) {
      throw not_output_of(name, command, "item " + std::to_string(out.size()) + " is not a ResourceSlice with a driver");
    }
    Json s = {{"driver", str(spec, "driver")}, {"devices", spec.value("devices", Json::array()).size()}};
    if (!str(spec, "nodeName").empty()) {
      s["nodeName"] = str(spec, "nodeName");
    }
    if (spec.contains("pool") && !str(spec["pool"], "name").empty()) {
      s["pool"] = str(spec["pool"], "name");
    }
    out.push_back(std::move(s));
  }
  return out;
}

Json parse_kubectl_nodes(std::string_view text, const std::string& name) {
  Json doc = parse_json(text, name, k_dropped(), tool_limits());
  const std::string command = "kubectl get nodes -o json";
  if (!doc.is_object()) {
    throw not_output_of(name, command, "expected a JSON object");
  }
  std::string kind = str(doc, "kind");
  Json items;
  if (kind == "Node") {
    items = Json::array({doc});
  } else if ((kind == "List" || kind == "NodeList") && doc.contains("items") && doc["items"].is_array()) {
    items = std::move(doc["items"]);
  } else {
    throw not_output_of(name, command, "expected kind List or NodeList with items, found " +
                                           (kind.empty() ? std::string("no kind") : "kind " + kind));
  }
  check_names(items, name, command);
  Json nodes = Json::array();
  for (const auto& item : items) {
    if (!item.is_object() || str(item, "kind") != "Node") {
      throw not_output_of(name, command, "item " + std::to_string(nodes.size()) + " is not a Node");
    }
    nodes.push_back(node_json(item));
  }
  return nodes;
}

std::string parse_kubectl_version(std::string_view text, const std::string& name) {
  Json doc = parse_json(text, name, {}, tool_limits());
  if (!doc.is_object() || !doc.contains("serverVersion") || !doc["serverVersion"].is_object() ||
      str(doc["serverVersion"], "gitVersion").empty()) {
    throw not_output_of(name, "kubectl version -o json",
                        "no serverVersion.gitVersion (was the cluster reachable when it ran?)");
  }
  return str(doc["serverVersion"], "gitVersion");
}

Json parse_helm_releases(std::string_view text, const std::string& name) {
  Json doc = parse_json(text, name, {}, tool_limits());
  if (!doc.is_array()) {
    throw not_output_of(name, "helm list -A -o json", "expected a JSON list of releases");
  }
  Json items = Json::array();
  for (const auto& r : doc) {
    if (!r.is_object() || str(r, "name").empty() || str(r, "chart").empty()) {
      throw not_output_of(name, "helm list -A -o json",
                          "release " + std::to_string(items.size()) + " has no name or chart");
    }
    auto [chart, version] = split_chart(str(r, "chart"));
    Json c = {{"name", str(r, "name")}, {"namespace", str(r, "namespace")}, {"chart", chart}};
    for (auto [key, value] : {std::pair{"version", version}, std::pair{"appVersion", str(r, "app_version")},
                              std::pair{"status", str(r, "status")}}) {
      if (!value.empty()) {
        c[key] = value;
      }
    }
    items.push_back(c);
  }
  std::sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
    return std::tie(a["namespace"], a["name"]) < std::tie(b["namespace"], b["name"]);
  });
  return items;
}

}  // namespace galley::validate
