// galley bundle: render a recipe into a Helm, Argo CD or Flux bundle folder.
#include <iostream>

#include "attest/attest.hpp"
#include "bundle/bundle.hpp"
#include "cli/common.hpp"
#include "cli/registry_flags.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "deliver/deliver.hpp"
#include "render/options.hpp"
#include "render/render.hpp"
#include "resolver/recipe_doc.hpp"

namespace galley::cli {

namespace {
struct BundleOptions {
  CriteriaFlags criteria;
  std::string recipe;
  std::string output;
  render::OptionTexts texts;        // the deployer options, bound to their flags
  std::vector<std::string> values;  // component:FILE
  std::string templates;
  bool force = false;
  bool dry_run = false;
  bool vendor_charts = false;
  std::string registry_config;
  bool plain_http = false;
  bool sign = false;
  std::string key;
  std::string passphrase_env;
  std::string builder_id;
  std::string tsa_url;
  std::string ca_file;
};

render::Options to_render_options(const BundleOptions& o) {
  render::OptionTexts texts = o.texts;
  for (const auto& v : o.values) {
    auto [component, file] = render::split_option(v, ':', "values");
    texts.values.emplace_back(component, read_document(file));
  }
  render::Options r = render::read_options(texts);
  if (!o.templates.empty()) {
    r.templates = render::read_template_folder(o.templates);
  }
  return r;
}

// What `bundle --dry-run` would write: the target's fate, then each file with mode, size and sha256
// (the inventory's digest form), by path. The target is judged as the write would judge it.
int print_dry_run(const BundleOptions& o, const bundle::Bundle& bundle, Context& ctx) {
  bool replace = render::check_bundle_target(o.output, o.force ? render::Overwrite::yes : render::Overwrite::no);
  std::vector<std::vector<std::string>> rows;
  size_t bytes = 0;
  for (const auto& [path, file] : bundle.files) {
    rows.push_back({file.executable ? "0755" : "0644", std::to_string(file.bytes.size()),
                    "sha256:" + core::sha256_hex(file.bytes), path});
    bytes += file.bytes.size();
  }
  ctx.io.out << "dry run: would write " << o.output << " (" << (replace ? "replacing the bundle there" : "a new folder")
             << "), " << bundle.files.size() << " files, " << bytes << " bytes, " << o.texts.deployer << ":\n"
             << aligned(rows) << "nothing was written\n";
  return 0;
}

int run_bundle(const BundleOptions& o, Context& ctx) {
  refuse_format_as_output(o.output);
  if (!o.ca_file.empty() && o.tsa_url.empty() && !o.vendor_charts) {
    throw core::Error(core::Exit::bad_input, "--ca-file is for an https --tsa-url or --vendor-charts; neither is given");
  }
  core::Json recipe = recipe_from(ctx, o.recipe, o.criteria);                  // checked or resolved
  resolver::refuse_partial(recipe, o.criteria.allow_partial);
  std::optional<attest::SigningKey> key;
  if (o.sign) {
    key = attest::SigningKey::load(o.key, attest::passphrase_from_env(o.passphrase_env));  // fail before rendering
  }
  render::Options options = to_render_options(o);
  if (o.vendor_charts) {  // fetched and checked before anything is rendered
    std::string config = o.registry_config;
    bool plain = o.plain_http;
    std::string ca_file = o.ca_file;
    // From the mirror when there is one (galley mirror put the charts there), else their repositories.
    auto sources = render::chart_sources(recipe, o.texts.registry_mirror);
    options.vendored_charts = deliver::fetch_charts(sources, [config, plain, ca_file](const std::string& host) {
      return registry_options(plain, ca_file, config, host);
    });
  }
  auto bundle = render::render(recipe, options);                                // in memory
  for (const auto& w : bundle.warnings) {
    ctx.warn(w);
  }
  if (key) {  // the signature lands in the same atomic write, outside the inventory
    attest::SignOptions sign{o.builder_id, core::source_date_epoch(), o.tsa_url, o.ca_file};
    bundle.files[bundle::k_attestation_file] = bundle::File{attest::sign_bundle(bundle, *key, sign), false};
  }
  if (o.dry_run) {
    return print_dry_run(o, bundle, ctx);
  }
  ParentFolders parents(o.output);
  render::write_bundle(bundle, o.output, o.force ? render::Overwrite::yes : render::Overwrite::no);  // atomic
  parents.keep();
  ctx.io.out << "wrote " << o.output << " (" << bundle.files.size() << " files, " << o.texts.deployer
             << (key ? ", signed by key id " + key->id() + (o.tsa_url.empty() ? "" : ", timestamped") : "") << ")\n";
  return 0;
}
}  // namespace

void add_bundle(CLI::App& app, Run& run) {
  auto opts = std::make_shared<BundleOptions>();
  auto* sub = app.add_subcommand("bundle", "render a recipe into a Helm, Argo CD or Flux bundle folder");
  sub->footer(
      "Examples:\n"
      "  galley bundle --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow \\\n"
      "      --kubernetes 1.34 --deployer helm -o out/helm\n"
      "  galley bundle --recipe recipe.yaml --deployer argocd -o out/argocd \\\n"
      "      --repo-url https://git.example.com/platform/gitops.git --revision main --path clusters/prod\n"
      "  galley bundle --recipe recipe.yaml --deployer helm -o out --set gpu-operator:driver.enabled=false \\\n"
      "      --toleration dedicated=gpu:NoSchedule --node-selector nvidia.com/gpu.present=true --force\n"
      "  galley bundle --recipe recipe.yaml --deployer helm -o out/helm --dry-run   # what would be written\n"
      "The folder is written atomically; an existing bundle is replaced only with --force.");
  sub->add_option("--recipe", opts->recipe, "a recipe file (instead of criteria)")->option_text("FILE");
  add_criteria_flags(*sub, opts->criteria);
  one_of(sub->add_option("--deployer", opts->texts.deployer, "helm, argocd or flux")->required(), render::deployer_names());
  sub->add_option("-o,--output", opts->output, "the bundle folder")->required()->option_text("DIR");
  sub->add_option("--set", opts->texts.sets,
                  "component:path=value, typed as helm --set does; keys checked against the chart's values (repeatable)");
  sub->add_option("--set-unchecked", opts->texts.unchecked_sets,
                  "component:path=value as --set, without the key check; listed in the README (repeatable)");
  sub->add_option("--values", opts->values, "component:FILE, merged into that component's values (repeatable)");
  sub->add_option("--node-selector", opts->texts.node_selectors, "k=v for components on GPU nodes (repeatable)");
  sub->add_option("--toleration", opts->texts.tolerations, "key=value:Effect for components on GPU nodes (repeatable)");
  sub->add_option("--registry-mirror", opts->texts.registry_mirror, "HOST[/PREFIX]: rewrite chart repositories and every image the catalog lists for the recipe (warns about the rest)");
  sub->add_option("--repo-url", opts->texts.repo_url, "git repository the argocd/flux bundle will live in");
  sub->add_option("--revision", opts->texts.revision, "git branch or revision (default main)");
  sub->add_option("--path", opts->texts.path, "folder of the bundle inside the repository (default .)");
  sub->add_option("--templates", opts->templates, "folder of templates overriding the embedded ones by name")
      ->option_text("DIR");
  sub->add_option("--argocd-project", opts->texts.argocd_project, "argocd: the Applications' AppProject (default default)")
      ->option_text("NAME");
  auto* server = sub->add_option("--destination-server", opts->texts.destination_server,
                                 "argocd: API server the components go to (default https://kubernetes.default.svc)")
                     ->option_text("URL");
  sub->add_option("--destination-name", opts->texts.destination_name,
                  "argocd: cluster (registered in Argo CD by name) the components go to, instead of a server")
      ->option_text("NAME")
      ->excludes(server);
  sub->add_option("--argocd-namespace", opts->texts.argocd_namespace,
                  "argocd: namespace the Application objects live in (default argocd)")
      ->option_text("NS");
  sub->add_option("--kube-context", opts->texts.kube_context,
                  "helm: the kubeconfig context deploy.sh deploys to (it refuses another without --any-context)")
      ->option_text("NAME");
  sub->add_flag("--force", opts->force, "replace an existing bundle");
  sub->add_flag("--dry-run", opts->dry_run,
                "print the files that would be written (mode, size, sha256, path); write nothing");
  auto* vendor = sub->add_flag("--vendor-charts", opts->vendor_charts,
                               "put every chart in charts/ (checked against its repository's and the catalog's digests; from the "
                               "--registry-mirror when given): deploy.sh installs the archive, Argo CD and Flux the unpacked chart from git");
  sub->add_option("--registry-config", opts->registry_config, "docker config.json with OCI chart registry credentials")
      ->option_text("FILE")->needs(vendor);
  sub->add_flag("--plain-http", opts->plain_http, "talk HTTP to OCI chart registries and the mirror (a local test registry)")->needs(vendor);
  auto* sign = sub->add_flag("--sign", opts->sign, "sign the bundle (attestation.sigstore.json, as galley attest)");
  sub->add_option("--key", opts->key, "private key PEM for --sign")->option_text("KEY")->needs(sign);
  sign->needs(sub->get_option("--key"));
  sub->add_option("--passphrase-env", opts->passphrase_env, "env VAR holding the key's passphrase")
      ->option_text("VAR")->needs(sign);
  sub->add_option("--builder-id", opts->builder_id, "builder.id URI for --sign")->option_text("ID")->needs(sign);
  sub->add_option("--tsa-url", opts->tsa_url, "RFC 3161 TSA for --sign (http:// or https://)")->option_text("URL")->needs(sign);
  sub->add_option("--ca-file", opts->ca_file,
                  "PEM CA certificates trusted for https: the --tsa-url, and with --vendor-charts the chart "
                  "repositories, registries and mirror (default: the system's)")
      ->option_text("FILE")->check(CLI::ExistingFile);  // needs --tsa-url or --vendor-charts: run_bundle checks
  run = [opts](Context& ctx) { return run_bundle(*opts, ctx); };
}

}  // namespace galley::cli
