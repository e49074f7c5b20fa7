#pragma once
// How each accelerator vendor shows its devices on a Kubernetes node: the extended resources its device
// plugin advertises and the node label carrying the product name. The one place validate knows vendor
// names, so checks and criteria inference stay vendor-neutral.
#include <string>
#include <vector>

namespace galley::validate {

// One vendor's device plugin resource and product label.
struct AcceleratorVendor {
  std::string vendor;         // "nvidia", "amd", "google"
  std::string resource;       // whole-device extended resource: nvidia.com/gpu, amd.com/gpu, google.com/tpu
  std::string product_label;  // node label naming the product (GFD, AMD node labeller, GKE)
  std::string driver_label;   // node label with the driver version ("" when the vendor sets none)
};

// NVIDIA (GPU Feature Discovery), AMD (ROCm device plugin and node labeller), Google (GKE TPU node pools).
// Driver labels: GFD's nvidia.com/cuda.driver-version.full; the AMD node labeller's amd.com/gpu.driver-version
// (the amdgpu module version, as amd-smi reports it); GKE sets none for TPUs.
const std::vector<AcceleratorVendor>& accelerator_vendors();

// True for a resource that counts accelerators: a vendor's whole-device resource or an NVIDIA MIG slice
// (nvidia.com/mig-1g.10gb). Throws nothing.
bool is_accelerator_resource(const std::string& key);

// Product name ("NVIDIA H100 80GB HBM3", GFD's "NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition", "AMD Instinct
// MI300X", GKE's "tpu-v6e-slice") -> the registry's accelerator value; "" when unknown. Throws nothing.
std::string accelerator_of_product(const std::string& product);

}  // namespace galley::validate
