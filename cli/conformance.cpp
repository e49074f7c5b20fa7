// galley conformance: CNCF Kubernetes AI Conformance submissions: check (offline, or --online).
#include <memory>

#include "cli/common.hpp"
#include "conformance/conformance.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "net/http_client.hpp"
#include "render/render.hpp"
#include "resolver/recipe_doc.hpp"
#include "bundle/bundle.hpp"

namespace galley::cli {

namespace {

struct CheckFlags {
  std::string path;
  bool online = false;
  std::string landscape;
  std::string as_of;
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

}  // namespace

// The CNCF members vendorName is checked against: --landscape (a saved landscape.yml, or a URL),
// else the current landscape with --online, else the embedded list. A landscape that does not answer
// is recorded in options.members_unavailable (a problem: fail closed, as the validator fails); a file
// that cannot be read throws.
void landscape_members(const std::string& landscape, bool online, conformance::CheckOptions& options) {
  std::string where = landscape.empty() && online ? conformance::k_landscape_url : landscape;
  if (where.empty()) {
    return;
  }
  if (!where.starts_with("http://") && !where.starts_with("https://")) {
    options.members = std::make_shared<const conformance::MemberList>(conformance::members_from_landscape(core::read_file(where), where));
    return;
  }
  try {
    net::Request r;
    r.url = where;
    r.follow_redirects = true;
    r.headers = {"User-Agent: galley-conformance-check"};
    r.limits.max_body = 64u << 20;  // landscape.yml is about 1 MiB
    net::Response resp = net::Client().send(r);
    if (resp.status != 200) {
      options.members_unavailable = where + ": HTTP " + std::to_string(resp.status);
      return;
    }
    options.members = std::make_shared<const conformance::MemberList>(conformance::members_from_landscape(resp.body, where));
  } catch (const core::Error& e) {
    options.members_unavailable = e.what();
  }
}

namespace {

int run_check(const CheckFlags& f, Context& ctx) {
  conformance::CheckOptions options;
  options.rules = conformance::validator_rules(f.as_of, "--as-of");
  std::shared_ptr<net::Client> client;
  if (f.online) {
    client = std::make_shared<net::Client>();
    options.link_answers = [client](const std::string& url) { return answers(*client, url); };
  }
  landscape_members(f.landscape, f.online, options);
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
  galley conformance check out/v1.37/my-platform --landscape landscape.yml
  galley conformance check v1.35/gke --as-of 2026-03-16T17:46:21Z
Rules (docs/conformance.md): metadata fields present and not [placeholders]; k8sConformanceUrl
https://github.com/cncf/k8s-conformance/tree/master/vX.Y/<product>; every id of the version's
checklist present with its description and level; status Implemented, Not Implemented, Partially
Implemented or N/A; every MUST Implemented (cluster_autoscaling may be N/A); N/A with notes; local
evidence inside the product folder; a linked junit.xml, results.json or e2e.log without a failing
test; http(s) links well formed; vendorName exactly the name of a CNCF member as the CNCF Landscape
lists it (the validator's rule), checked against Galley's embedded list of members (dated: see
docs/conformance.md), or --landscape (a saved landscape.yml, or its URL), or with --online the
current landscape (raw.githubusercontent.com/cncf/landscape/master/landscape.yml; if it does not
answer, that is a problem: membership is never passed unchecked).
--online also asks every link (HEAD, then GET).
--as-of TIME judges by the validator's rules of that moment, as a pull request merged then was
judged (the validator checks the PRODUCT.yaml files a pull request changes, never the accepted ones
again): k8sConformanceUrl is required since 2026-01-28T13:30:53Z, CNCF membership since
2026-03-16T18:10:43Z; a rule not yet in force is a warning, not a problem. TIME is YYYY-MM-DD
(00:00 UTC) or an RFC 3339 time; one before the validator's first version (2026-01-27T19:46:38Z) is
refused.
Exit 0 when the submission passes, 1 with one line per problem (file:line: field: message),
2 for a malformed PRODUCT.yaml or a version without checklist, or a --landscape file that is not the
CNCF Landscape's landscape.yml or a bad --as-of, 3 when PATH (or the --landscape file) does not exist.)");
  sub->add_option("path", f->path, "the product folder (vX.Y/<product>) or its PRODUCT.yaml")->required()->option_text("PATH");
  sub->add_flag("--online", f->online, "also check that every http(s) link answers, and vendorName against the current CNCF Landscape");
  sub->add_option("--landscape", f->landscape, "check vendorName against this landscape.yml (file or URL) instead of the embedded members")
      ->option_text("FILE|URL");
  sub->add_option("--as-of", f->as_of, "judge by the CNCF validator's rules of this moment (default: today's)")->option_text("TIME");
  return [f](Context& ctx) { return run_check(*f, ctx); };
}

struct ProbesFlags {
  std::string recipe;
  std::string version;
  std::string output;
  bool force = false;
};

int run_probes(const ProbesFlags& f, Context& ctx) {
  core::Document recipe = resolver::read_recipe(f.recipe);
  std::string version = conformance::checklist(f.version.empty() ? conformance::recipe_version(recipe.value) : f.version).version;
  std::vector<conformance::Probe> probes = conformance::make_probes(recipe.value, version);
  bundle::Bundle out;
  for (auto& [path, bytes] : conformance::probe_files(probes, version, recipe.value)) {
    out.files[path] = bundle::File{bytes, false};
  }
  render::write_bundle(out, f.output, f.force ? render::Overwrite::yes : render::Overwrite::no);
  ctx.io.out << "wrote " << f.output << " (" << out.files.size() - 2 << " probe files)\n";
  return 0;
}

// Adds `conformance probes`; returns what it runs.
Run add_probes(CLI::App& parent) {
  auto f = std::make_shared<ProbesFlags>();
  auto* sub = add_command(parent, "probes", "render the objects that demonstrate each requirement with the recipe's components",
                          R"(Examples:
  galley conformance probes --recipe recipe.yaml -o probes
  galley conformance probes --recipe recipe.yaml --version v1.37 -o probes
One YAML file per requirement the recipe has a component for (<id>.yaml, namespace
galley-conformance, every object labelled conformance.galley.dev/requirement=<id>), probes.yaml (the
index) and README.md (how to apply them and save their results; what is not covered and why).
Exit 2 for a bad recipe or a version without checklist.)");
  sub->add_option("--recipe", f->recipe, "the Recipe file")->required()->option_text("FILE");
  sub->add_option("--version", f->version, "checklist version (default: the recipe's Kubernetes minor)")->option_text("vX.Y");
  sub->add_option("-o,--output", f->output, "the folder to write")->required()->option_text("DIR");
  sub->add_flag("--force", f->force, "replace an existing probe folder");
  return [f](Context& ctx) { return run_probes(*f, ctx); };
}

}  // namespace

Run add_conformance_evidence(CLI::App& parent);  // cli/conformance_evidence.cpp
Run add_conformance_submission(CLI::App& parent);  // cli/conformance_submission.cpp
Run add_conformance_publish(CLI::App& parent);     // cli/conformance_submission.cpp

void add_conformance(CLI::App& app, Run& run) {
  auto* sub = add_command(app, "conformance", "CNCF Kubernetes AI Conformance: probes, evidence, submission, check, publish",
                          R"(Examples:
  galley conformance probes --recipe recipe.yaml -o probes
  galley conformance evidence --recipe recipe.yaml --results results.json -o evidence --sign --key k.key
  galley conformance submission --product product.yaml --evidence evidence -o fork
  galley conformance check fork/v1.35/my-platform
  galley conformance publish fork --git https://github.com/me/k8s-ai-conformance.git --branch my-platform
See galley conformance SUBCOMMAND --help and docs/conformance.md.)");
  sub->require_subcommand(1);
  std::vector<std::pair<CLI::App*, Run>> subs;
  auto add = [&](Run (*adder)(CLI::App&)) {
    Run r = adder(*sub);
    subs.emplace_back(sub->get_subcommands({}).back(), std::move(r));
  };
  add(add_probes);
  add(add_conformance_evidence);
  add(add_conformance_submission);
  add(add_conformance_publish);
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
