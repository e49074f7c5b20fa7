// galley snapshot: capture what this node (and, from files or kubectl, its cluster) runs.
#include <filesystem>
#include <optional>

#include "bundle/folder_write.hpp"
#include "cli/common.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "core/clock.hpp"
#include "validate/validate.hpp"

namespace galley::cli {

namespace {
struct SnapshotOptions {
  validate::CollectOptions collect;
  bool full = false;
  std::string output = "-";
  bool force = false;
  Format format = Format::yaml;
  std::string from_capture;    // a folder the capture script wrote
  bool capture_script = false;  // print the script instead of collecting
};

// What a capture tarball may hold: a node's files are a few MiB at most.
const deliver::Limits k_capture_limits{64u << 20, 256u << 20, 20000};

bool is_tarball(const std::string& path) { return path.ends_with(".tar.gz") || path.ends_with(".tgz"); }

int run_snapshot(SnapshotOptions o, Context& ctx) {
  if (o.capture_script) {
    ctx.io.out << validate::capture_script();
    return 0;
  }
  std::optional<bundle::TempDir> unpacked;  // a .tar.gz capture, unpacked for the collection
  if (is_tarball(o.from_capture)) {
    unpacked.emplace(bundle::temp_beside(std::filesystem::temp_directory_path() / "galley-capture", "unpack"));
    deliver::unpack_tarball(core::read_file(o.from_capture, k_capture_limits.max_blob), unpacked->path().string(),
                            k_capture_limits, o.from_capture);
    validate::use_capture(unpacked->path().string(), o.collect, o.from_capture);
  } else if (!o.from_capture.empty()) {
    validate::use_capture(o.from_capture, o.collect);
  }
  o.collect.privacy = o.full ? validate::Privacy::full : validate::Privacy::hashed;
  o.collect.collected_at = core::rfc3339(core::now_epoch());  // SOURCE_DATE_EPOCH or the clock
  core::Json snapshot = validate::collect_snapshot(o.collect);         // absent parts say why
  write_output(ctx, o.output, render(snapshot, o.format), {"Snapshot", ""}, o.force);  // atomic file, or stdout
  return 0;
}
}  // namespace

void add_snapshot(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<SnapshotOptions>(app, "snapshot", "capture what a node and its cluster run (kind Snapshot)",
      R"(Hostnames, node names, IPs, provider IDs, GPU serials and UUIDs are replaced by
"sha256:" + 16 hex of sha256(salt + value) unless --full; the default salt is fixed, so the
same machine gives the same snapshot. collectedAt is SOURCE_DATE_EPOCH when set, else now.
kubectl, helm and nvidia-smi output is read up to 32 MiB (see docs/validate.md).
Examples:
  galley snapshot -o node.yaml
  galley snapshot --from-kubectl-json nodes.json --kubectl-version version.json \
      --helm-releases releases.json --objects-json objects.json --metrics metrics.txt \
      --resource-slices slices.json --format json -o cluster.json
  galley snapshot --root ./captured --nvidia-smi-xml ./captured/nvidia-smi.xml
  galley snapshot --root ./captured --amd-smi-json ./captured/amd-smi-static.json   # AMD Instinct node
A node captured for reading elsewhere (a support case): on the node, run the printed script, then
  galley snapshot --capture-script > capture.sh        # anywhere galley runs
  sh capture.sh node-capture                           # on the node: a folder (or node.tar.gz)
  galley snapshot --from-capture node-capture -o node.yaml
--from-capture DIR is --root DIR/root --nvidia-smi-xml DIR/nvidia-smi.xml (the latter only when
the capture holds it). A .tar.gz (or .tgz) capture is read as is, unpacked to a temporary folder
that is removed afterwards; absolute paths, "..", links and devices in it are refused, and it may
unpack to at most 256 MiB. examples/snapshot/ holds a capture of a real H100 node and kubectl output.)");
  sub->add_option("-o,--output", opts->output, "file to write, or - for stdout (default)")->option_text("FILE");
  sub->add_flag("--force", opts->force, "replace an existing -o FILE that is not a Galley snapshot");
  add_format_flag(*sub, opts->format, {Format::yaml, Format::json});
  sub->add_flag("--full", opts->full, "keep identifying values (hostnames, IPs, serials) as they are");
  sub->add_flag("--skip-node", opts->collect.skip_node, "record no node part (a cluster snapshot taken elsewhere)");
  sub->add_option("--salt", opts->collect.salt, "salt for the privacy hashes (default: a documented constant)");
  auto* root = sub->add_option("--root", opts->collect.root, "read /etc, /proc and /sys under DIR; run no tools")
      ->option_text("DIR");
  auto* xml = sub->add_option("--nvidia-smi-xml", opts->collect.nvidia_smi_xml, "`nvidia-smi -q -x` output to use")
      ->option_text("FILE");
  auto* amd = sub->add_option("--amd-smi-json", opts->collect.amd_smi_json,
                               "`amd-smi static --json` or `rocm-smi --json` output to use (AMD GPUs)")
      ->option_text("FILE")
      ->excludes(xml);
  sub->add_option("--from-capture", opts->from_capture,
                  "read a folder (or .tar.gz) written by the --capture-script script")
      ->option_text("DIR|FILE.tar.gz")
      ->excludes(root)
      ->excludes(xml)
      ->excludes(amd);
  sub->add_flag("--capture-script", opts->capture_script,
                "print a POSIX sh script that captures a node for --from-capture, and exit");
  sub->add_option("--from-kubectl-json", opts->collect.nodes_json, "`kubectl get nodes -o json` output")
      ->option_text("NODES.json");
  sub->add_option("--kubectl-version", opts->collect.version_json, "`kubectl version -o json` output")
      ->option_text("VERSION.json");
  sub->add_option("--helm-releases", opts->collect.helm_releases_json, "`helm list -A -o json` output")
      ->option_text("RELEASES.json");
  sub->add_option("--objects-json", opts->collect.objects_json,
                  "`kubectl get " + validate::object_kinds() + " -A -o json` output (health checks)")
      ->option_text("FILE");
  sub->add_option("--metrics", opts->collect.metrics_text, "`kubectl get --raw /metrics` output (feature gates)")
      ->option_text("FILE");
  sub->add_option("--resource-slices", opts->collect.resource_slices_json,
                  "`kubectl get resourceslices -o json` output (DRA)")
      ->option_text("FILE");
  sub->add_option("--pods-json", opts->collect.pods_json,
                  "`kubectl get pods -A -o json` output (running images: drift from a locked recipe)")
      ->option_text("FILE");
  run = [opts](Context& ctx) { return run_snapshot(*opts, ctx); };
}

}  // namespace galley::cli
