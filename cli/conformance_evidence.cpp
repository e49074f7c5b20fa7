// galley conformance evidence: judge each requirement from the probes' saved results.
#include <memory>

#include "attest/attest.hpp"
#include "bundle/bundle.hpp"
#include "cli/common.hpp"
#include "conformance/conformance.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "render/render.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::cli {

namespace {

struct EvidenceFlags {
  std::string recipe;
  std::string version;
  std::vector<std::string> results;
  conformance::KubectlOptions kubectl;
  std::string validate_report;
  std::string output;
  bool full = false;
  bool force = false;
  bool sign = false;
  std::string key;
  std::string passphrase_env;
};

int run_evidence(const EvidenceFlags& f, Context& ctx) {
  std::optional<attest::SigningKey> key;
  if (f.sign) {
    key = attest::SigningKey::load(f.key, attest::passphrase_from_env(f.passphrase_env));  // fail before judging
  }
  core::Document recipe = resolver::read_recipe(f.recipe);
  std::string version = conformance::checklist(f.version.empty() ? conformance::recipe_version(recipe.value) : f.version).version;
  auto probes = conformance::make_probes(recipe.value, version);
  std::vector<std::pair<std::string, std::string>> texts;
  for (const auto& path : f.results) {
    texts.emplace_back(path, core::read_file(path));
  }
  if (f.results.empty()) {  // live: read back from the cluster
    texts.push_back(conformance::kubectl_results(probes, f.kubectl));
  }
  conformance::EvidenceOptions options;
  options.version = version;
  options.privacy = f.full ? conformance::Privacy::full : conformance::Privacy::hashed;
  options.stamp_ms = core::source_date_epoch().value_or(0) * 1000;
  options.validate_report = f.validate_report.empty() ? "" : core::read_file(f.validate_report);
  auto verdicts = conformance::judge(probes, conformance::read_results(texts), options);
  bundle::Bundle out;
  for (auto& [path, bytes] : conformance::evidence_files(recipe.value, version, verdicts, options)) {
    out.files[path] = bundle::File{bytes, false};
  }
  if (key) {  // the signature lands in the same atomic write, outside the inventory
    attest::SignOptions sign{"", core::source_date_epoch(), "", ""};
    out.files[bundle::k_attestation_file] = bundle::File{attest::sign_bundle(out, *key, sign), false};
  }
  render::write_bundle(out, f.output, f.force ? render::Overwrite::yes : render::Overwrite::no);
  int must_missing = 0;
  for (const auto& v : verdicts) {
    ctx.io.out << v.status << "  " << v.id << " (" << v.level << ")" << (v.reason.empty() ? "" : ": " + v.reason) << "\n";
    must_missing += v.level == "MUST" && v.status != "pass" ? 1 : 0;
  }
  ctx.io.out << "wrote " << f.output << "; " << must_missing << " MUST requirement(s) without passing evidence\n";
  return core::to_int(must_missing == 0 ? core::Exit::ok : core::Exit::check_failed);
}

}  // namespace

// Adds `conformance evidence`; returns what it runs.
Run add_conformance_evidence(CLI::App& parent) {
  auto f = std::make_shared<EvidenceFlags>();
  auto* sub = add_command(parent, "evidence", "judge each requirement from the probes' results (live or saved)",
                          R"(Examples:
  galley conformance evidence --recipe recipe.yaml -o evidence           # live, through kubectl
  galley conformance evidence --recipe recipe.yaml --context prod --kubectl-timeout 120 -o evidence
  galley conformance evidence --recipe recipe.yaml --results results.json -o evidence
Without --results the probe objects are read from the cluster with kubectl (the current context, or
--context): `kubectl get <the probes' kinds> -n galley-conformance -l conformance.galley.dev/requirement
-o json`. The probes' README.md prints the same command for saving results to judge elsewhere.
Each requirement is pass, fail, could-not-verify (its objects are not in the results) or
not-applicable (no component in the recipe; the reason is kept). Nothing passes on a component
merely being in the recipe. Writes evidence.yaml, junit.xml (TestSecureAcceleratorAccess,
TestGangScheduling, TestAcceleratorClusterAutoscaling, ...), ctrf.json, requirements/<id>.md and
recipe-digest.txt, with recipe.yaml and bundle.yaml (the inventory): the folder is a bundle of its
own (deployer conformance). --sign --key signs it as `galley bundle --sign` does; `galley verify`
checks it, `galley push` ships it as an OCI artifact of type
application/vnd.galley.conformance-evidence.v1 that `galley pull` accepts. Node names are hashed
unless --full.
Exit 0 when every MUST passed, 1 otherwise (the evidence is written), 2 for bad input (results that
are not kubectl JSON, hold no probe object, or hold probe objects these probes do not have), 3 when
kubectl is not on PATH, 5 when kubectl fails or runs past --kubectl-timeout. Nothing is written
unless the results were read and matched the probes.)");
  sub->add_option("--recipe", f->recipe, "the Recipe the probes came from")->required()->option_text("FILE");
  sub->add_option("--version", f->version, "checklist version (default: the recipe's Kubernetes minor)")->option_text("vX.Y");
  sub->add_option_function<std::string>("--results", [f](const std::string& v) { f->results.push_back(v); },
                                        "saved `kubectl get -o json` output (repeatable; default: read live with kubectl)")
      ->option_text("FILE");
  sub->add_option_function<std::string>("--from-kubectl-json", [f](const std::string& v) { f->results.push_back(v); },
                                        "the same as --results (the name `galley snapshot` uses)")
      ->option_text("FILE");
  auto* context = sub->add_option("--context", f->kubectl.context, "kubectl context for live results (default: current)")->option_text("NAME");
  auto* timeout = sub->add_option("--kubectl-timeout", f->kubectl.timeout_s, "seconds kubectl may take (default 60)")
                      ->option_text("SECONDS")->check(CLI::Range(1, 3600));
  context->excludes("--results")->excludes("--from-kubectl-json");
  timeout->excludes("--results")->excludes("--from-kubectl-json");
  sub->add_option("--validate-report", f->validate_report, "a `galley validate --format json` report to include")->option_text("FILE");
  sub->add_option("-o,--output", f->output, "the folder to write")->required()->option_text("DIR");
  sub->add_flag("--full", f->full, "keep node names as they are (default: hashed)");
  sub->add_flag("--force", f->force, "replace an existing evidence folder");
  auto* sign = sub->add_flag("--sign", f->sign, "sign the evidence folder (attestation.sigstore.json, as galley bundle --sign)");
  sub->add_option("--key", f->key, "private key PEM for --sign")->option_text("KEY")->needs(sign);
  sign->needs(sub->get_option("--key"));
  sub->add_option("--passphrase-env", f->passphrase_env, "env VAR holding the key's passphrase")->option_text("VAR")->needs(sign);
  return [f](Context& ctx) { return run_evidence(*f, ctx); };
}


}  // namespace galley::cli
