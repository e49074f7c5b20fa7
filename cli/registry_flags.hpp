#pragma once
// Registry flags shared by galley push and galley pull, and the registry options of mirror, recipe and bundle.
#include <string>

#include "cli/command.hpp"
#include "deliver/deliver.hpp"

namespace galley::cli {

struct RegistryFlags {
  bool plain_http = false;
  std::string username;
  bool password_stdin = false;
  std::string docker_config;
  std::string ca_file;
};

// --plain-http --username --password-stdin --docker-config --ca-file
void add_registry_flags(CLI::App& app, RegistryFlags& flags);

// Options for `host`: credentials from --username + --password-stdin, else the docker config. The
// caller sets `progress` from its cli::Progress.
deliver::RegistryOptions registry_options(const RegistryFlags& flags, const std::string& host);

// Options for `host` from the flags of mirror, recipe --lock-* and bundle --vendor-charts: --plain-http,
// --ca-file, and the credentials the docker config `docker_config` ("" = the default) holds for it.
deliver::RegistryOptions registry_options(bool plain_http, const std::string& ca_file, const std::string& docker_config,
                                          const std::string& host);

}  // namespace galley::cli
