// galley verify: check a signed bundle offline against a key or a TrustPolicy.
#include "attest/attest.hpp"
#include "cli/common.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "core/yaml_emit.hpp"

namespace galley::cli {

namespace {
struct VerifyOptions {
  std::string dir;
  std::string key;
  std::string trust;
  std::string as_of;
  Format format = Format::table;
};

attest::Trust load_trust(const VerifyOptions& o) {
  if (!o.key.empty()) {
    return attest::trust_from_key(core::read_file(o.key, 1u << 20), o.key);
  }
  return attest::trust_from_policy(core::parse_yaml(core::read_file(o.trust), o.trust));
}

int run_verify(const VerifyOptions& o, Context& ctx) {
  std::optional<std::int64_t> as_of;
  if (!o.as_of.empty()) {
    as_of = core::parse_time(o.as_of, "--as-of");
  }
  attest::Report report = attest::verify_folder(o.dir, load_trust(o), as_of);  // offline, no state
  ctx.io.out << (o.format == Format::json ? core::to_pretty_json(attest::to_json(report)) : attest::to_text(report));
  return core::to_int(report.verified() ? core::Exit::ok : core::Exit::check_failed);
}
}  // namespace

void add_verify(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<VerifyOptions>(app, "verify", "verify a signed bundle offline: signature, files, recipe, trust",
      R"(Examples:
  galley verify out/helm --key release.pub
  galley verify out/helm --trust trust.yaml --format json
  galley verify out/helm --trust trust.yaml --as-of 2027-01-01
Closed world: a file not in the statement, a missing, renamed or changed file, or a symlink fails.
Exit 0 when everything required holds, 1 when verification fails, 2 for bad input (a malformed
policy or key, a bad --as-of), 3 when DIR or a named file does not exist. See docs/attest.md.)");
  sub->add_option("dir", opts->dir, "the bundle folder")->required()->option_text("DIR");
  auto* key = sub->add_option("--key", opts->key, "trust this public key PEM")->option_text("PUB");
  auto* trust = sub->add_option("--trust", opts->trust, "a TrustPolicy file")->option_text("POLICY");
  key->excludes(trust);
  sub->add_option("--as-of", opts->as_of, "judge keys at this date when no timestamp sets the signing time")
      ->option_text("DATE");
  add_format_flag(*sub, opts->format, {Format::table, Format::json});
  run = [opts](Context& ctx) {
    if (opts->key.empty() == opts->trust.empty()) {
      throw core::Error(core::Exit::bad_input, "give exactly one of --key PUB and --trust POLICY");
    }
    return run_verify(*opts, ctx);
  };
}

}  // namespace galley::cli
