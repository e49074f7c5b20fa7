// Snapshot x Recipe -> results. Pure: no files, no clock (the as-of date comes in the options).
//
// Fail closed. Each check ends in exactly one of four states: pass, fail, not-applicable (the
// recipe or the snapshot says the check does not concern this target) and could-not-verify (the
// data is absent, was denied, or does not parse). A constraint observed on many cluster nodes
// passes only when every observation is inside the range: one node outside is a failure, and one
// unparseable value with no failure is could-not-verify. Nothing absent is ever read as a pass.
#include <algorithm>
#include <set>

#include "core/deadline.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "validate/internal/accelerator_devices.hpp"
#include "validate/internal/os_image.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

using core::Json;
using resolver::HealthCheck;
using resolver::RecipeAdvisory;
using resolver::RecipeComponent;
using resolver::RecipeView;

namespace {

struct Observation {
  std::string value;
  std::string source;
  std::string wrong;  // set when the value is of another kind altogether (cri-o for containerd)
};

struct Observations {
  std::vector<Observation> items;
  std::string absent;  // why there are none
};

bool present(const Json& part) { return part.is_object() && part.value("state", "") == "present"; }

std::string reason_of(const Json& part, const std::string& what) {
  std::string r = part.is_object() ? part.value("reason", "") : "";
  return "data absent: " + (r.empty() ? what : what + " (" + r + ")");
}

Json result(const std::string& name, const std::string& category, const std::string& status,
            const std::string& expected, const std::string& observed, const std::string& source,
            const std::string& reason = "") {
  Json r = {{"name", name},         {"category", category}, {"status", status},
            {"expected", expected}, {"observed", observed}, {"source", source}};
  if (!reason.empty()) {
    r["reason"] = reason;
  }
  return r;
}

// The first run of digits and dots in free text ("Ubuntu 24.04.3 LTS" -> "24.04.3").
std::string first_version(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
      size_t end = text.find_first_not_of("0123456789.", i);
      return text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    }
  }
  return "";
}

const Json& nodes_of(const Json& cluster) {
  static const Json empty = Json::array();
  return present(cluster) && cluster.contains("nodes") ? cluster["nodes"] : empty;
}

// Observations of one node field ("node" part) plus one per cluster node (`per_node`).
template <typename PerNode>
Observations observe(const Json& snapshot, const char* part, const char* field, const std::string& what,
                     PerNode per_node) {
  Observations obs;
  const Json& node = snapshot["spec"]["node"];
  const Json& cluster = snapshot["spec"]["cluster"];
  if (present(node) && present(node.value(part, Json())) && node[part].contains(field)) {
    const Json& v = node[part][field];
    obs.items.push_back({v.is_string() ? v.get<std::string>() : v.dump(),
                         "spec.node." + std::string(part) + "." + field + " (" + node[part].value("source", "") + ")",
                         ""});
  }
  for (const auto& n : nodes_of(cluster)) {
    core::check_deadline();
    per_node(n, obs);
  }
  if (obs.items.empty()) {
    std::string reason = present(node) ? reason_of(node.value(part, Json()), what)
                                       : reason_of(node, what);
    if (!nodes_of(cluster).empty()) {
      reason = "data absent: " + what + " on no cluster node and not in the node part";
    }
    obs.absent = reason;
  }
  return obs;
}

auto node_field(const char* field) {
  return [field](const Json& n, Observations& obs) {
    if (n.contains(field)) {
      obs.items.push_back({n[field].get<std::string>(), "spec.cluster.nodes[" + n.value("name", "") + "]." + field, ""});
    }
  };
}

auto node_label(const char* label) {
  return [label](const Json& n, Observations& obs) {
    const Json& labels = n.value("labels", Json::object());
    if (labels.contains(label)) {
      obs.items.push_back({labels[label].get<std::string>(),
                           "spec.cluster.nodes[" + n.value("name", "") + "].labels[\"" + label + "\"]", ""});
    }
  };
}

Observations observe_kubernetes_version(const Json& snapshot) {
  const Json& cluster = snapshot["spec"]["cluster"];
  Observations obs;
  if (present(cluster) && cluster.contains("serverVersion")) {
    obs.items.push_back({cluster["serverVersion"].get<std::string>(),
                         "spec.cluster.serverVersion (" + cluster.value("source", "") + ")", ""});
  } else {
    obs.absent = reason_of(cluster, "no cluster server version");
  }
  return obs;
}

Observations observe_os_version(const Json& snapshot) {
  return observe(snapshot, "os", "versionId", "no OS version", [](const Json& n, Observations& obs) {
    if (n.contains("osImage")) {
      obs.items.push_back({first_version(n["osImage"].get<std::string>()),
                           "spec.cluster.nodes[" + n.value("name", "") + "].osImage", ""});
    }
  });
}

Observations observe_kernel_version(const Json& snapshot) {
  return observe(snapshot, "kernel", "release", "no kernel release", node_field("kernelVersion"));
}

Observations observe_driver_version(const Json& snapshot) {
  return observe(snapshot, "gpus", "driverVersion", "no GPU driver version", [](const Json& n, Observations& obs) {
    for (const auto& v : accelerator_vendors()) {
      if (!v.driver_label.empty()) {
        node_label(v.driver_label.c_str())(n, obs);
      }
    }
  });
}

Observations observe_cuda_version(const Json& snapshot) {
  return observe(snapshot, "gpus", "cudaVersion", "no CUDA version", node_label("nvidia.com/cuda.runtime-version.full"));
}

Observations observe_containerd_version(const Json& snapshot) {
  return observe(snapshot, "containerd", "version", "no containerd version", [](const Json& n, Observations& obs) {
    if (n.contains("containerRuntimeVersion")) {
      std::string v = n["containerRuntimeVersion"].get<std::string>();
      std::string source = "spec.cluster.nodes[" + n.value("name", "") + "].containerRuntimeVersion";
      bool containerd = v.starts_with("containerd://");
      obs.items.push_back({containerd ? v.substr(13) : v, source, containerd ? "" : "the runtime is not containerd"});
    }
  });
}

// The node's GPUs, or each cluster node's allocatable accelerators (nvidia.com/gpu, amd.com/gpu,
// google.com/tpu: accelerator nodes only).
Observations observe_gpu_count(const Json& snapshot) {
  Observations obs = observe(snapshot, "gpus", "count", "no GPU data", [](const Json& n, Observations& o) {
    const Json& alloc = n.value("allocatable", Json::object());
    for (const auto& v : accelerator_vendors()) {
      if (alloc.contains(v.resource)) {
        o.items.push_back({alloc[v.resource].get<std::string>(),
                           "spec.cluster.nodes[" + n.value("name", "") + "].allocatable[\"" + v.resource + "\"]", ""});
      }
    }
  });
  if (obs.items.empty() && !nodes_of(snapshot["spec"]["cluster"]).empty()) {
    std::vector<std::string> resources;
    for (const auto& v : accelerator_vendors()) {
      resources.push_back(v.resource);
    }
    obs.items.push_back({"0", "spec.cluster.nodes (no node has allocatable " + core::join(resources, " or ") + ")", ""});
  }
  return obs;
}

// The node's os-release ID, or each cluster node's osImage read as one ("Ubuntu 24.04.3 LTS" -> ubuntu).
Observations observe_os_id(const Json& snapshot) {
  return observe(snapshot, "os", "id", "no OS id", [](const Json& n, Observations& obs) {
    if (n.contains("osImage")) {
      std::string image = n["osImage"].get<std::string>();
      std::string id = os_id_of_image(image);
      obs.items.push_back({id.empty() ? image : id, "spec.cluster.nodes[" + n.value("name", "") + "].osImage", ""});
    }
  });
}

// The node's CPU architecture (uname machine, as Kubernetes names it), or each cluster node's.
Observations observe_cpu_architecture(const Json& snapshot) {
  return observe(snapshot, "kernel", "architecture", "no CPU architecture", node_field("architecture"));
}

// Every GPU's product name on the node (the GPU tool's), or each cluster node's product label (GFD's
// nvidia.com/gpu.product, AMD's amd.com/gpu.product-name, GKE's cloud.google.com/gke-tpu-accelerator).
Observations observe_gpu_product(const Json& snapshot) {
  Observations obs;
  const Json& node = snapshot["spec"]["node"];
  const Json gpus = present(node) ? node.value("gpus", Json()) : node;
  if (present(gpus)) {
    const Json devices = gpus.value("devices", Json::array());
    for (size_t i = 0; i < devices.size(); ++i) {
      if (devices[i].contains("productName")) {
        obs.items.push_back({devices[i]["productName"].get<std::string>(),
                             core::index("spec.node.gpus.devices", i) + ".productName (" + gpus.value("source", "") + ")",
                             ""});
      }
    }
  }
  std::vector<std::string> labels;
  for (const auto& v : accelerator_vendors()) {
    labels.push_back(v.product_label);
  }
  for (const auto& n : nodes_of(snapshot["spec"]["cluster"])) {
    for (const auto& label : labels) {
      node_label(label.c_str())(n, obs);
    }
  }
  if (obs.items.empty()) {
    obs.absent = !nodes_of(snapshot["spec"]["cluster"]).empty()
                     ? "data absent: no GPU product on any cluster node (label " + core::join(labels, ", ") +
                           ") nor in the node part"
                     : reason_of(present(node) ? gpus : node, "no GPU product name");
  }
  return obs;
}

// The one table of constraints: every name a recipe may use (the schemas' enum must list exactly
// these; tests/validate/checks_test.cpp compares), what its value is, and how a snapshot shows it.
// kubernetes.feature names a feature gate and is checked by check_feature.
// `scope` says whether the constraint is about a node (checked under --scope node) or the cluster.
struct ConstraintCheck {
  const char* name;
  ConstraintValue value;
  Scope scope;
  Observations (*observe)(const Json& snapshot);
};

constexpr ConstraintCheck k_constraints[] = {
    {"containerd.version", ConstraintValue::range, Scope::node, observe_containerd_version},
    {"cpu.architecture", ConstraintValue::pattern, Scope::node, observe_cpu_architecture},
    {"cuda.version", ConstraintValue::range, Scope::node, observe_cuda_version},
    {"driver.version", ConstraintValue::range, Scope::node, observe_driver_version},
    {"gpu.count", ConstraintValue::range, Scope::node, observe_gpu_count},
    {"gpu.product", ConstraintValue::pattern, Scope::node, observe_gpu_product},
    {"kernel.version", ConstraintValue::range, Scope::node, observe_kernel_version},
    {"kubernetes.feature", ConstraintValue::feature_gate, Scope::cluster, nullptr},
    {"kubernetes.version", ConstraintValue::range, Scope::cluster, observe_kubernetes_version},
    {"os.id", ConstraintValue::pattern, Scope::node, observe_os_id},
    {"os.version", ConstraintValue::range, Scope::node, observe_os_version},
};

bool in_scope(Scope of, const ValidateOptions& options) { return options.scope == Scope::all || options.scope == of; }

const ConstraintCheck* find_constraint(const std::string& name) {
  for (const auto& c : k_constraints) {
    if (name == c.name) {
      return &c;
    }
  }
  return nullptr;
}

// "a, b, c" over distinct values, at most five, in first-seen order.
std::string distinct(const std::vector<std::string>& values) {
  std::vector<std::string> seen;
  for (const auto& v : values) {
    if (std::find(seen.begin(), seen.end(), v) == seen.end()) {
      seen.push_back(v);
    }
  }
  if (seen.size() <= 5) {
    return core::join(seen);
  }
  size_t more = seen.size() - 5;
  seen.resize(5);
  return core::join(seen) + " and " + std::to_string(more) + " more";
}

Json check_feature(const Constraint& c, const Json& snapshot) {
  std::string name = "constraint/kubernetes.feature/" + c.value;
  const Json& cluster = snapshot["spec"]["cluster"];
  const Json gates = present(cluster) ? cluster.value("featureGates", Json()) : cluster;
  if (!present(gates)) {
    return result(name, "constraint", "could-not-verify", "enabled", "", "",
                  reason_of(gates, "no feature gates in the snapshot"));
  }
  std::string source = "spec.cluster.featureGates (" + gates.value("source", "") + ")";
  const Json values = gates.value("values", Json::object());
  if (!values.contains(c.value)) {
    return result(name, "constraint", "could-not-verify", "enabled", "", source,
                  "data absent: the API server does not report feature gate " + c.value);
  }
  bool on = values[c.value].get<bool>();
  return result(name, "constraint", on ? "pass" : "fail", "enabled", on ? "enabled" : "disabled", source);
}

Json check_constraint(const Constraint& c, const Json& snapshot) {
  const ConstraintCheck* check = find_constraint(c.name);
  if (check == nullptr) {  // make_plan lets only known names in
    throw core::Error(core::Exit::bad_input, "unknown constraint \"" + c.name + "\"");
  }
  if (check->value == ConstraintValue::feature_gate) {
    return check_feature(c, snapshot);
  }
  std::string name = "constraint/" + c.name;
  Observations obs = check->observe(snapshot);
  if (obs.items.empty()) {
    return result(name, "constraint", "could-not-verify", c.value, "", "", obs.absent);
  }
  std::vector<std::string> values;
  std::vector<std::string> sources;
  std::vector<std::string> failed;
  std::vector<std::string> unparseable;
  for (const auto& o : obs.items) {
    values.push_back(o.value);
    sources.push_back(o.source);
    if (check->value == ConstraintValue::pattern) {
      if (!pattern_matches(c.value, o.value)) {
        failed.push_back(o.value);
      }
      continue;
    }
    auto v = core::Version::parse(o.value);
    if (!o.wrong.empty()) {
      failed.push_back(o.value + " (" + o.wrong + ")");
    } else if (!v) {
      unparseable.push_back(o.value);
    } else if (!c.range->contains(*v)) {
      failed.push_back(o.value);
    }
  }
  std::string observed = distinct(values);
  std::string source = sources.size() == 1 ? sources[0] : distinct(sources);
  std::string of = " of " + std::to_string(obs.items.size());
  if (!failed.empty()) {
    std::string outside = check->value == ConstraintValue::pattern ? " not matching: " : " outside the range: ";
    return result(name, "constraint", "fail", c.value, observed, source,
                  std::to_string(failed.size()) + of + outside + distinct(failed));
  }
  if (!unparseable.empty()) {
    return result(name, "constraint", "could-not-verify", c.value, observed, source,
                  "unparseable: " + distinct(unparseable) + " is not a version");
  }
  return result(name, "constraint", "pass", c.value, observed, source);
}

const Json* find_release(const Json& items, const RecipeComponent& component) {
  const Json* by_chart = nullptr;
  const std::string& name = component.name;
  const std::string& chart = component.chart_name();
  for (const auto& item : items) {
    if (item["name"] == name) {
      return &item;
    }
    if (by_chart == nullptr && item.value("chart", "") == chart) {
      by_chart = &item;
    }
  }
  return by_chart;
}

Json check_component(const RecipeComponent& component, const Json& components) {
  const std::string& name = component.name;
  std::string expected = component.version + " in " + component.ns;
  std::string label = "component/" + name;
  if (component.type != "helm") {
    return result(label, "component", "not-applicable", expected, "", "",
                  "not a Helm release (" + component.type + "): checked by its health checks");
  }
  if (!present(components)) {
    return result(label, "component", "could-not-verify", expected, "", "", reason_of(components, "no Helm releases"));
  }
  std::string source = "spec.cluster.components (" + components.value("source", "") + ")";
  const Json* found = find_release(components["items"], component);
  if (found == nullptr) {
    return result(label, "component", "fail", expected, "absent", source, "missing: no Helm release " + name);
  }
  std::string version = found->value("version", "");
  std::string ns = found->value("namespace", "");
  std::string observed = (version.empty() ? "unknown version" : version) + " in " + ns;
  auto want = core::Version::parse(component.version);
  auto got = core::Version::parse(version);
  if (!got) {
    return result(label, "component", "could-not-verify", expected, observed, source,
                  "unparseable: chart version \"" + version + "\"");
  }
  if (core::compare(*want, *got) != 0) {
    return result(label, "component", "fail", expected, observed, source, "other version");
  }
  if (ns != component.ns) {
    return result(label, "component", "fail", expected, observed, source, "other namespace");
  }
  return result(label, "component", "pass", expected, observed, source);
}

Json check_health(const RecipeComponent& component, const Json& cluster) {
  std::string label = "health/" + component.name;
  std::vector<std::string> wanted;
  for (const auto& h : component.health_checks) {
    wanted.push_back(h.kind + " " + (h.ns ? *h.ns + "/" : "") + h.name);
  }
  std::string expected = core::join(wanted) + " ready";
  const Json objects = present(cluster) ? cluster.value("objects", Json()) : Json();
  if (!present(objects)) {
    return result(label, "health", "could-not-verify", expected, "", "",
                  reason_of(objects, "the snapshot has no Kubernetes objects"));
  }
  std::vector<std::string> missing;
  std::vector<std::string> not_ready;
  for (size_t i = 0; i < wanted.size(); ++i) {
    const HealthCheck& h = component.health_checks[i];
    auto it = std::find_if(objects["items"].begin(), objects["items"].end(), [&](const Json& o) {
      return o["kind"] == h.kind && o["name"] == h.name && o.value("namespace", "") == h.ns.value_or("");
    });
    if (it == objects["items"].end()) {
      missing.push_back(wanted[i]);
    } else if (!it->value("ready", true)) {
      not_ready.push_back(wanted[i]);
    }
  }
  std::string source = "spec.cluster.objects (" + objects.value("source", "") + ")";
  if (!missing.empty() || !not_ready.empty()) {
    std::string why = missing.empty() ? "" : "missing: " + core::join(missing);
    why += not_ready.empty() ? "" : std::string(why.empty() ? "" : "; ") + "not ready: " + core::join(not_ready);
    return result(label, "health", "fail", expected, "", source, why);
  }
  return result(label, "health", "pass", expected, "all present and ready", source);
}

// Releases the snapshot shows that the recipe does not name: drift, reported but not a failure
// (a cluster may run more than one recipe's worth of software).
void extras(const std::vector<RecipeComponent>& recipe_components, const Json& components, Json& out) {
  if (!present(components)) {
    return;
  }
  std::set<const Json*> matched;
  for (const auto& c : recipe_components) {
    if (const Json* f = find_release(components["items"], c); f != nullptr && c.type == "helm") {
      matched.insert(f);
    }
  }
  for (const auto& item : components["items"]) {
    if (matched.count(&item) == 0) {
      std::string ns = item.value("namespace", "");
      out.push_back(result("extra/" + ns + "/" + item["name"].get<std::string>(), "component", "not-applicable",
                           "absent (not in the recipe)", item.value("chart", "") + " " + item.value("version", "") +
                           " in " + ns, "spec.cluster.components", "extra: not in the recipe"));
    }
  }
}

// A running image's reference split: path (host/…), tag ("" = none), digest ("" = none).
struct RunningImage {
  std::string path;
  std::string tag;
};

RunningImage split_running(const std::string& image) {
  std::string ref = image.substr(0, image.find('@'));
  size_t colon = ref.rfind(':');
  if (colon != std::string::npos && ref.find('/', colon) == std::string::npos) {
    return {ref.substr(0, colon), ref.substr(colon + 1)};
  }
  return {ref, ""};
}

// Drift from a locked recipe: every container the snapshot's pods run from one of the recipe's
// locked images (the same path, or a mirror's PREFIX/<path>) must run the locked digest. One
// failing result per drifting container; one passing result when none drifts.
void check_image_drift(const std::vector<resolver::LockedImage>& locked, const Json& cluster, Json& out) {
  if (locked.empty()) {
    return;
  }
  const std::string expected = "the containers of the recipe's " + std::to_string(locked.size()) + " locked images at their digests";
  const Json pods = present(cluster) ? cluster.value("pods", Json()) : Json();
  if (!present(pods)) {
    out.push_back(result("images/locked", "image", "could-not-verify", expected, "", "",
                         reason_of(pods, "the snapshot has no pods (snapshot --pods-json)")));
    return;
  }
  std::string source = "spec.cluster.pods (" + pods.value("source", "") + ")";
  size_t checked = 0;
  size_t drifted = 0;
  for (const auto& pod : pods.value("items", Json::array())) {
    for (const auto& c : pod.value("containers", Json::array())) {
      RunningImage running = split_running(c.value("image", ""));
      std::string id = c.value("imageID", "");
      std::string digest = id.find("@sha256:") == std::string::npos ? "" : id.substr(id.find("@sha256:") + 1);
      std::vector<const resolver::LockedImage*> same_path;
      std::vector<const resolver::LockedImage*> same_tag;
      for (const auto& l : locked) {
        RunningImage want = split_running(l.image);
        if (running.path == want.path || running.path.ends_with("/" + want.path)) {
          same_path.push_back(&l);
          if (running.tag == want.tag) {
            same_tag.push_back(&l);
          }
        }
      }
      const auto& candidates = same_tag.empty() ? same_path : same_tag;
      if (candidates.empty() || digest.empty()) {
        continue;  // not one of the recipe's locked images, or a runtime that names no digest
      }
      ++checked;
      if (std::any_of(candidates.begin(), candidates.end(), [&](const auto* l) { return l->digest == digest; })) {
        continue;
      }
      ++drifted;
      std::string where = pod.value("namespace", "") + "/" + pod.value("name", "") + "/" + c.value("name", "");
      out.push_back(result("image/" + where, "image", "fail", candidates.front()->image + "@" + candidates.front()->digest,
                           c.value("image", "") + " running " + digest, source,
                           "drift: pod " + pod.value("namespace", "") + "/" + pod.value("name", "") + ", container " +
                               c.value("name", "") + " runs " + digest + "; the recipe locks " + candidates.front()->digest));
    }
  }
  if (drifted == 0) {
    out.push_back(result("images/locked", "image", "pass", expected,
                         std::to_string(checked) + " container(s) of locked images, all at the locked digests", source));
  }
}

// An advisory is judged by its fields (eolDate, warnFrom, excluded), never by its English effect.
Json check_advisory(const RecipeAdvisory& advisory, const Json& components, const std::string& as_of) {
  std::string name = "advisory/" + advisory.name;
  const std::string& action = advisory.action;
  if (advisory.eol_date) {
    const std::string& eol = *advisory.eol_date;
    std::string expected = "before " + eol;
    if (as_of >= eol) {
      return result(name, "advisory", "fail", expected, "as of " + as_of, "recipe spec.advisories",
                    "end of life since " + eol + ": " + action);
    }
    if (advisory.excluded.empty()) {
      std::string note = advisory.warn_from && as_of >= *advisory.warn_from
                             ? "end of life on " + eol + " (warnings from " + *advisory.warn_from + ")"
                             : "";
      return result(name, "advisory", "pass", expected, "as of " + as_of, "recipe spec.advisories", note);
    }
  }
  if (advisory.excluded.empty()) {
    return result(name, "advisory", "not-applicable", "", "", "recipe spec.advisories",
                  "nothing in the advisory to judge a snapshot by: " + advisory.effect);
  }
  std::vector<std::string> bad_list;
  for (const auto& [component, version] : advisory.excluded) {
    bad_list.push_back(component + " " + version);
  }
  std::string expected = "not running " + core::join(bad_list);
  if (!present(components)) {
    return result(name, "advisory", "could-not-verify", expected, "", "", reason_of(components, "no Helm releases"));
  }
  std::vector<std::string> running;
  for (const auto& [component, version] : advisory.excluded) {
    auto b = core::Version::parse(version);
    for (const auto& item : components["items"]) {
      auto v = core::Version::parse(item.value("version", ""));
      if ((item["name"] == component || item.value("chart", "") == component) && v && b && core::compare(*v, *b) == 0) {
        running.push_back(item["name"].get<std::string>() + " " + item.value("version", "") + " in " +
                          item.value("namespace", ""));
      }
    }
  }
  std::string source = "spec.cluster.components (" + components.value("source", "") + ")";
  if (!running.empty()) {
    return result(name, "advisory", "fail", expected, core::join(running), source,
                  "known-bad version running: " + action);
  }
  return result(name, "advisory", "pass", expected, "none of them running", source);
}

Json summarize(const Json& results) {
  Json s = {{"total", results.size()}, {"passed", 0}, {"failed", 0}, {"notApplicable", 0}, {"couldNotVerify", 0}};
  for (const auto& r : results) {
    const std::string& st = r["status"].get_ref<const std::string&>();
    const char* key = st == "pass" ? "passed" : st == "fail" ? "failed" : st == "not-applicable" ? "notApplicable"
                                                                                                 : "couldNotVerify";
    s[key] = s[key].get<long long>() + 1;
  }
  return s;
}

// One snapshot's entry: its results, their counts and its verdict.
Json entry_of(const std::string& snapshot_name, Json results, const ValidateOptions& options) {
  Json summary = summarize(results);
  bool ok = summary["failed"] == 0 &&
            (summary["couldNotVerify"] == 0 || options.allow == AllowCouldNotVerify::yes);
  return {{"snapshot", snapshot_name}, {"verdict", ok ? "pass" : "fail"}, {"summary", summary}, {"results", results}};
}

// Lower case, "-" and "_" as spaces: GFD's "NVIDIA-H100-80GB-HBM3" reads as "NVIDIA H100 80GB HBM3".
std::string fold_name(std::string_view text) {
  std::string out = core::to_lower(text);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '-' || c == '_'; }, ' ');
  return out;
}

// A glob with "*" only, matched against the whole text.
bool glob_matches(std::string_view glob, std::string_view text) {
  size_t star = glob.find('*');
  if (star == std::string_view::npos) {
    return glob == text;
  }
  if (!text.starts_with(glob.substr(0, star))) {
    return false;
  }
  std::string_view rest = glob.substr(star + 1);
  for (size_t i = star; i <= text.size(); ++i) {
    if (glob_matches(rest, text.substr(i))) {
      return true;
    }
  }
  return false;
}

// Whether node `n` carries every label of `selector`.
bool in_pool(const Json& n, const std::map<std::string, std::string>& selector) {
  const Json labels = n.value("labels", Json::object());
  return std::all_of(selector.begin(), selector.end(), [&labels](const std::pair<const std::string, std::string>& kv) {
    return labels.contains(kv.first) && labels[kv.first] == Json(kv.second);
  });
}

bool has_accelerators(const Json& n) {
  const Json alloc = n.value("allocatable", Json::object());
  for (const auto& [k, v] : alloc.items()) {
    if (is_accelerator_resource(k) && !(v.is_string() && v.get<std::string>() == "0")) {
      return true;
    }
  }
  return false;
}

// "key=value, ..." of a pool's node selector.
std::string selector_text(const std::map<std::string, std::string>& selector) {
  std::vector<std::string> out;
  for (const auto& [k, v] : selector) {
    out.push_back(k + "=" + v);
  }
  return core::join(out);
}

std::string node_list(const std::vector<std::string>& names) { return names.empty() ? "none" : distinct(names); }

// pool/membership: every node in exactly one pool of the recipe. A node with accelerators in no
// pool (or in several) fails; a node without accelerators in no pool (a system node) is listed,
// never judged by a pool's constraints.
Json check_membership(const Plan& plan, const Json& snapshot) {
  const Json& nodes = nodes_of(snapshot["spec"]["cluster"]);
  std::vector<std::string> selectors;
  for (const auto& p : plan.pools) {
    selectors.push_back(selector_text(p.node_selector));
  }
  std::string expected = "every accelerator node in one pool (" + core::join(selectors) + ")";
  if (nodes.empty()) {
    return result("pool/membership", "pool", "could-not-verify", expected, "", "",
                  "data absent: no cluster nodes in the snapshot, so no node can be placed in a pool");
  }
  std::vector<std::string> stray;
  std::vector<std::string> outside;
  std::vector<std::string> placed;
  for (const auto& n : nodes) {
    std::string name = n.value("name", "");
    auto count = std::count_if(plan.pools.begin(), plan.pools.end(), [&n](const PoolPlan& p) { return in_pool(n, p.node_selector); });
    if (count == 1) {
      placed.push_back(name);
    } else if (count > 1 || has_accelerators(n)) {
      stray.push_back(name + (count > 1 ? " (in several pools)" : ""));
    } else {
      outside.push_back(name);
    }
  }
  std::string observed = "in pools: " + node_list(placed) + "; accelerator nodes in no pool: " + node_list(stray) +
                         "; nodes without accelerators outside the pools (not judged): " + node_list(outside);
  return result("pool/membership", "pool", stray.empty() ? "pass" : "fail", expected, observed,
                "spec.cluster.nodes[*].labels");
}

// pool/NAME/node-labels: every node of the pool carries the labels its per-pool settings need (the
// MIG manager off, the MIG config it applies, ...): without them the node gets the cluster's setting.
Json check_node_labels(const PoolPlan& pool, const Json& mine) {
  std::vector<std::string> wanted;
  for (const auto& [k, v] : pool.node_labels) {
    wanted.push_back(k + "=" + v);
  }
  std::string name = "pool/" + pool.name + "/node-labels";
  std::string expected = "every node of pool " + pool.name + " labelled " + core::join(wanted);
  const Json& nodes = nodes_of(mine["spec"]["cluster"]);
  if (nodes.empty()) {
    return result(name, "pool", "could-not-verify", expected, "", "",
                  "data absent: no node of pool " + pool.name + " in the snapshot (label " +
                      selector_text(pool.node_selector) + ")");
  }
  std::vector<std::string> wrong;
  for (const auto& n : nodes) {
    const Json labels = n.value("labels", Json::object());
    for (const auto& [k, v] : pool.node_labels) {
      if (!labels.contains(k)) {
        wrong.push_back(n.value("name", "") + ": no " + k);
      } else if (labels[k] != Json(v)) {
        wrong.push_back(n.value("name", "") + ": " + k + "=" + labels[k].get<std::string>());
      }
    }
  }
  std::string observed = wrong.empty() ? std::to_string(nodes.size()) + " node(s), all labelled so" : core::join(wrong, "; ");
  return result(name, "pool", wrong.empty() ? "pass" : "fail", expected, observed, "spec.cluster.nodes[*].labels");
}

// `snapshot` as one pool sees it: its cluster nodes only, and the node part only when it is from
// one of them (by hostname).
Json pool_snapshot(const Json& snapshot, const PoolPlan& pool) {
  Json s = snapshot;
  Json& cluster = s["spec"]["cluster"];
  std::set<std::string> members;
  if (present(cluster) && cluster.contains("nodes")) {
    Json kept = Json::array();
    for (const auto& n : cluster["nodes"]) {
      if (in_pool(n, pool.node_selector)) {
        members.insert(n.value("name", ""));
        kept.push_back(n);
      }
    }
    cluster["nodes"] = kept;
  }
  Json& node = s["spec"]["node"];
  if (present(node) && !members.contains(node.value("hostname", ""))) {
    node = Json{{"state", "absent"}, {"reason", "the node part is from a node outside pool " + pool.name}};
  }
  return s;
}

// Each pool's constraints: node ones against its nodes, cluster ones against the cluster; every
// result named pool/NAME/...
void check_pools(const Plan& plan, const Json& snapshot, const ValidateOptions& options, Json& results) {
  if (plan.pools.empty()) {
    return;
  }
  if (in_scope(Scope::node, options)) {
    results.push_back(check_membership(plan, snapshot));
  }
  for (const auto& pool : plan.pools) {
    Json mine = pool_snapshot(snapshot, pool);
    bool empty = nodes_of(mine["spec"]["cluster"]).empty() && !present(mine["spec"]["node"]);
    if (!pool.node_labels.empty() && in_scope(Scope::node, options)) {
      results.push_back(check_node_labels(pool, mine));
    }
    for (const auto& c : pool.constraints) {
      const ConstraintCheck* check = find_constraint(c.name);
      if (check != nullptr && !in_scope(check->scope, options)) {
        continue;
      }
      bool node_scope = check != nullptr && check->scope == Scope::node;
      Json r = node_scope && empty
                   ? result("constraint/" + c.name, "constraint", "could-not-verify", c.value, "", "",
                            "data absent: no node of pool " + pool.name + " in the snapshot (label " +
                                selector_text(pool.node_selector) + ")")
                   : check_constraint(c, node_scope ? mine : snapshot);
      r["name"] = "pool/" + pool.name + "/" + r["name"].get<std::string>();
      results.push_back(std::move(r));
    }
  }
}

}  // namespace

bool pattern_matches(const std::string& pattern, const std::string& observed) {
  std::string text = fold_name(observed);
  size_t start = 0;
  while (start <= pattern.size()) {
    size_t bar = pattern.find('|', start);
    std::string alt = core::trim(pattern.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (glob_matches(fold_name(alt), text)) {
      return true;
    }
    if (bar == std::string::npos) {
      break;
    }
    start = bar + 1;
  }
  return false;
}

const std::vector<std::string>& constraint_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& c : k_constraints) {
      out.emplace_back(c.name);
    }
    return out;
  }();
  return names;
}

std::optional<ConstraintValue> constraint_value(const std::string& name) {
  const ConstraintCheck* c = find_constraint(name);
  return c == nullptr ? std::nullopt : std::optional<ConstraintValue>(c->value);
}

Json check_snapshot(const Plan& plan, const Json& snapshot, const std::string& snapshot_name,
                    const ValidateOptions& options) {
  Json results = Json::array();
  const RecipeView& recipe = plan.recipe;
  const Json& cluster = snapshot["spec"]["cluster"];
  const Json components = present(cluster) ? cluster.value("components", Json()) : cluster;
  for (const auto& c : plan.constraints) {
    const ConstraintCheck* check = find_constraint(c.name);
    if (check == nullptr || in_scope(check->scope, options)) {  // an unknown name throws in check_constraint
      results.push_back(check_constraint(c, snapshot));
    }
  }
  check_pools(plan, snapshot, options, results);
  if (!in_scope(Scope::cluster, options)) {
    return entry_of(snapshot_name, std::move(results), options);
  }
  for (const auto& c : recipe.components) {
    results.push_back(check_component(c, components));
    if (!c.health_checks.empty()) {
      results.push_back(check_health(c, cluster));
    }
  }
  extras(recipe.components, components, results);
  check_image_drift(recipe.images, cluster, results);
  for (const auto& a : recipe.advisories) {
    results.push_back(check_advisory(a, components, options.as_of));
  }
  return entry_of(snapshot_name, std::move(results), options);
}

Json make_report(const Plan& plan, Json entries, const ValidateOptions& options) {
  Json totals = {{"total", 0}, {"passed", 0}, {"failed", 0}, {"notApplicable", 0}, {"couldNotVerify", 0}};
  long long passed = 0;
  for (const auto& e : entries) {
    for (auto& [k, v] : totals.items()) {
      v = v.get<long long>() + e["summary"][k].get<long long>();
    }
    passed += e["verdict"] == "pass" ? 1 : 0;
  }
  long long n = static_cast<long long>(entries.size());
  Json report = {{"apiVersion", "galley.dev/v1alpha1"}, {"kind", "Report"}};
  report["metadata"] = {{"name", plan.recipe.name},
                        {"recipeDigest", plan.recipe.digest},
                        {"asOf", options.as_of},
                        {"scope", options.scope == Scope::node ? "node" : options.scope == Scope::cluster ? "cluster" : "all"},
                        {"allow", options.allow == AllowCouldNotVerify::yes ? Json::array({"could-not-verify"})
                                                                            : Json::array()}};
  report["spec"] = {{"verdict", passed == n && n > 0 ? "pass" : "fail"},
                    {"totals", {{"snapshots", n}, {"passed", passed}, {"failed", n - passed}, {"results", totals}}},
                    {"snapshots", std::move(entries)}};
  return report;
}

int report_exit(const Json& report) {
  return report["spec"]["verdict"] == "pass" ? core::to_int(core::Exit::ok) : core::to_int(core::Exit::check_failed);
}

}  // namespace galley::validate
