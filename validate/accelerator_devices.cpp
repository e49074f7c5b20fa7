// Vendor device facts for checks and inference (see internal/accelerator_devices.hpp).
#include "validate/internal/accelerator_devices.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace galley::validate {

const std::vector<AcceleratorVendor>& accelerator_vendors() {
  static const std::vector<AcceleratorVendor> k_vendors = {
      {"nvidia", "nvidia.com/gpu", "nvidia.com/gpu.product", "nvidia.com/cuda.driver-version.full"},
      {"amd", "amd.com/gpu", "amd.com/gpu.product-name", "amd.com/gpu.driver-version"},
      {"google", "google.com/tpu", "cloud.google.com/gke-tpu-accelerator", ""},
  };
  return k_vendors;
}

bool is_accelerator_resource(const std::string& key) {
  const auto& vendors = accelerator_vendors();
  return key.starts_with("nvidia.com/mig-") ||
         std::any_of(vendors.begin(), vendors.end(), [&](const AcceleratorVendor& v) { return v.resource == key; });
}

std::string accelerator_of_product(const std::string& product) {
  std::string p;
  for (unsigned char c : product) {
    p += (c == '-' || c == '_') ? ' ' : static_cast<char>(std::toupper(c));
  }
  // Most specific first: "GB200" holds "B200", GKE's TPU labels start with "TPU".
  static const std::pair<const char*, const char*> k_needles[] = {
      {"GB300", "gb300"}, {"GB200", "gb200"}, {"B200", "b200"},       {"H200", "h200"},
      {"H100", "h100"},   {"A100", "a100"},   {"L40S", "l40s"},       {"RTX PRO 6000", "rtx-pro-6000"},
      {"MI300X", "mi300x"}, {"TPU ", "tpu"}};
  for (const auto& [needle, value] : k_needles) {
    if (p.find(needle) != std::string::npos) {
      return value;
    }
  }
  return "";
}

}  // namespace galley::validate
