// AMD's tools' JSON (amd-smi static/list --json, rocm-smi --json) read into the snapshot's gpus object,
// so that an MI300X node's product, count and driver version are judged like an NVIDIA node's.
// Fixtures: tests/fixtures/snapshot/amd-smi (synthetic, in the documented shape; see its SOURCE.md).
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "validate/validate.hpp"
#include "validate_fixtures.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;
using galley::core::Json;

TEST_CASE("amd-smi static --json: product, count, driver version and bus ids", "[validate][amd]") {
  Json g = v::parse_amd_smi(fixture("amd-smi/static-mi300x.json"), "static-mi300x.json");
  CHECK(g["state"] == "present");
  CHECK(g["count"] == 8);
  CHECK(g["driverVersion"] == "6.12.12");
  CHECK(g["devices"][0]["productName"] == "AMD Instinct MI300X");
  CHECK(g["devices"][7]["index"] == 7);
  CHECK(g["devices"][1]["pciBusId"] == "0000:1c:00.0");
  Json old = v::parse_amd_smi(fixture("amd-smi/static-list-form.json"), "static-list-form.json");
  CHECK(old["count"] == 2);
  CHECK(old["driverVersion"] == "6.12.12");
}

TEST_CASE("amd-smi list --json gives the count; rocm-smi --json the product and driver", "[validate][amd]") {
  Json list = v::parse_amd_smi(fixture("amd-smi/list.json"), "list.json");
  CHECK(list["count"] == 8);
  CHECK_FALSE(list.contains("driverVersion"));  // list reports no driver: left out, never guessed
  CHECK(list["devices"][0]["productName"] == "unknown");
  Json rocm = v::parse_amd_smi(fixture("amd-smi/rocm-smi.json"), "rocm-smi.json");
  CHECK(rocm["count"] == 8);
  CHECK(rocm["driverVersion"] == "6.12.12");
  CHECK(rocm["devices"][3]["productName"] == "AMD Instinct MI300X");
  CHECK(rocm["devices"][3]["index"] == 3);
}

TEST_CASE("text that is not AMD's tool output is refused with the file's name", "[validate][amd]") {
  CHECK_THROWS_WITH(v::parse_amd_smi("{\"nope\": 1}", "x.json"), Catch::Contains("x.json") && Catch::Contains("gpu_data"));
  CHECK_THROWS_WITH(v::parse_amd_smi("[{\"gpu\": 0", "y.json"), Catch::Contains("y.json"));
  CHECK_THROWS_WITH(v::parse_amd_smi("[1]", "z.json"), Catch::Contains("not an object"));
}

TEST_CASE("an MI300X node snapshot from amd-smi is judged on driver.version, gpu.product and gpu.count",
          "[validate][amd]") {
  v::CollectOptions o;
  o.root = k_fixtures + "h100-node-real/root";
  o.amd_smi_json = k_fixtures + "amd-smi/static-mi300x.json";
  o.collected_at = "2026-11-22T11:14:34Z";
  Json s = v::collect_snapshot(o);
  CHECK(s["spec"]["node"]["gpus"]["source"].get<std::string>().starts_with("amd-smi --json ("));
  auto plan = v::make_plan(recipe({constraint("driver.version", ">=6.8"), constraint("gpu.product", "AMD Instinct MI300X*"),
                                   constraint("gpu.count", "==8")}));
  Json e = v::check_snapshot(plan, s, "mi300x.yaml", as_of("2026-11-22"));
  CHECK(find_result(e, "constraint/driver.version")["status"] == "pass");
  CHECK(find_result(e, "constraint/driver.version")["observed"] == "6.12.12");
  CHECK(find_result(e, "constraint/gpu.product")["status"] == "pass");
  CHECK(find_result(e, "constraint/gpu.count")["status"] == "pass");
  auto old = v::make_plan(recipe({constraint("driver.version", ">=6.14")}));
  CHECK(find_result(v::check_snapshot(old, s, "mi300x.yaml", as_of("2026-11-22")), "constraint/driver.version")["status"] ==
        "fail");
}
