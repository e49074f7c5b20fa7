// galley attest: sign an existing bundle folder with SLSA provenance.
#include "attest/attest.hpp"
#include "bundle/bundle.hpp"
#include "cli/common.hpp"
#include "core/clock.hpp"

namespace galley::cli {

namespace {
struct AttestOptions {
  std::string dir;
  std::string key;
  std::string passphrase_env;
  std::string builder_id;
  std::string tsa_url;
  std::string ca_file;
};

int run_attest(const AttestOptions& o, Context& ctx) {
  auto key = attest::SigningKey::load(o.key, attest::passphrase_from_env(o.passphrase_env));
  attest::SignOptions sign{o.builder_id, core::source_date_epoch(), o.tsa_url, o.ca_file};
  attest::sign_folder(o.dir, key, sign);  // checks the inventory first; writes the signature atomically
  ctx.io.out << "signed " << o.dir << " (" << bundle::k_attestation_file << ", key id " << key.id()
             << (o.tsa_url.empty() ? "" : ", timestamped") << ")\n";
  return 0;
}
}  // namespace

void add_attest(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<AttestOptions>(app, "attest", "sign an existing bundle folder (SLSA provenance, Sigstore bundle)",
      R"(Examples:
  galley attest out/helm --key release.key
  galley attest out/helm --key release.key --builder-id https://ci.example.com/pipeline \
      --tsa-url http://timestamp.example.com/tsr
  galley attest out/helm --key release.key --tsa-url https://tsa.internal/tsr --ca-file corp-ca.pem
The folder must match its bundle.yaml inventory. Writes DIR/attestation.sigstore.json (outside the
inventory). SOURCE_DATE_EPOCH, when set, becomes the provenance's startedOn.)");
  sub->add_option("dir", opts->dir, "the bundle folder")->required()->option_text("DIR");
  sub->add_option("--key", opts->key, "private key PEM (mode 0600)")->required()->option_text("KEY");
  sub->add_option("--passphrase-env", opts->passphrase_env, "env VAR holding the key's passphrase")->option_text("VAR");
  sub->add_option("--builder-id", opts->builder_id, "builder.id URI (default https://galley.dev/galley@VERSION)")
      ->option_text("ID");
  sub->add_option("--tsa-url", opts->tsa_url, "RFC 3161 time-stamping authority (http:// or https://)")->option_text("URL");
  sub->add_option("--ca-file", opts->ca_file, "PEM CA certificates trusted for an https --tsa-url (default: the system's)")
      ->option_text("FILE")->check(CLI::ExistingFile)->needs(sub->get_option("--tsa-url"));
  run = [opts](Context& ctx) { return run_attest(*opts, ctx); };
}

}  // namespace galley::cli
