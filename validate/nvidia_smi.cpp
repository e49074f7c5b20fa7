// `nvidia-smi -q -x` output -> the snapshot's gpus object. The element names follow NVIDIA's
// nvsmi_device DTD (v13 here): one <gpu> per device under <nvidia_smi_log>, MIG devices under
// <mig_devices>. Values of "N/A" mean "not reported" and are left out, never guessed.
//
// Entities: nvidia-smi never declares any. A document that does (<!ENTITY ...>) is refused before
// parsing, so neither an external entity nor a "billion laughs" expansion can be smuggled in through a
// file an auditor was handed. pugixml itself never loads external DTDs or entities.
#include <pugixml.hpp>

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "core/text.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

using core::Json;
using core::trim;

namespace {

int line_at(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// The trimmed text of the element at `path` under `node` ("a/b/c"), or nullopt when absent or N/A.
std::optional<std::string> text_of(const pugi::xml_node& node, const char* path) {
  pugi::xml_node n = node.first_element_by_path(path);
  if (!n) {
    return std::nullopt;
  }
  std::string v = trim(n.child_value());
  if (v.empty() || v == "N/A") {
    return std::nullopt;
  }
  return v;
}

void set_text(Json& out, const char* key, const pugi::xml_node& node, const char* path) {
  if (auto v = text_of(node, path)) {
    out[key] = *v;
  }
}

// "81559 MiB" -> 81559.
void set_mib(Json& out, const char* key, const pugi::xml_node& node, const char* path) {
  auto v = text_of(node, path);
  if (!v || !v->ends_with(" MiB")) {
    return;
  }
  long long n = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size() - 4, n);
  if (ec == std::errc() && ptr == v->data() + v->size() - 4) {
    out[key] = n;
  }
}

void set_int(Json& out, const char* key, const pugi::xml_node& node, const char* path) {
  auto v = text_of(node, path);
  long long n = 0;
  if (v && std::from_chars(v->data(), v->data() + v->size(), n).ptr == v->data() + v->size()) {
    out[key] = n;
  }
}

Json mig_devices(const pugi::xml_node& gpu) {
  Json out = Json::array();
  for (const auto& dev : gpu.child("mig_devices").children("mig_device")) {
    Json d = Json::object();
    set_int(d, "index", dev, "index");
    set_int(d, "gpuInstanceId", dev, "gpu_instance_id");
    set_int(d, "computeInstanceId", dev, "compute_instance_id");
    set_mib(d, "memoryTotalMiB", dev, "fb_memory_usage/total");
    out.push_back(std::move(d));
  }
  return out;
}

Json gpu_json(const pugi::xml_node& gpu, size_t index) {
  Json g = {{"index", index}};
  set_text(g, "productName", gpu, "product_name");
  if (!g.contains("productName")) {
    g["productName"] = "unknown";
  }
  set_text(g, "architecture", gpu, "product_architecture");
  set_text(g, "uuid", gpu, "uuid");
  set_text(g, "serial", gpu, "serial");
  set_text(g, "pciBusId", gpu, "pci/pci_bus_id");
  Json mig = Json::object();
  set_text(mig, "current", gpu, "mig_mode/current_mig");
  set_text(mig, "pending", gpu, "mig_mode/pending_mig");
  if (!mig.empty()) {
    g["migMode"] = mig;
  }
  Json devices = mig_devices(gpu);
  if (!devices.empty()) {
    g["migDevices"] = devices;
  }
  set_mib(g, "memoryTotalMiB", gpu, "fb_memory_usage/total");
  Json pcie = Json::object();
  set_text(pcie, "maxGen", gpu, "pci/pci_gpu_link_info/pcie_gen/max_link_gen");
  set_text(pcie, "currentGen", gpu, "pci/pci_gpu_link_info/pcie_gen/current_link_gen");
  set_text(pcie, "maxWidth", gpu, "pci/pci_gpu_link_info/link_widths/max_link_width");
  set_text(pcie, "currentWidth", gpu, "pci/pci_gpu_link_info/link_widths/current_link_width");
  if (!pcie.empty()) {
    g["pcie"] = pcie;
  }
  return g;
}

}  // namespace

Json parse_nvidia_smi(std::string_view xml, const std::string& name) {
  if (xml.size() > k_max_tool_output_bytes) {
    throw core::Error(core::Exit::bad_input, core::Where{name, 0, ""},
                      "file is " + std::to_string(xml.size()) + " bytes; the limit for tool output is " +
                          std::to_string(k_max_tool_output_bytes));
  }
  if (auto at = xml.find("<!ENTITY"); at != std::string_view::npos) {
    throw core::Error(core::Exit::bad_input, core::Where{name, line_at(xml, at), ""},
                      "the XML declares an entity (<!ENTITY); nvidia-smi output never does, so it is refused");
  }
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    throw core::Error(core::Exit::bad_input,
                      core::Where{name, line_at(xml, static_cast<size_t>(std::max<ptrdiff_t>(parsed.offset, 0))), ""},
                      std::string("malformed or truncated XML: ") + parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "nvidia_smi_log") {
    throw core::Error(core::Exit::bad_input, core::Where{name, 0, ""},
                      "not `nvidia-smi -q -x` output: the root element is <" + std::string(root.name()) +
                          ">, expected <nvidia_smi_log>");
  }
  Json out = {{"state", "present"}, {"source", "nvidia-smi -q -x"}};
  set_text(out, "driverVersion", root, "driver_version");
  set_text(out, "cudaVersion", root, "cuda_version");
  Json devices = Json::array();
  for (const auto& gpu : root.children("gpu")) {
    devices.push_back(gpu_json(gpu, devices.size()));
  }
  out["count"] = devices.size();
  out["devices"] = std::move(devices);
  return out;
}

}  // namespace galley::validate
