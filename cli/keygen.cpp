// galley keygen: an ECDSA P-256 or Ed25519 key pair for signing bundles.
#include "attest/attest.hpp"
#include "cli/common.hpp"

namespace galley::cli {

namespace {
struct KeygenOptions {
  std::string out;
  std::string type = "ecdsa-p256";
  std::string passphrase_env;
};

int run_keygen(const KeygenOptions& o, Context& ctx) {
  auto type = o.type == "ed25519" ? attest::KeyType::ed25519 : attest::KeyType::ecdsa_p256;
  auto keys = attest::generate_key(type, attest::passphrase_from_env(o.passphrase_env));
  ParentFolders parents(o.out);
  attest::write_key_pair(keys, o.out);  // NAME.key (0600), NAME.pub; never overwrites
  parents.keep();
  ctx.io.out << "wrote " << o.out << ".key and " << o.out << ".pub (" << o.type << ", key id "
             << attest::key_id(keys.public_pem) << ")\n";
  return 0;
}
}  // namespace

void add_keygen(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<KeygenOptions>(app, "keygen", "make a key pair for signing bundles",
      R"(Examples:
  galley keygen --out release            # release.key (mode 0600) and release.pub
  GALLEY_KEY_PASS=... galley keygen --out ci --type ed25519 --passphrase-env GALLEY_KEY_PASS
Existing files are never overwritten. The private key is PKCS#8 PEM, AES-256 encrypted with a passphrase.)");
  sub->add_option("--out", opts->out, "NAME: writes NAME.key and NAME.pub")->required()->option_text("NAME");
  one_of(sub->add_option("--type", opts->type, "ecdsa-p256 (default) or ed25519"), {"ecdsa-p256", "ed25519"});
  sub->add_option("--passphrase-env", opts->passphrase_env, "encrypt the private key with the passphrase in env VAR")
      ->option_text("VAR");
  run = [opts](Context& ctx) { return run_keygen(*opts, ctx); };
}

}  // namespace galley::cli
