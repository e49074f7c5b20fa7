// galley conformance submission: the checklist filled in from judged evidence and a product file.
#include <filesystem>
#include <memory>

#include "cli/common.hpp"
#include "conformance/conformance.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

namespace galley::cli {

namespace {

struct SubmissionFlags {
  conformance::SubmissionInput input;
  std::string product;
  std::string output;
  bool force = false;
};

int run_submission(SubmissionFlags& f, Context& ctx) {
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

}  // namespace

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
only with passing evidence; cluster_autoscaling may be N/A with its reason. The result is checked
as `galley conformance check` does before anything is written.
Exit 0 written; 1 a MUST without passing evidence, or the result fails its check (nothing written);
2 a bad product file (file:line: field), evidence of another version, or an existing folder
without --force; 3 a missing file or folder.)");
  sub->add_option("--version", f->input.version, "checklist version (default: the one the evidence was judged against)")
      ->option_text("vX.Y");
  sub->add_option("--product", f->product, "the product file (PRODUCT_INFO.yaml)")->required()->option_text("FILE");
  sub->add_option("--evidence", f->input.evidence_dir, "a folder written by `galley conformance evidence`")->required()->option_text("DIR");
  sub->add_option("-o,--output", f->output, "the root to write vX.Y/<product>/ under (a k8s-ai-conformance checkout)")
      ->required()->option_text("OUT");
  sub->add_flag("--force", f->force, "replace an existing vX.Y/<product>/");
  return [f](Context& ctx) { return run_submission(*f, ctx); };
}

}  // namespace galley::cli
