#pragma once
// Helm chart archives carried inside a bundle (bundle --vendor-charts): which chart a component
// installs and from where (render names them, deliver fetches them), and the archive as it lands
// in the bundle's charts/ folder.
#include <map>
#include <string>
#include <utility>

namespace galley::bundle {

// A component's chart as its recipe names it.
struct ChartSource {
  std::string component;
  std::string chart;       // the chart's name
  std::string repository;  // https://… (a classic repository with index.yaml) or oci://HOST/PATH
  std::string version;
  std::string recorded_digest;  // what the catalog records ("sha256:…"; "" = none): the archive's for a
                                // classic repository, the manifest's for OCI
  std::string recorded_source;  // where the catalog read it
  bool recorded_is_manifest = false;  // the catalog's repository is OCI: its digest is the manifest's
};

// A fetched chart archive, checked.
struct VendoredChart {
  ChartSource source;
  std::string file;    // "charts/<chart>-<version>.tgz", relative to the bundle root
  std::string bytes;   // the .tgz as fetched
  std::string digest;  // "sha256:…" of bytes, equal to what the repository's index or manifest names
  // The archive unpacked: path below the chart's own folder ("Chart.yaml", "templates/…") -> bytes,
  // and whether it is executable. Argo CD and Flux read a chart from git as such a folder.
  std::map<std::string, std::pair<std::string, bool>> files;
};

// The folder of a bundle that holds vendored chart archives.
inline constexpr const char* k_charts_folder = "charts";

// Where a vendored chart's unpacked folder lands in a bundle: "charts/<chart>-<version>", what Argo
// CD and Flux install from git (the helm deployer installs the archive, that path + ".tgz").
inline std::string vendored_chart_folder(const ChartSource& source) {
  return std::string(k_charts_folder) + "/" + source.chart + "-" + source.version;
}

// Where a chart lives as an OCI artifact, without scheme: an OCI chart's own reference
// ("oci://HOST/PATH/CHART" -> "HOST/PATH/CHART"); a classic repository's chart as galley mirror
// pushes it ("https://HOST[:PORT]/PATH" -> "host[_port]/path/chart", lowercased as OCI names are). The version is
// its tag. A mirror holds it at PREFIX/<this>. Throws nothing.
std::string chart_oci_path(const std::string& repository, const std::string& chart);

}  // namespace galley::bundle
