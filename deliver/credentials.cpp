// Registry credentials from a docker config.json (the auths entries docker login writes).
#include <cstdlib>
#include <filesystem>

#include "core/base64.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"

namespace galley::deliver {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;
using core::Json;

Credentials docker_credentials(const std::string& host, const std::string& config_path) {
  std::string path = config_path;
  if (path.empty()) {
    if (const char* dc = std::getenv("DOCKER_CONFIG"); dc != nullptr && *dc != '\0') {
      path = std::string(dc) + "/config.json";
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
      path = std::string(home) + "/.docker/config.json";
    } else {
      return {};
    }
  }
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return {};
  }
  Json config = core::parse_json(core::read_file(path, 4u << 20), path);
  if (!config.is_object() || !config.contains("auths") || !config["auths"].is_object()) {
    return {};
  }
  for (const std::string& key : {host, "https://" + host, "http://" + host, "https://" + host + "/v1/"}) {
    if (!config["auths"].contains(key)) {
      continue;
    }
    const Json& entry = config["auths"][key];
    if (!entry.is_object() || !entry.contains("auth") || !entry["auth"].is_string()) {
      continue;
    }
    auto decoded = core::base64_decode(entry["auth"].get<std::string>());
    size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      throw Error(Exit::bad_input, core::Where{path, 0, "auths." + key + ".auth"}, "is not base64 of USER:PASSWORD");
    }
    return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
  }
  return {};
}

}  // namespace galley::deliver
