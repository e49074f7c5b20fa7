#include <catch2/catch.hpp>

#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("the real H100 capture parses into one GPU with driver, CUDA, MIG mode, memory and PCIe", "[validate][xml]") {
  Json g = v::parse_nvidia_smi(fixture("h100-node-real/nvidia-smi-q-x.xml"), "h100.xml");
  CHECK(g["driverVersion"] == "580.159.04");
  CHECK(g["cudaVersion"] == "13.0");
  CHECK(g["count"] == 1);
  const Json& d = g["devices"][0];
  CHECK(d["productName"] == "NVIDIA H100 80GB HBM3");
  CHECK(d["migMode"]["current"] == "Disabled");
  CHECK(d["memoryTotalMiB"] == 81559);
  CHECK(d["pcie"]["currentGen"] == "5");
  CHECK(d["pcie"]["currentWidth"] == "16x");
  CHECK(d["uuid"] == "GPU-857fb23f-c0d4-29ec-c287-cde5785819b9");
  CHECK(!d.contains("migDevices"));
}

TEST_CASE("MIG-enabled output lists the MIG devices with their memory", "[validate][xml]") {
  Json g = v::parse_nvidia_smi(fixture("nvidia-smi/h100-mig.xml"), "mig.xml");
  const Json& d = g["devices"][0];
  CHECK(d["migMode"]["current"] == "Enabled");
  REQUIRE(d["migDevices"].size() == 3);
  CHECK(d["migDevices"][2]["gpuInstanceId"] == 9);
  CHECK(d["migDevices"][2]["memoryTotalMiB"] == 9984);
}

TEST_CASE("eight GPUs are eight devices in bus order", "[validate][xml]") {
  Json g = v::parse_nvidia_smi(fixture("nvidia-smi/8x-h100.xml"), "8x.xml");
  REQUIRE(g["count"] == 8);
  CHECK(g["devices"][7]["pciBusId"] == "00000000:DB:00.0");
  CHECK(g["devices"][7]["index"] == 7);
}

TEST_CASE("truncated XML is refused naming the file and line", "[validate][xml][bad]") {
  CHECK_THROWS_WITH(v::parse_nvidia_smi(fixture("nvidia-smi/truncated.xml"), "truncated.xml"),
                    "truncated.xml:111: malformed or truncated XML: Start-end tags mismatch");
}

TEST_CASE("XML that declares an entity is refused before parsing", "[validate][xml][bad]") {
  CHECK_THROWS_WITH(v::parse_nvidia_smi(fixture("nvidia-smi/external-entity.xml"), "xxe.xml"),
                    "xxe.xml:3: the XML declares an entity (<!ENTITY); nvidia-smi output never does, so it is refused");
}

TEST_CASE("XML of another tool is refused", "[validate][xml][bad]") {
  CHECK_THROWS_WITH(v::parse_nvidia_smi("<?xml version=\"1.0\"?><rocm/>", "x.xml"),
                    "x.xml: not `nvidia-smi -q -x` output: the root element is <rocm>, expected <nvidia_smi_log>");
}
