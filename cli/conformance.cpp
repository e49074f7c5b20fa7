// galley conformance: CNCF Kubernetes AI Conformance submissions: check (offline, or --online).
#include <memory>

#include "cli/common.hpp"
#include "conformance/conformance.hpp"
#include "core/error.hpp"
#include "net/http_client.hpp"

namespace galley::cli {

namespace {

struct CheckFlags {
  std::string path;
  bool online = false;
};

// HEAD, then GET, as the CNCF validator asks; 429 counts as answering.
std::string answers(net::Client& client, const std::string& url) {
  for (const char* method : {"HEAD", "GET"}) {
    try {
      net::Request r;
      r.method = method;
      r.url = url;
      r.follow_redirects = true;
      r.headers = {"User-Agent: galley-conformance-check"};
      net::Response resp = client.send(r);
      if (resp.status < 400 || resp.status == 429) {
        return "";
      }
      if (std::string(method) == "GET") {
        return "HTTP " + std::to_string(resp.status);
      }
    } catch (const core::Error& e) {
      if (std::string(method) == "GET") {
        return e.what();
      }
    }
  }
  return "no answer";
}

int run_check(const CheckFlags& f, Context& ctx) {
  conformance::CheckOptions options;
  std::shared_ptr<net::Client> client;
  if (f.online) {
    client = std::make_shared<net::Client>();
    options.link_answers = [client](const std::string& url) { return answers(*client, url); };
  }
  conformance::CheckReport report = conformance::check_submission(f.path, options);
  ctx.io.out << conformance::to_text(report);
  return core::to_int(report.ok() ? core::Exit::ok : core::Exit::check_failed);
}

// Adds `conformance check`; returns what it runs.
Run add_check(CLI::App& parent) {
  auto f = std::make_shared<CheckFlags>();
  auto* sub = add_command(parent, "check", "check a submission folder as the CNCF validator does",
                          R"(Examples:
  galley conformance check out/v1.37/my-platform
  galley conformance check v1.35/eks/PRODUCT.yaml --online
Rules (docs/conformance.md): metadata fields present and not [placeholders]; k8sConformanceUrl
https://github.com/cncf/k8s-conformance/tree/master/vX.Y/<product>; every id of the version's
checklist present with its description and level; status Implemented, Not Implemented, Partially
Implemented or N/A; every MUST Implemented (cluster_autoscaling may be N/A); N/A with notes; local
evidence inside the product folder; a linked junit.xml, results.json or e2e.log without a failing
test; http(s) links well formed. --online also asks every link (HEAD, then GET).
Exit 0 when the submission passes, 1 with one line per problem (file:line: field: message),
2 for a malformed PRODUCT.yaml or a version without checklist, 3 when PATH does not exist.)");
  sub->add_option("path", f->path, "the product folder (vX.Y/<product>) or its PRODUCT.yaml")->required()->option_text("PATH");
  sub->add_flag("--online", f->online, "also check that every http(s) link answers");
  return [f](Context& ctx) { return run_check(*f, ctx); };
}

}  // namespace

void add_conformance(CLI::App& app, Run& run) {
  auto* sub = add_command(app, "conformance", "CNCF Kubernetes AI Conformance: probes, evidence, submission, check",
                          R"(Examples:
  galley conformance check out/v1.37/my-platform
See galley conformance SUBCOMMAND --help and docs/conformance.md.)");
  sub->require_subcommand(1);
  std::vector<std::pair<CLI::App*, Run>> subs;
  auto add = [&](Run (*adder)(CLI::App&)) {
    Run r = adder(*sub);
    subs.emplace_back(sub->get_subcommands({}).back(), std::move(r));
  };
  add(add_check);
  run = [subs](Context& ctx) {
    for (const auto& [command, fn] : subs) {
      if (command->parsed()) {
        return fn(ctx);
      }
    }
    return core::to_int(core::Exit::bad_input);
  };
}

}  // namespace galley::cli
