// Criteria from a snapshot. Each criterion comes from one documented signal; when the signals
// disagree (a mixed fleet) or are missing, the criterion is reported missing with the reason, never
// guessed: the user then gives it as a flag.
#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "validate/internal/accelerator_devices.hpp"
#include "validate/internal/os_image.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

using core::Json;

std::string os_id_of_image(const std::string& image) {
  for (auto [prefix, id] : {std::pair{"Ubuntu ", "ubuntu"}, std::pair{"Amazon Linux ", "amzn"},
                            std::pair{"Container-Optimized OS", "cos"}, std::pair{"Red Hat Enterprise Linux CoreOS", "rhcos"}}) {
    if (image.starts_with(prefix)) {
      return id;
    }
  }
  return "";
}

namespace {



std::string service_of_node(const Json& n) {
  const Json labels = n.value("labels", Json::object());
  for (const auto& [key, value] : labels.items()) {
    if (key.starts_with("eks.amazonaws.com/")) {
      return "eks";
    }
    if (key == "cloud.google.com/gke-nodepool") {
      return "gke";
    }
    if (key.starts_with("kubernetes.azure.com/")) {
      return "aks";
    }
  }
  std::string scheme = n.value("providerScheme", "");
  static const std::map<std::string, std::string> k_schemes = {{"aws", "eks"}, {"gce", "gke"}, {"azure", "aks"},
                                                               {"oci", "oke"}};
  auto it = k_schemes.find(scheme);
  return it == k_schemes.end() ? "" : it->second;
}

// "ubuntu" "24.04.3" -> "24.04"; others keep their VERSION_ID.
std::pair<std::string, std::string> os_of(const std::string& id, const std::string& version) {
  if (id == "ubuntu") {
    auto second_dot = version.find('.', version.find('.') + 1);
    return {"ubuntu", version.substr(0, second_dot)};
  }
  if (id == "amzn" && version.starts_with("2023")) {
    return {"al2023", "2023"};
  }
  if (id == "cos" || id == "rhcos") {
    return {id, version};
  }
  return {"", ""};
}

// The kubelet's osImage ("Ubuntu 24.04.3 LTS", "Amazon Linux 2023.6.20250107",
// "Container-Optimized OS from Google") -> (id, version).
std::pair<std::string, std::string> os_of_image(const std::string& image) {
  std::string first_number;
  for (size_t i = 0; i < image.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(image[i])) != 0 && (i == 0 || image[i - 1] == ' ')) {
      first_number = image.substr(i, image.find(' ', i) - i);
      break;
    }
  }
  std::string id = os_id_of_image(image);
  if (id == "cos" || id == "rhcos") {
    return {id, ""};
  }
  return id.empty() ? std::pair<std::string, std::string>{"", ""} : os_of(id, first_number);
}

// Collects one value per observation; agrees when exactly one distinct non-empty value was seen.
class Vote {
 public:
  void add(const std::string& value) {
    if (!value.empty()) {
      ++m_counts[value];
    }
  }
  void decide(Inference& inf, const std::string& key, const std::string& source, const std::string& none) const {
    if (m_counts.size() == 1) {
      inf.fields[key] = m_counts.begin()->first;
      inf.sources[key] = source;
    } else if (m_counts.empty()) {
      inf.missing[key] = none;
    } else {
      std::vector<std::string> seen;
      for (const auto& [v, n] : m_counts) {
        seen.push_back(v + " (" + std::to_string(n) + ")");
      }
      inf.missing[key] = "the snapshot disagrees: " + core::join(seen);
    }
  }

 private:
  std::map<std::string, int> m_counts;
};

bool present(const Json& part) { return part.is_object() && part.value("state", "") == "present"; }

}  // namespace

Inference infer_criteria(const Json& snapshot) {
  Inference inf;
  const Json& node = snapshot["spec"]["node"];
  const Json& cluster = snapshot["spec"]["cluster"];
  const Json nodes = present(cluster) ? cluster.value("nodes", Json::array()) : Json::array();

  Vote service;
  for (const auto& n : nodes) {
    service.add(service_of_node(n));
  }
  service.decide(inf, "service", "cluster node labels and provider IDs",
                 nodes.empty() ? "no cluster nodes in the snapshot" : "no node label or provider ID names a service");

  Vote accelerator;
  bool node_gpus = present(node) && present(node.value("gpus", Json()));
  if (node_gpus) {
    for (const auto& gpu : node["gpus"].value("devices", Json::array())) {
      accelerator.add(accelerator_of_product(gpu.value("productName", "")));
    }
  }
  std::vector<std::string> labels;
  for (const auto& v : accelerator_vendors()) {
    labels.push_back(v.product_label);
  }
  for (const auto& n : nodes) {
    const Json node_labels = n.value("labels", Json::object());
    for (const auto& label : labels) {
      accelerator.add(accelerator_of_product(node_labels.value(label, "")));
    }
  }
  accelerator.decide(inf, "accelerator", node_gpus ? "GPU tool product name" : "node label " + core::join(labels, " / "),
                     "no accelerator product name in the snapshot (no GPU tool data, no node label " +
                         core::join(labels, ", ") + ")");

  Vote os;
  Vote os_version;
  std::string os_source = "cluster node osImage";
  if (present(node) && present(node.value("os", Json()))) {
    auto [id, version] = os_of(node["os"].value("id", ""), node["os"].value("versionId", ""));
    os.add(id);
    os_version.add(version);
    os_source = "/etc/os-release";
  }
  for (const auto& n : nodes) {
    auto [id, version] = os_of_image(n.value("osImage", ""));
    os.add(id);
    os_version.add(version);
  }
  os.decide(inf, "os", os_source, "no known OS in the snapshot (os-release ID or node osImage)");
  os_version.decide(inf, "osVersion", os_source, "no OS version in the snapshot");

  if (present(cluster) && cluster.contains("serverVersion")) {
    inf.fields["kubernetes"] = cluster["serverVersion"].get<std::string>();
    inf.sources["kubernetes"] = "cluster serverVersion";
  } else {
    inf.missing["kubernetes"] = "no cluster server version in the snapshot";
  }
  return inf;
}

const std::vector<std::string>& required_snapshot_criteria() {
  static const std::vector<std::string> keys = {"service", "accelerator", "os", "kubernetes", "intent"};
  return keys;
}

resolver::Criteria criteria_from_snapshot(const Json& snapshot, const resolver::Criteria& given,
                                          std::vector<std::string>& notes) {
  Inference inf = infer_criteria(snapshot);
  inf.missing.emplace("intent", "a snapshot never shows the workload intent");
  resolver::Criteria inferred;
  inferred.fields = inf.fields;
  resolver::Criteria out = resolver::overlay_criteria(inferred, given);
  std::vector<std::string> still_missing;
  for (const auto& [key, why] : inf.missing) {
    if (out.fields.count(key) != 0) {
      continue;
    }
    const auto& required = required_snapshot_criteria();
    bool needed = std::find(required.begin(), required.end(), key) != required.end();
    if (needed) {
      still_missing.push_back(key + " (" + why + ")");
    } else {
      notes.push_back("criterion " + key + " not inferred: " + why + "; give it to set it");
    }
  }
  if (!still_missing.empty()) {
    throw core::Error(core::Exit::bad_input, "cannot infer every criterion from the snapshot: missing " +
                                                 core::join(still_missing) + "; give them as criteria");
  }
  return out;
}

}  // namespace galley::validate
