// Helm charts copied to a mirror: OCI charts as the OCI artifacts they are, classic repository
// charts (index.yaml) fetched, checked and pushed as OCI charts, as `helm push` makes them.
#include <filesystem>

#include "core/document.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/digest.hpp"
#include "deliver/internal/helm_chart.hpp"
#include "deliver/internal/scratch.hpp"

namespace galley::deliver {

using core::Json;

namespace {

Json descriptor(const char* media_type, const std::string& bytes) {
  return Json{{"mediaType", media_type}, {"digest", digest_of(bytes)}, {"size", bytes.size()}};
}

// Writes each chart into an OCI layout at `dir` as an OCI chart (config: Chart.yaml as JSON; one
// layer: the archive), tagged with its reference "host/path/chart:version".
void write_chart_layout(const std::filesystem::path& dir, const std::map<std::string, bundle::VendoredChart>& charts) {
  namespace fs = std::filesystem;
  fs::create_directories(dir / "blobs" / "sha256");
  auto put = [&](const std::string& bytes) {
    core::write_file_atomic((dir / "blobs" / "sha256" / digest_of(bytes).substr(7)).string(), bytes);
  };
  Json index = {{"schemaVersion", 2}, {"mediaType", "application/vnd.oci.image.index.v1+json"}, {"manifests", Json::array()}};
  for (const auto& [component, chart] : charts) {
    auto meta = chart.files.find("Chart.yaml");
    if (meta == chart.files.end()) {
      throw core::Error(core::Exit::bad_input, core::Where{chart.source.repository, 0, ""},
                        "the archive of " + chart.source.chart + " " + chart.source.version + " has no Chart.yaml");
    }
    std::string config = core::parse_yaml(meta->second.first, chart.file + ":Chart.yaml").value.dump();
    Json manifest = {{"schemaVersion", 2},
                     {"mediaType", k_manifest_type},
                     {"config", descriptor(k_helm_config_type, config)},
                     {"layers", Json::array({descriptor(k_helm_chart_layer, chart.bytes)})}};
    std::string manifest_bytes = manifest.dump();
    put(config);
    put(chart.bytes);
    put(manifest_bytes);
    Json d = descriptor(k_manifest_type, manifest_bytes);
    d["annotations"] = {{"org.opencontainers.image.ref.name",
                         bundle::chart_oci_path(chart.source.repository, chart.source.chart) + ":" + chart.source.version}};
    index["manifests"].push_back(d);
  }
  core::write_file_atomic((dir / "oci-layout").string(), "{\"imageLayoutVersion\":\"1.0.0\"}");
  core::write_file_atomic((dir / "index.json").string(), index.dump() + "\n");
}

void add(MirrorStats& into, const MirrorStats& s) {
  into.images += s.images;
  into.manifests_copied += s.manifests_copied;
  into.manifests_present += s.manifests_present;
  into.blobs_copied += s.blobs_copied;
  into.blobs_present += s.blobs_present;
  into.blobs_mounted += s.blobs_mounted;
  into.bytes_copied += s.bytes_copied;
  into.narrowed.insert(into.narrowed.end(), s.narrowed.begin(), s.narrowed.end());
}

}  // namespace

MirrorStats mirror_charts(const std::vector<bundle::ChartSource>& charts, const std::optional<MirrorTarget>& from,
                          const MirrorTarget& to, const MirrorOptions& options, const Limits& limits) {
  std::vector<core::ImageReference> direct;  // OCI already: at their registry, or at `from`
  std::vector<core::ImageReference> staged;  // classic repository charts, made OCI charts here
  std::vector<bundle::ChartSource> to_fetch;
  for (const auto& c : charts) {
    core::ImageReference ref{bundle::chart_oci_path(c.repository, c.chart), c.version, ""};
    bool oci = c.repository.starts_with("oci://");
    if (oci || from) {
      if (oci && !from && !c.recorded_digest.empty()) {  // the catalog's manifest digest: checked, then copied by it
        Reference at{ref.host(), ref.repository(), ref.tag, "", ref.str()};
        std::string digest = resolve_image_digest(at, options.source_options(at.host)).digest;
        if (digest != c.recorded_digest) {
          throw core::Error(core::Exit::check_failed, core::Where{c.component, 0, "chartDigest"},
                            "the manifest of " + c.chart + " " + c.version + " at " + c.repository + " is " + digest +
                                "; the recipe records " + c.recorded_digest + " (" + c.recorded_source + ")");
        }
        ref.digest = digest;
      }
      direct.push_back(ref);
    } else {
      to_fetch.push_back(c);
      staged.push_back(ref);
    }
  }
  MirrorStats total;
  if (!direct.empty()) {  // (an empty list would mean the whole of a layout)
    add(total, mirror_images(direct, from, to, options));
  }
  if (!to_fetch.empty()) {
    // Fetched and checked (index digest, catalog digest, safe paths) before anything is pushed.
    auto fetched = fetch_charts(to_fetch, options.source_options, limits);
    bundle::TempDir stage = scratch_folder("charts", "to stage the charts as OCI artifacts");
    write_chart_layout(stage.path(), fetched);
    add(total, mirror_images(staged, MirrorTarget{MirrorTarget::Kind::layout, stage.path().string()}, to, options));
  }
  return total;
}

}  // namespace galley::deliver
