// galley pull: an OCI artifact back into a bundle folder, every digest checked, optionally verified.
#include <iostream>
#include <unistd.h>

#include "attest/attest.hpp"
#include "cli/common.hpp"
#include "cli/registry_flags.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"

namespace galley::cli {

// Shared registry flags (declared in cli/registry_flags.hpp).
void add_registry_flags(CLI::App& app, RegistryFlags& flags) {
  app.add_flag("--plain-http", flags.plain_http, "talk HTTP, not HTTPS (a local test registry)");
  app.add_option("--username", flags.username, "registry user name (with --password-stdin)");
  app.add_flag("--password-stdin", flags.password_stdin, "read the password or token from stdin");
  app.add_option("--docker-config", flags.docker_config, "docker config.json with credentials (default ~/.docker/config.json)")
      ->option_text("FILE");
  app.add_option("--ca-file", flags.ca_file, "PEM CA certificates trusted for the registry's https (default: the system's)")
      ->option_text("FILE")->check(CLI::ExistingFile);
}

deliver::RegistryOptions registry_options(const RegistryFlags& flags, const std::string& host) {
  if (flags.password_stdin != !flags.username.empty()) {
    throw core::Error(core::Exit::bad_input, "--username and --password-stdin go together");
  }
  if (!flags.password_stdin) {
    return registry_options(flags.plain_http, flags.ca_file, flags.docker_config, host);
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') {
    password.pop_back();
  }
  if (password.empty()) {
    throw core::Error(core::Exit::bad_input, core::Where{"<stdin>", 0, ""}, "--password-stdin read an empty password");
  }
  deliver::RegistryOptions r;
  r.plain_http = flags.plain_http;
  r.ca_file = flags.ca_file;
  r.credentials = deliver::Credentials{flags.username, password};
  return r;
}

deliver::RegistryOptions registry_options(bool plain_http, const std::string& ca_file, const std::string& docker_config,
                                          const std::string& host) {
  deliver::RegistryOptions r;
  r.plain_http = plain_http;
  r.ca_file = ca_file;
  r.credentials = deliver::docker_credentials(host, docker_config);
  return r;
}

namespace {
struct PullOptions {
  std::string source;
  std::string output;
  bool verify = false;
  std::string key;
  std::uint64_t max_bytes = 1ull << 30;
  RegistryFlags registry;
};

int run_pull(const PullOptions& o, Context& ctx) {
  refuse_format_as_output(o.output);
  std::optional<std::pair<std::string, std::string>> layout = deliver::parse_layout_source(o.source);  // DIR, TAG
  deliver::Reference ref = layout ? deliver::Reference{} : deliver::parse_reference(o.source);
  std::function<void(const std::string&)> check;
  if (o.verify) {
    attest::Trust trust = attest::trust_from_key(core::read_file(o.key, 1u << 20), o.key);  // fail before fetching
    check = [trust](const std::string& dir) {
      attest::Report report = attest::verify_folder(dir, trust, std::nullopt);
      if (!report.verified()) {
        std::vector<std::string> lines{"the pulled bundle does not verify; nothing was written"};
        for (const auto& f : report.failures) {
          lines.push_back("  " + f);
        }
        throw core::Error(core::Exit::check_failed, lines);
      }
    };
  }
  deliver::Limits limits;
  limits.max_unpacked = o.max_bytes;
  limits.max_blob = std::min<std::uint64_t>(limits.max_blob, o.max_bytes);
  deliver::RegistryOptions r = layout ? deliver::RegistryOptions{} : registry_options(o.registry, ref.host);
  ParentFolders parents(o.output);  // removed again when the pull fails
  deliver::PullResult result;
  {
    Progress progress(ctx);  // cleared before the result is printed
    r.progress = progress.callback();
    result = layout ? deliver::pull_layout(layout->first, layout->second, o.output, r, limits, check)
                    : deliver::pull(ref, o.output, r, limits, check);
  }
  parents.keep();
  ctx.io.out << "pulled " << result.manifest_digest << " into " << o.output << " (recipe " << result.info.recipe_digest
             << (o.verify ? ", verified" : "") << ")\n";
  return 0;
}
}  // namespace

void add_pull(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<PullOptions>(app, "pull", "fetch a bundle OCI artifact into a folder, checking every digest",
      R"(Examples:
  galley pull oci://registry.example.com/platform/gpu-bundle:v1 -o bundle
  galley pull oci://registry.internal/gpu/bundle:v1 -o bundle --ca-file corp-ca.pem   # a private CA
  galley pull oci://127.0.0.1:5000/gpu/bundle@sha256:… -o bundle --plain-http --verify --key release.pub
  galley pull oci-layout:usb/layout:v1 -o bundle   # a layout written by push --oci-layout
The folder is written atomically and must not exist (or be empty). Tar entries with absolute
paths, '..', links or devices are refused. Exit 1 when a digest or the signature does not match,
2 for bad input (an unsafe or oversize bundle), 3 when the manifest is not found, 5 for the network.)");
  sub->add_option("source", opts->source, "oci://HOST[:PORT]/REPOSITORY:TAG or @sha256:DIGEST, or oci-layout:DIR[:TAG]")->required()->option_text("REF");
  sub->add_option("-o,--output", opts->output, "the bundle folder to create")->required()->option_text("DIR");
  auto* verify = sub->add_flag("--verify", opts->verify, "verify the bundle's signature before writing it");
  auto* key = sub->add_option("--key", opts->key, "public key PEM for --verify")->option_text("PUB")->needs(verify);
  verify->needs(key);
  sub->add_option("--max-bytes", opts->max_bytes, "refuse a bundle larger than this unpacked (default 1 GiB)")
      ->option_text("N")->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  add_registry_flags(*sub, opts->registry);
  run = [opts](Context& ctx) { return run_pull(*opts, ctx); };
}

}  // namespace galley::cli
