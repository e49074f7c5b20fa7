// AMD's tools' JSON -> the snapshot's gpus object, as nvidia_smi.cpp does for NVIDIA.
//
// Two shapes are read, told apart by their top level:
//   - `amd-smi static --json` (and `amd-smi list --json`): a list of GPU objects, or (newer amd-smi)
//     {"gpu_data": [...]}. Each GPU: "gpu" (index), asic.market_name (product), bus.bdf, and
//     driver.version (some releases: driver.driver_version). `list` gives index and bdf only.
//   - `rocm-smi --showproductname --showdriverversion --json`: {"card0": {...}, ..., "system": {...}}
//     with per-card "Card Series" (or "Card series"/"Card model") and "Driver version" per card or
//     under "system".
// Values of "N/A" are left out, never guessed. Anything else is refused with the file's name.
#include <algorithm>

#include "core/error.hpp"
#include "core/text.hpp"
#include "validate/internal/json_text.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

using core::Json;

namespace {

// A string value, or "" when absent, not a string, empty or "N/A".
std::string text(const Json& object, std::initializer_list<const char*> path) {
  const Json* v = &object;
  for (const char* key : path) {
    if (!v->is_object() || !v->contains(key)) {
      return "";
    }
    v = &(*v)[key];
  }
  if (!v->is_string()) {
    return "";
  }
  std::string s = core::trim(v->get<std::string>());
  return s == "N/A" ? "" : s;
}

// The value of the first key of `object` that equals one of `names`, ignoring case.
std::string field_ci(const Json& object, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    for (const auto& [k, v] : object.items()) {
      if (core::to_lower(k) == name && v.is_string() && v.get<std::string>() != "N/A") {
        return core::trim(v.get<std::string>());
      }
    }
  }
  return "";
}

Json from_amd_smi(const Json& gpus, const std::string& name) {
  Json out = {{"state", "present"}, {"source", "amd-smi --json"}};
  Json devices = Json::array();
  std::string driver;
  for (size_t i = 0; i < gpus.size(); ++i) {
    const Json& g = gpus[i];
    if (!g.is_object()) {
      throw core::Error(core::Exit::bad_input, core::Where{name, 0, "[" + std::to_string(i) + "]"},
                        "not `amd-smi --json` output: a GPU entry is not an object");
    }
    size_t index = g.contains("gpu") && g["gpu"].is_number_unsigned() ? g["gpu"].get<size_t>() : i;
    std::string product = text(g, {"asic", "market_name"});
    Json d = {{"index", index}, {"productName", product.empty() ? "unknown" : product}};
    std::string bdf = text(g, {"bus", "bdf"});
    if (bdf.empty()) {
      bdf = text(g, {"bdf"});  // amd-smi list
    }
    if (!bdf.empty()) {
      d["pciBusId"] = bdf;
    }
    devices.push_back(d);
    std::string v = text(g, {"driver", "version"});
    if (v.empty()) {
      v = text(g, {"driver", "driver_version"});
    }
    if (driver.empty()) {
      driver = v;
    }
  }
  if (!driver.empty()) {
    out["driverVersion"] = driver;
  }
  out["count"] = devices.size();
  out["devices"] = devices;
  return out;
}

Json from_rocm_smi(const Json& doc) {
  Json out = {{"state", "present"}, {"source", "rocm-smi --json"}};
  Json devices = Json::array();
  std::string driver = doc.contains("system") && doc["system"].is_object()
                           ? field_ci(doc["system"], {"driver version"})
                           : "";
  for (const auto& [key, card] : doc.items()) {
    if (!key.starts_with("card") || !card.is_object()) {
      continue;
    }
    std::string number = key.substr(4);
    bool numeric = !number.empty() && number.size() < 6 && number.find_first_not_of("0123456789") == std::string::npos;
    std::string product = field_ci(card, {"card series", "card sku", "card model"});
    devices.push_back(Json{{"index", numeric ? std::stoul(number) : devices.size()},
                           {"productName", product.empty() ? "unknown" : product}});
    if (driver.empty()) {
      driver = field_ci(card, {"driver version"});
    }
  }
  std::sort(devices.begin(), devices.end(), [](const Json& a, const Json& b) { return a["index"] < b["index"]; });
  if (!driver.empty()) {
    out["driverVersion"] = driver;
  }
  out["count"] = devices.size();
  out["devices"] = devices;
  return out;
}

}  // namespace

Json parse_amd_smi(std::string_view json, const std::string& name) {
  core::ReadLimits limits;  // tool output: 32 MiB, as kubectl's (a JSON DOM takes several times its size)
  limits.max_bytes = k_max_tool_output_bytes;
  const Json doc = parse_json(json, name, {}, limits);
  if (doc.is_array()) {
    return from_amd_smi(doc, name);
  }
  if (doc.is_object() && doc.contains("gpu_data") && doc["gpu_data"].is_array()) {
    return from_amd_smi(doc["gpu_data"], name);
  }
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.items()) {
      if (key.starts_with("card")) {
        return from_rocm_smi(doc);
      }
    }
  }
  throw core::Error(core::Exit::bad_input, core::Where{name, 0, ""},
                    "not `amd-smi static --json`, `amd-smi list --json` or `rocm-smi --json` output: expected a list "
                    "of GPUs, {\"gpu_data\": [...]} or {\"card0\": {...}}");
}

}  // namespace galley::validate
