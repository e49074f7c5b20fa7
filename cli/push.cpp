// galley push: a bundle folder as an OCI artifact, to a registry or an image layout on disk.
#include <iostream>
#include <unistd.h>

#include "attest/attest.hpp"
#include "cli/common.hpp"
#include "cli/registry_flags.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "deliver/deliver.hpp"

namespace galley::cli {

namespace {
struct PushOptions {
  std::string dir;
  std::string target;
  std::string layout;
  std::string tag = "latest";
  std::vector<std::string> annotations;
  std::string source;
  std::string revision;
  RegistryFlags registry;
};

int run_push(const PushOptions& o, Context& ctx) {
  if (o.target.empty() == o.layout.empty()) {
    throw core::Error(core::Exit::bad_input, "give exactly one of oci://HOST/REPO:TAG and --oci-layout DIR");
  }
  std::optional<deliver::Reference> ref;
  if (!o.target.empty()) {
    ref = deliver::parse_reference(o.target);  // refuse a bad reference before reading the bundle
  }
  deliver::ArtifactOptions a;
  a.created = core::source_date_epoch();
  a.source = o.source;
  a.revision = o.revision;
  for (const auto& kv : o.annotations) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw core::Error(core::Exit::bad_input, core::Where{"", 0, "--annotation"}, "\"" + kv + "\" is not KEY=VALUE");
    }
    a.annotations[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  deliver::Artifact artifact = deliver::build_artifact(o.dir, a);
  if (ref) {
    deliver::RegistryOptions r = registry_options(o.registry, ref->host);
    std::string digest;
    {
      Progress progress(ctx);  // cleared before the digest is printed
      r.progress = progress.callback();
      digest = deliver::push(artifact, *ref, r);
    }
    ctx.io.out << digest << "\n";
  } else {
    deliver::write_layout(artifact, o.layout, o.tag);
    ctx.io.out << artifact.manifest_digest << "\n";
  }
  return 0;
}
}  // namespace

void add_push(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<PushOptions>(app, "push", "publish a bundle folder as an OCI artifact (registry or image layout)",
      R"(Examples:
  galley push out/helm oci://registry.example.com/platform/gpu-bundle:v1
  galley push out/helm oci://registry.internal/gpu/bundle:v1 --ca-file corp-ca.pem   # a private CA
  galley push out/helm oci://127.0.0.1:5000/gpu/bundle:v1 --plain-http --annotation team=gpu
  echo "$TOKEN" | galley push out/helm oci://ghcr.io/acme/bundle:v1 --username acme --password-stdin
  SOURCE_DATE_EPOCH=1700000000 galley push out/helm --oci-layout out/layout --tag v1
Prints the manifest digest; the same bundle and options give the same digest. Blobs go first,
the manifest last. Exit 2 for bad input, 5 when the registry is unreachable or refuses.)");
  sub->add_option("dir", opts->dir, "the bundle folder")->required()->option_text("DIR");
  sub->add_option("target", opts->target, "oci://HOST[:PORT]/REPOSITORY:TAG")->option_text("REF");
  sub->add_option("--oci-layout", opts->layout, "write an OCI image layout here instead of pushing")->option_text("DIR");
  sub->add_option("--tag", opts->tag, "the tag in the image layout (default latest)");
  sub->add_option("--annotation", opts->annotations, "KEY=VALUE manifest annotation (repeatable)");
  sub->add_option("--source", opts->source, "org.opencontainers.image.source (e.g. the git repository)");
  sub->add_option("--revision", opts->revision, "org.opencontainers.image.revision (e.g. a commit)");
  add_registry_flags(*sub, opts->registry);
  run = [opts](Context& ctx) { return run_push(*opts, ctx); };
}

}  // namespace galley::cli
