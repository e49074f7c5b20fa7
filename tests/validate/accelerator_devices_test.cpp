// Vendor-neutral accelerator facts: AMD and TPU nodes are counted, named and inferred like NVIDIA's.
#include <catch2/catch.hpp>

#include "validate/internal/accelerator_devices.hpp"
#include "validate/validate.hpp"
#include "validate_fixtures.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;
using galley::core::Json;

namespace {

// The EKS fixture's nodes turned into AMD Instinct nodes (labels of the AMD node labeller, amd.com/gpu
// from the ROCm device plugin) or GKE TPU nodes (GKE's accelerator label, google.com/tpu).
Json relabelled(const std::string& label, const std::string& product, const std::string& resource, const std::string& count) {
  Json s = cluster_snapshot();
  for (auto& n : s["spec"]["cluster"]["nodes"]) {
    Json labels = Json::object();
    for (const auto& [k, value] : n["labels"].items()) {
      if (!k.starts_with("nvidia.com/")) {
        labels[k] = value;
      }
    }
    bool gpu_node = !n["allocatable"].empty();
    if (gpu_node) {
      labels[label] = product;
      n["allocatable"] = Json{{resource, count}};
    }
    n["labels"] = labels;
  }
  return s;
}

}  // namespace

TEST_CASE("product names of every vendor map to the registry's accelerators", "[validate][devices]") {
  CHECK(v::accelerator_of_product("NVIDIA H100 80GB HBM3") == "h100");
  CHECK(v::accelerator_of_product("NVIDIA-GB200") == "gb200");
  CHECK(v::accelerator_of_product("NVIDIA GB300") == "gb300");
  CHECK(v::accelerator_of_product("NVIDIA B200") == "b200");
  CHECK(v::accelerator_of_product("NVIDIA-A100-SXM4-80GB") == "a100");
  CHECK(v::accelerator_of_product("NVIDIA L40S") == "l40s");
  CHECK(v::accelerator_of_product("NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition") == "rtx-pro-6000");
  CHECK(v::accelerator_of_product("AMD Instinct MI300X") == "mi300x");
  CHECK(v::accelerator_of_product("tpu-v6e-slice") == "tpu");
  CHECK(v::accelerator_of_product("Tesla T4").empty());
  CHECK(v::is_accelerator_resource("amd.com/gpu"));
  CHECK(v::is_accelerator_resource("google.com/tpu"));
  CHECK(v::is_accelerator_resource("nvidia.com/mig-1g.10gb"));
  CHECK_FALSE(v::is_accelerator_resource("vpc.amazonaws.com/efa"));
}

TEST_CASE("AMD Instinct nodes: accelerator inferred, gpu.product and gpu.count judged from AMD's label and resource",
          "[validate][devices]") {
  Json amd = relabelled("amd.com/gpu.product-name", "AMD Instinct MI300X", "amd.com/gpu", "8");
  CHECK(v::infer_criteria(amd).fields["accelerator"] == "mi300x");
  auto plan = v::make_plan(recipe({constraint("gpu.product", "AMD Instinct MI300X*"), constraint("gpu.count", "==8")}));
  Json e = v::check_snapshot(plan, amd, "amd.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/gpu.product")["status"] == "pass");
  CHECK(find_result(e, "constraint/gpu.product")["observed"] == "AMD Instinct MI300X");
  CHECK(find_result(e, "constraint/gpu.count")["status"] == "pass");
  CHECK(find_result(e, "constraint/gpu.count")["source"].get<std::string>().find("amd.com/gpu") != std::string::npos);
}

TEST_CASE("GKE TPU nodes: accelerator inferred from GKE's label, chips counted from google.com/tpu", "[validate][devices]") {
  Json tpu = relabelled("cloud.google.com/gke-tpu-accelerator", "tpu-v6e-slice", "google.com/tpu", "4");
  CHECK(v::infer_criteria(tpu).fields["accelerator"] == "tpu");
  auto plan = v::make_plan(recipe({constraint("gpu.count", ">=4")}));
  Json e = v::check_snapshot(plan, tpu, "tpu.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/gpu.count")["status"] == "pass");
}
