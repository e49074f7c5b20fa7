// galley publish: commit a bundle folder into a GitOps repository (Argo CD, Flux) and push it.
#include <iostream>
#include <sstream>

#include "attest/attest.hpp"
#include "cli/common.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "deliver/deliver.hpp"

namespace galley::cli {

namespace {
struct PublishFlags {
  std::string dir;
  deliver::PublishOptions options;
};

// What `publish --dry-run` found: the changes one a line ("A path", "M path", "D path"), the
// branch and the message; nothing was committed or pushed.
int print_dry_run(const deliver::PublishOptions& o, const deliver::PublishResult& r, Context& ctx) {
  const std::string where = o.url + " " + o.branch + ":" + o.path;
  if (!r.changed) {
    ctx.io.out << "dry run: unchanged: " << where << " already holds this bundle (" << r.commit.substr(0, 12)
               << "); nothing would be committed\n";
    return 0;
  }
  ctx.io.out << "dry run: would commit to branch " << o.branch << " of " << o.url << " on "
             << (r.commit.empty() ? std::string("a new branch") : "top of " + r.commit.substr(0, 12)) << ", replacing "
             << o.path << " (" << r.changes.size() << " files changed)\n";
  for (const auto& c : r.changes) {
    ctx.io.out << c.kind << " " << c.path << "\n";
  }
  ctx.io.out << "message:\n";
  std::istringstream lines(r.message);
  for (std::string line; std::getline(lines, line);) {
    ctx.io.out << (line.empty() ? "" : "  ") << line << "\n";
  }
  ctx.io.out << "nothing committed or pushed\n";
  return 0;
}

}  // namespace

// What a publish did (or, with --dry-run, would do), printed; returns the exit code. Also used by
// `conformance publish` (cli/conformance_submission.cpp).
int print_publish_result(const deliver::PublishOptions& o, const deliver::PublishResult& r, Context& ctx) {
  if (o.dry_run) {
    return print_dry_run(o, r, ctx);
  }
  if (!r.changed) {
    ctx.io.out << "unchanged: " << o.url << " " << o.branch << ":" << o.path << " already holds this bundle ("
               << r.commit.substr(0, 12) << "); nothing pushed\n";
    return 0;
  }
  if (r.attempts > 1) {
    ctx.warn("the branch moved during the push; the commit was replayed on the new tip");
  }
  ctx.io.out << "published " << r.commit << " to " << o.url << " " << o.branch << ":" << o.path << "\n";
  return 0;
}

namespace {

int run_publish(PublishFlags& f, Context& ctx) {
  f.options.time = core::source_date_epoch();
  return print_publish_result(f.options, deliver::publish(f.dir, f.options), ctx);
}
}  // namespace

void add_publish(CLI::App& app, Run& run) {
  auto f = std::make_shared<PublishFlags>();
  auto* sub = add_command(app, "publish", "commit a bundle into a GitOps repository and push it",
                          R"(Examples:
  galley publish out/argocd --git https://git.example.com/platform/gitops.git --branch main --path clusters/prod
  galley publish out/flux --git git://127.0.0.1:9418/gitops.git --branch main --path gpu \
      --author "CI <ci@example.com>" --message "gpu stack for prod"
An argocd or flux bundle must have been rendered with --repo-url URL --revision BRANCH --path PATH
matching where it is published, so its root Application / Kustomization points at itself.
Exactly PATH is replaced; nothing outside it changes. No commit when the tree is unchanged.
A push rejected because the branch moved is replayed on the new tip once, then refused (exit 5).
Credentials: GALLEY_GIT_USERNAME / GALLEY_GIT_PASSWORD for HTTP(S), the SSH agent for ssh.
--dry-run fetches and prints what would be committed (A added, M changed, D removed, one path a
line), the branch and the message, then stops: nothing is committed, pushed or kept.
SOURCE_DATE_EPOCH, when set, is the commit time. Exit 2 for bad input, 5 for git or network errors.)");
  sub->add_option("dir", f->dir, "the bundle folder")->required()->option_text("DIR");
  sub->add_option("--git", f->options.url, "repository URL (file://, git://, http(s)://, ssh://)")->required()->option_text("URL");
  sub->add_option("--branch", f->options.branch, "branch to commit to (created when absent)")->required();
  sub->add_option("--path", f->options.path, "folder inside the repository whose content is replaced (. = root)")->required();
  sub->add_option("--source-url", f->options.source_url,
                  "URL Argo CD / Flux read the repository at, when not --git (must match the bundle's --repo-url)")
      ->option_text("URL");
  sub->add_option("--message", f->options.message, "commit subject (the recipe digest and criteria are always added)");
  sub->add_option("--author", f->options.author, "\"Name <mail>\" (default \"Galley <galley@localhost>\")");
  sub->add_flag("--dry-run", f->options.dry_run, "print what would be committed; commit and push nothing");
  run = [f](Context& ctx) { return run_publish(*f, ctx); };
}

}  // namespace galley::cli
