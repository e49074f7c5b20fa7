// galley conformance submission: the checklist filled in from judged evidence and a product file.
#include <filesystem>
#include <memory>

#include "attest/attest.hpp"
#include "cli/common.hpp"
#include "conformance/conformance.hpp"
#include "core/error.hpp"
#include "core/clock.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"

namespace galley::cli {

int print_publish_result(const deliver::PublishOptions& o, const deliver::PublishResult& r, Context& ctx);  // cli/publish.cpp
void landscape_members(const std::string& landscape, bool online, conformance::CheckOptions& options);  // cli/conformance.cpp

namespace {

struct SubmissionFlags {
  conformance::SubmissionInput input;
  std::string product;
  std::string output;
  std::string key;
  std::string landscape;
  bool force = false;
};

int run_submission(SubmissionFlags& f, Context& ctx) {
  if (!f.key.empty()) {  // the signature too, not only the inventory
    attest::Report r = attest::verify_folder(f.input.evidence_dir, attest::trust_from_key(core::read_file(f.key), f.key), std::nullopt);
    if (!r.verified()) {
      throw core::Error(core::Exit::check_failed, "the evidence does not verify with " + f.key + ":\n" + attest::to_text(r));
    }
  }
  conformance::CheckOptions members;
  landscape_members(f.landscape, false, members);
  if (!members.members_unavailable.empty()) {  // a landscape URL that did not answer: nothing is written unchecked
    throw core::Error(core::Exit::io, core::Where{f.landscape, 0, ""}, members.members_unavailable);
  }
  f.input.members = members.members;
  f.input.product_file = f.product;
  f.input.product_text = core::read_file(f.product);
  conformance::Submission s = conformance::make_submission(f.input);
  const std::string target = (std::filesystem::path(f.output) / s.version / s.product).string();
  ParentFolders parents(target);
  conformance::CheckReport report = conformance::write_submission(s, f.output, f.force);
  parents.keep();
  for (const auto& w : report.warnings) {
    ctx.warn(w);
  }
  ctx.io.out << "wrote " << target << " (" << s.files.size() << " files; check: OK, " << report.requirements
             << " requirements)\n";
  return 0;
}

struct PublishFlags {
  std::string out;
  std::string landscape;
  deliver::PublishOptions options;
};

int run_publish(PublishFlags& f, Context& ctx) {
  conformance::CheckOptions check;
  landscape_members(f.landscape, false, check);
  conformance::SubmissionFolder s = conformance::find_submission(f.out, check);
  f.options.path = s.repo_path;
  f.options.time = core::source_date_epoch();
  const std::string trailer = "Kubernetes AI Conformance submission " + s.repo_path + " (" + std::to_string(s.report.requirements) +
                              " requirements), checked by galley conformance check.\n";
  return print_publish_result(f.options, deliver::publish_folder(s.dir, f.options, trailer), ctx);
}

}  // namespace

// Adds `conformance publish`; returns what it runs.
Run add_conformance_publish(CLI::App& parent) {
  auto f = std::make_shared<PublishFlags>();
  auto* sub = add_command(parent, "publish", "commit a submission on a branch of your k8s-ai-conformance fork and push it",
                          R"(Examples:
  galley conformance publish out --git https://github.com/me/k8s-ai-conformance.git --branch acme-v1.35
  galley conformance publish out --git file:///srv/fork.git --branch acme-v1.35 --dry-run
OUT holds one submission (vX.Y/<product>/, as `conformance submission` writes it) or is that product
folder. It is checked first (a failing submission is not published), then committed with libgit2 at
vX.Y/<product> on BRANCH (created from nothing when absent; nothing else in the tree changes) and
pushed, ready for a pull request. Credentials and --dry-run as `galley publish`.
SOURCE_DATE_EPOCH, when set, is the commit time. Exit 1 when the submission fails its check, 2 for
bad input, 3 when OUT is missing, 5 for git or network errors.)");
  sub->add_option("out", f->out, "the submission root (OUT) or its product folder")->required()->option_text("OUT");
  sub->add_option("--git", f->options.url, "your fork's URL (file://, git://, http(s)://, ssh://)")->required()->option_text("URL");
  sub->add_option("--branch", f->options.branch, "branch to commit to (created when absent)")->required();
  sub->add_option("--message", f->options.message, "commit subject");
  sub->add_option("--author", f->options.author, "\"Name <mail>\" (default \"Galley <galley@localhost>\")");
  sub->add_flag("--dry-run", f->options.dry_run, "print what would be committed; commit and push nothing");
  sub->add_option("--landscape", f->landscape, "check vendorName against this landscape.yml (file or URL), as check --landscape")
      ->option_text("FILE|URL");
  return [f](Context& ctx) { return run_publish(*f, ctx); };
}

// Adds `conformance submission`; returns what it runs.
Run add_conformance_submission(CLI::App& parent) {
  auto f = std::make_shared<SubmissionFlags>();
  auto* sub = add_command(parent, "submission", "write vX.Y/<product>/ for a pull request to cncf/k8s-ai-conformance",
                          R"(Examples:
  galley conformance submission --product product.yaml --evidence evidence -o out
  galley conformance submission --version v1.35 --product product.yaml --evidence evidence -o out --force
The product file holds product (the folder name) and the metadata: platformName, platformVersion,
vendorName, websiteUrl, repoUrl (optional), documentationUrl, productLogoUrl, description,
contactEmailAddress, k8sConformanceUrl; a layered product adds layered.base (the certified
distribution below it) and layered.baseProvides (the requirement ids that layer provides).
Writes OUT/vX.Y/<product>/PRODUCT.yaml (the checklist's ids, descriptions and levels byte for byte),
README.md (one row per requirement and the layer providing it) and evidence/. A MUST is Implemented
only with passing evidence; cluster_autoscaling may be N/A with its reason. Evidence changed after
it was written (its bundle.yaml inventory) is refused; with --key its signature must verify too.
The result is checked
as `galley conformance check` does before anything is written: vendorName must be a CNCF member's
name (the embedded list, or --landscape).
Exit 0 written; 1 a MUST without passing evidence, or the result fails its check (nothing written);
2 a bad product file (file:line: field), evidence of another version, or an existing folder
without --force; 3 a missing file or folder.)");
  sub->add_option("--version", f->input.version, "checklist version (default: the one the evidence was judged against)")
      ->option_text("vX.Y");
  sub->add_option("--product", f->product, "the product file (PRODUCT_INFO.yaml)")->required()->option_text("FILE");
  sub->add_option("--evidence", f->input.evidence_dir, "a folder written by `galley conformance evidence`")->required()->option_text("DIR");
  sub->add_option("-o,--output", f->output, "the root to write vX.Y/<product>/ under (a k8s-ai-conformance checkout)")
      ->required()->option_text("OUT");
  sub->add_option("--key", f->key, "public key PEM: the evidence must be signed by it (galley verify)")->option_text("KEY.pub");
  sub->add_flag("--force", f->force, "replace an existing vX.Y/<product>/");
  sub->add_option("--landscape", f->landscape, "check vendorName against this landscape.yml (file or URL), as check --landscape")
      ->option_text("FILE|URL");
  return [f](Context& ctx) { return run_submission(*f, ctx); };
}

}  // namespace galley::cli
