// Helm chart archives fetched for a bundle: from a classic repository (index.yaml) or an OCI
// registry, each checked against the digest its source names and for paths escaping its folder.
#include <stdlib.h>

#include <filesystem>
#include <optional>

#include "bundle/folder.hpp"
#include "bundle/folder_write.hpp"
#include "core/files.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/digest.hpp"
#include "deliver/internal/helm_chart.hpp"
#include "deliver/internal/names.hpp"
#include "deliver/internal/registry_transport.hpp"
#include "deliver/internal/scratch.hpp"
#include "net/http_client.hpp"

namespace galley::deliver {

using core::Error;
using core::Exit;
using core::Json;

namespace {

// A fetched archive and the digests its source names.
struct Fetched {
  std::string bytes;
  std::string archive_digest;  // the archive's, as the index entry or the manifest's layer names it
  std::string source_digest;   // what a catalog records: the index entry's digest, or the OCI manifest's
};

net::Response http_get(net::Client& client, const std::string& url, const std::string& ca_file, std::uint64_t max,
                       const std::string& what) {
  net::Request get;
  get.url = url;
  get.ca_file = ca_file;
  get.follow_redirects = true;
  get.limits.max_body = max;
  net::Response r = client.send(get);
  if (r.status == 404) {
    throw Error(Exit::not_found, core::Where{url, 0, ""}, what + ": not found (HTTP 404)");
  }
  if (r.status != 200) {
    throw Error(Exit::io, core::Where{url, 0, ""}, what + ": unexpected HTTP " + std::to_string(r.status));
  }
  return r;
}

// A classic repository's index entry of one chart version: where the archive is and its sha256.
struct ClassicEntry {
  std::string url;  // the archive's
  std::string hex;  // its sha256, as the index names it
};

ClassicEntry classic_entry(net::Client& client, const bundle::ChartSource& c, const std::string& ca_file) {
  std::string base = c.repository;
  while (base.ends_with("/")) {
    base.pop_back();
  }
  std::string index_url = base + "/index.yaml";
  net::Response index_response = http_get(client, index_url, ca_file, 64u << 20, "the repository index");
  core::Document index = core::parse_yaml(index_response.body, index_url);
  std::optional<Json> entry;  // a copy: the lists below are temporaries
  const Json entries = index.value.is_object() ? index.value.value("entries", Json::object()) : Json::object();
  const Json versions = entries.is_object() ? entries.value(c.chart, Json::array()) : Json::array();
  for (const auto& e : versions) {
    if (e.is_object() && e.value("version", "") == c.version) {
      entry = e;
    }
  }
  if (!entry) {
    throw Error(Exit::not_found, core::Where{index_url, 0, "entries." + c.chart},
                "no version " + c.version + " of chart " + c.chart);
  }
  std::string hex = entry->value("digest", "");
  std::string url = entry->contains("urls") && (*entry)["urls"].is_array() && !(*entry)["urls"].empty() &&
                            (*entry)["urls"][0].is_string()
                        ? (*entry)["urls"][0].get<std::string>()
                        : "";
  if (hex.empty() || url.empty()) {
    throw Error(Exit::bad_input, core::Where{index_url, 0, "entries." + c.chart},
                "version " + c.version + " names no digest or no URL; the archive cannot be checked");
  }
  if (!is_sha256_digest("sha256:" + hex)) {
    throw Error(Exit::bad_input, core::Where{index_url, 0, "entries." + c.chart + ".digest"},
                "version " + c.version + " names \"" + hex.substr(0, 80) + "\", not a sha256 digest");
  }
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    url = base + "/" + url;
  }
  return {url, hex};
}

// A classic Helm repository: index.yaml names the archive's URL and its sha256. Only the options'
// CA file applies (a classic repository takes no registry credentials here).
Fetched fetch_classic(const bundle::ChartSource& c, const RegistryOptions& options, const Limits& limits) {
  net::Client client;
  ClassicEntry entry = classic_entry(client, c, options.ca_file);
  net::Response archive = http_get(client, entry.url, options.ca_file, limits.max_blob, "the chart archive");
  return {std::move(archive.body), "sha256:" + entry.hex, "sha256:" + entry.hex};
}

// oci://HOST/PATH names the chart (as `helm pull oci://HOST/PATH --version V` reads it), the version
// its tag.
Reference oci_chart_reference(const bundle::ChartSource& c) {
  std::string rest = c.repository.substr(6);
  while (rest.ends_with("/")) {
    rest.pop_back();
  }
  size_t slash = rest.find('/');
  Reference ref;
  ref.host = rest.substr(0, slash);
  ref.repository = slash == std::string::npos ? "" : rest.substr(slash + 1);
  ref.tag = c.version;
  ref.text = c.repository + ":" + c.version;
  if (ref.repository.empty()) {
    throw Error(Exit::bad_input, core::Where{c.component, 0, "repository"},
                "\"" + c.repository + "\" names a registry but no chart (oci://HOST/PATH/CHART)");
  }
  return ref;
}

// An OCI chart's manifest: its bytes and its Helm chart layer's digest (the archive's).
struct ChartManifest {
  std::string body;
  std::string layer_digest;
};

ChartManifest chart_manifest(RegistryTransport& registry, const Reference& ref) {
  net::Request get;
  get.url = registry.base() + "/v2/" + ref.repository + "/manifests/" + ref.tag;
  get.headers.push_back(std::string("Accept: ") + k_manifest_type);
  net::Response m = registry.call(get, "fetching the chart's manifest");
  if (m.status == 404) {
    throw Error(Exit::not_found, core::Where{ref.text, 0, ""}, "no such chart version in the registry");
  }
  if (m.status != 200) {
    registry.unexpected("fetching the chart's manifest", m);
  }
  Json manifest = Json::parse(m.body, nullptr, false);
  for (const auto& layer : manifest.is_object() ? manifest.value("layers", Json::array()) : Json::array()) {
    if (layer.is_object() && layer.value("mediaType", "") == k_helm_chart_layer) {
      std::string digest = layer.value("digest", "");
      if (!is_sha256_digest(digest)) {
        break;
      }
      return {std::move(m.body), digest};
    }
  }
  throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, std::string("has no ") + k_helm_chart_layer + " layer");
}

// An OCI chart: the archive is the manifest's chart layer.
Fetched fetch_oci(const bundle::ChartSource& c, const RegistryOptions& options, const Limits& limits) {
  Reference ref = oci_chart_reference(c);
  RegistryTransport registry(ref, options, "repository:" + ref.repository + ":pull");
  ChartManifest m = chart_manifest(registry, ref);
  net::Request blob;
  blob.url = registry.base() + "/v2/" + ref.repository + "/blobs/" + m.layer_digest;
  blob.follow_redirects = true;
  blob.limits.max_body = limits.max_blob;
  net::Response b = registry.call(blob, "fetching the chart archive");
  if (b.status != 200) {
    registry.unexpected("fetching the chart archive", b);
  }
  return {std::move(b.body), m.layer_digest, digest_of(m.body)};
}

// Unpacks the archive into chart.files; refuses one that does not unpack safely into one folder
// named after the chart.
void unpack_archive(bundle::VendoredChart& chart, const Limits& limits) {
  namespace fs = std::filesystem;
  bundle::TempDir tmp = scratch_folder("chart", "to check the chart archive");
  unpack_tarball(chart.bytes, tmp.path().string(), limits);  // refuses '..', absolute paths, links
  for (const auto& entry : fs::directory_iterator(tmp.path())) {
    if (entry.path().filename() != chart.source.chart) {
      throw Error(Exit::bad_input, core::Where{chart.source.repository, 0, ""},
                  "the archive of " + chart.source.chart + " " + chart.source.version + " holds \"" +
                      entry.path().filename().string() + "\" outside the folder " + chart.source.chart + "/");
    }
  }
  bundle::WalkOptions walk;
  walk.max_bytes = limits.max_blob;
  fs::path root = tmp.path() / chart.source.chart;
  for (const auto& [path, facts] : bundle::walk_folder(root.string(), walk).files) {
    chart.files[path] = {core::read_file((root / path).string(), limits.max_blob), facts.executable};
  }
}

}  // namespace

bundle::TempDir scratch_folder(const std::string& tag, const std::string& what) {
  std::string pattern = (std::filesystem::temp_directory_path() / ("galley-" + tag + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error(Exit::io, core::Where{pattern, 0, ""}, "cannot make a scratch folder " + what);
  }
  return bundle::TempDir{std::filesystem::path(pattern)};
}

// The host of a chart's repository ("oci://HOST/…", "https://HOST[:PORT]/…"): whose registry options apply.
static std::string chart_host(const std::string& repository) {
  size_t at = repository.find("//");
  at = at == std::string::npos ? 0 : at + 2;
  return repository.substr(at, repository.find('/', at) - at);
}

std::string chart_source_digest(const bundle::ChartSource& chart,
                                const std::function<RegistryOptions(const std::string& host)>& options_for) {
  RegistryOptions options = options_for(chart_host(chart.repository));
  if (chart.repository.starts_with("oci://")) {
    Reference ref = oci_chart_reference(chart);
    RegistryTransport registry(ref, options, "repository:" + ref.repository + ":pull");
    ChartManifest m = chart_manifest(registry, ref);
    return chart.recorded_is_manifest ? digest_of(m.body) : m.layer_digest;
  }
  if (!chart.repository.starts_with("http://") && !chart.repository.starts_with("https://")) {
    throw Error(Exit::bad_input, core::Where{chart.component, 0, "repository"},
                "\"" + chart.repository + "\" is neither a Helm repository URL nor oci://");
  }
  net::Client client;
  return "sha256:" + classic_entry(client, chart, options.ca_file).hex;
}

std::map<std::string, bundle::VendoredChart> fetch_charts(
    const std::vector<bundle::ChartSource>& charts, const std::function<RegistryOptions(const std::string& host)>& options_for,
    const Limits& limits) {
  std::map<std::string, bundle::VendoredChart> out;
  for (const auto& c : charts) {
    bool oci = c.repository.starts_with("oci://");
    if (!oci && !c.repository.starts_with("http://") && !c.repository.starts_with("https://")) {
      throw Error(Exit::bad_input, core::Where{c.component, 0, "repository"},
                  "\"" + c.repository + "\" is neither a Helm repository URL nor oci://");
    }
    RegistryOptions options = options_for(chart_host(c.repository));
    Fetched f = oci ? fetch_oci(c, options, limits) : fetch_classic(c, options, limits);
    bundle::VendoredChart chart{c, bundle::vendored_chart_folder(c) + ".tgz", std::move(f.bytes), "", {}};
    chart.digest = digest_of(chart.bytes);
    if (chart.digest != f.archive_digest) {
      throw Error(Exit::check_failed, core::Where{c.repository, 0, ""},
                  "the archive of " + c.chart + " " + c.version + " hashes to " + chart.digest + ", its source names " +
                      f.archive_digest);
    }
    // The catalog's record: the archive's digest for a classic repository, the manifest's for OCI
    // (the same through a mirror: galley mirror keeps both).
    bool manifest = c.recorded_is_manifest;
    if (!c.recorded_digest.empty() && c.recorded_digest != (manifest ? f.source_digest : chart.digest)) {
      throw Error(Exit::check_failed, core::Where{c.component, 0, "chartDigest"},
                  std::string("the ") + (manifest ? "manifest" : "archive") + " of " + c.chart + " " + c.version + " from " +
                      c.repository + " is " + (manifest ? f.source_digest : chart.digest) + "; the recipe records " +
                      c.recorded_digest + " (" + c.recorded_source + ")");
    }
    unpack_archive(chart, limits);
    out.emplace(c.component, std::move(chart));
  }
  return out;
}

}  // namespace galley::deliver
