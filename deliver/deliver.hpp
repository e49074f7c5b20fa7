#pragma once
// Deliver: a bundle folder -> an OCI 1.1 artifact (an image layout on disk or a registry, over the
// distribution API), back from a registry into a folder, and into a GitOps repository as a commit.
// Third-party headers (libarchive, libgit2) stay inside deliver/*.cpp; HTTP goes through net/.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bundle/vendored_chart.hpp"
#include "core/image_reference.hpp"

namespace galley::deliver {

// The bundle's own names and media types (artifactType, layer types, the attestation's file) are in
// bundle/bundle.hpp.
inline constexpr const char* k_manifest_type = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* k_empty_type = "application/vnd.oci.empty.v1+json";
inline constexpr const char* k_recipe_digest_annotation = "dev.galley.recipe.digest";

// What a bundle folder says about itself (bundle.yaml, recipe.yaml).
struct BundleInfo {
  std::string name;                             // metadata.name
  std::string deployer;                         // spec.deployer
  std::string recipe_digest;                    // spec.recipeDigest ("sha256:...")
  std::map<std::string, std::string> criteria;  // recipe.yaml spec.criteria, as text
  bool signed_bundle = false;                   // attestation.sigstore.json present
  // Where an argocd or flux bundle says it lives (spec.options repoUrl, revision, path).
  std::string source_url;
  std::string source_revision;
  std::string source_path;
};

// Reads DIR/bundle.yaml (kind Bundle) and DIR/recipe.yaml, once bundle::require_bundle_folder
// accepts DIR. Throws core::Error: bad_input when DIR is not a Galley bundle, not_found when missing.
BundleInfo read_bundle_info(const std::string& dir);

// Limits on what is read or unpacked (fail closed).
struct Limits {
  std::uint64_t max_blob = 256ull << 20;      // one compressed blob or manifest
  std::uint64_t max_unpacked = 1ull << 30;    // the sum of unpacked file sizes
  std::uint64_t max_entries = 100000;         // entries in a tarball
};

// The reproducible tar+gzip of a bundle folder: every regular file except the attestation, entries
// sorted by path with their folders, mtime 0, uid/gid 0, no user/group names, mode 0755 for an
// executable file and folders and 0644 otherwise; gzip without a timestamp or a name. The same
// files give the same bytes. Throws core::Error(bad_input) for a symbolic link or special file in
// DIR, or a folder larger than `limits.max_unpacked`. With TarballAttestation::include the
// attestation goes in too (a signed bundle in one file, as `galley serve` answers POST /v1/bundle).
enum class TarballAttestation { leave_out, include };
std::string bundle_tarball(const std::string& dir, const Limits& limits = {},
                           TarballAttestation attestation = TarballAttestation::leave_out);

// Unpacks a tarball made by bundle_tarball (or anyone) into the existing empty folder `dir`,
// refusing absolute paths, "..", links of any kind, devices, and anything over `limits`. `name`
// names the tarball in messages. Throws core::Error(bad_input); on failure the folder may hold a
// part and the caller removes it.
void unpack_tarball(const std::string& tarball, const std::string& dir, const Limits& limits = {},
                    const std::string& name = "bundle layer");

// One content-addressed blob.
struct Blob {
  std::string media_type;
  std::string digest;  // "sha256:<hex>"
  std::string bytes;
};

// An OCI artifact in memory: the manifest and the blobs it references (config first).
struct Artifact {
  std::string artifact_type;    // bundle::artifact_type_of(the bundle's deployer)
  std::string manifest;         // bytes as pushed
  std::string manifest_digest;  // "sha256:<hex>" of those bytes
  std::vector<Blob> blobs;
};

struct ArtifactOptions {
  std::map<std::string, std::string> annotations;  // --annotation k=v, over the standard ones
  std::optional<std::int64_t> created;             // SOURCE_DATE_EPOCH; absent = no created annotation
  std::string source;                              // org.opencontainers.image.source ("" = none)
  std::string revision;                            // org.opencontainers.image.revision ("" = none)
};

// Builds the artifact of a bundle folder. The same folder and options give the same manifest digest.
Artifact build_artifact(const std::string& dir, const ArtifactOptions& options, const Limits& limits = {});

// Writes an OCI image layout (oci-layout, index.json with `tag` as org.opencontainers.image.ref.name,
// blobs/sha256/...) into `layout`, atomically: built beside it and renamed. An existing layout gets
// the tag added or replaced (its other manifests and blobs kept); any other non-empty folder is
// refused. Throws core::Error (bad_input, io).
void write_layout(const Artifact& artifact, const std::string& layout, const std::string& tag);

// oci://HOST[:PORT]/REPO(:TAG|@sha256:HEX)
struct Reference {
  std::string host;  // with :port when given
  std::string repository;
  std::string tag;     // "" when by digest
  std::string digest;  // "" when by tag
  std::string text;    // as given
  std::string ref() const { return digest.empty() ? tag : digest; }
};

// Throws core::Error(bad_input) naming what is wrong.
Reference parse_reference(const std::string& text);

// "oci-layout:DIR[:TAG]" -> (DIR, TAG or ""); nullopt for any other text. The tag is what follows
// the last ':' when it holds no '/'. Throws core::Error(bad_input) for an empty DIR.
std::optional<std::pair<std::string, std::string>> parse_layout_source(const std::string& text);

struct Credentials {
  std::string username;
  std::string password;
  bool empty() const { return username.empty() && password.empty(); }
};

// Credentials for `host` from a docker config.json ("" = $DOCKER_CONFIG/config.json or
// ~/.docker/config.json); none when the file or the entry is absent. Throws core::Error(bad_input)
// for a malformed file or entry.
Credentials docker_credentials(const std::string& host, const std::string& config_path = "");

struct RegistryOptions {
  bool plain_http = false;
  std::string ca_file;           // PEM file of the CA certificates trusted for https ("" = the system's)
  Credentials credentials;
  int attempts = 3;              // tries per request on a transient failure (connect, 5xx, 429)
  long timeout_seconds = 60;     // per request
  std::function<void(const std::string&)> progress;  // one line per step, or empty
};

// Pushes the artifact: every blob (HEAD first, skipped when present; else a monolithic POST+PUT
// upload), the manifest last. Returns the manifest digest the registry confirmed. Throws
// core::Error: io (unreachable, refused, unauthorized), check_failed (the registry reported another
// digest), each naming the step that failed.
std::string push(const Artifact& artifact, const Reference& ref, const RegistryOptions& options);

struct PullResult {
  std::string manifest_digest;
  BundleInfo info;
};

// Fetches the artifact at `ref`, checks the manifest digest (against the reference's digest or the
// registry's Docker-Content-Digest) and every blob's size and digest, unpacks the bundle layer and
// writes the attestation layer into `out` atomically (a temporary folder beside it, then a rename).
// `out` must not exist or be empty. `check`, when given, runs on the unpacked folder before it is
// moved into place (signature verification) and throws to refuse it. Throws core::Error: io,
// check_failed (a digest mismatch), bad_input (not a Galley artifact, an unsafe or oversize
// tarball); on failure `out` is unchanged.
PullResult pull(const Reference& ref, const std::string& out, const RegistryOptions& options,
                const Limits& limits = {}, const std::function<void(const std::string&)>& check = {});

// The same as pull, from an OCI image layout (as write_layout writes it) instead of a registry: the
// manifest tagged `tag` in DIR/index.json (org.opencontainers.image.ref.name), or the only one
// when `tag` is empty; blobs from DIR/blobs/sha256/. Every size and digest is checked as pull
// does. Throws core::Error: not_found (no layout, no such tag, a missing blob), bad_input (an
// unreadable index, several manifests and no tag), check_failed (a digest or size mismatch).
PullResult pull_layout(const std::string& layout, const std::string& tag, const std::string& out,
                       const RegistryOptions& options, const Limits& limits = {},
                       const std::function<void(const std::string&)>& check = {});

// What a container image's tag points at.
struct ImageDigest {
  std::string digest;                  // of the manifest or index, "sha256:..."
  std::string media_type;              // the manifest's or index's media type
  std::vector<std::string> platforms;  // os/arch[/variant] an index lists (empty for one manifest)
};

// Resolves an image (host, repository, tag, or a digest then checked; `text` names it in messages)
// to the digest of the manifest or multi-platform index it names: a HEAD with the index and
// manifest types accepted, then a GET whose bytes must hash to the digest the registry named;
// docker.io goes to registry-1.docker.io (library/ for one-segment names), no tag means latest.
// Throws core::Error: not_found (no such tag), io (network, 5xx after retries, 401), check_failed
// (the bytes do not hash to the digest named), bad_input (not a registry-qualified reference).
ImageDigest resolve_image_digest(const Reference& image, const RegistryOptions& options);

// Where galley mirror copies images to: a registry ("HOST[:PORT][/PREFIX]", each image at
// PREFIX/<original host>/<path>, as bundle --registry-mirror rewrites them) or an OCI layout folder
// (each image tagged with its full original reference).
struct MirrorTarget {
  enum class Kind { registry, layout };
  Kind kind = Kind::registry;
  std::string location;  // HOST[:PORT][/PREFIX] or DIR
};

// "oci://HOST[:PORT][/PREFIX]" or "oci-layout:DIR". Throws core::Error(bad_input).
MirrorTarget parse_mirror_target(const std::string& text);

struct MirrorOptions {
  std::vector<std::string> platforms;  // os/arch[/variant] of an index to copy; empty = all
  std::function<RegistryOptions(const std::string& host)> source_options;  // per source registry
  RegistryOptions target;
  std::uint64_t max_blob = 1ull << 30;
  unsigned jobs = 4;                                 // images copied at once, each on its own connections
  std::function<void(const std::string&)> progress;  // one line per blob and image, or empty (called by one thread at a time)
};

struct MirrorStats {
  std::size_t images = 0;
  std::size_t manifests_copied = 0;
  std::size_t manifests_present = 0;
  std::size_t blobs_copied = 0;
  std::size_t blobs_present = 0;  // skipped: already at the target
  std::size_t blobs_mounted = 0;  // cross-repository mounts the registry accepted
  std::uint64_t bytes_copied = 0;
  std::vector<std::string> narrowed;  // indexes rewritten to the platforms asked for: "image -> digest"
};

// Copies each image (a locked one by its digest, then tagged) from its registry, or from `from`: a
// mirror registry (images at PREFIX/<original host>/<path>) or an OCI layout (each tagged with its
// full reference; an empty list copies all it holds), to `to`: for an index every platform's manifest (or those in options.platforms: the index
// is then narrowed, and gets a new digest), blob by blob, each blob's size and digest checked, blobs
// already at the target skipped, blobs copied earlier in the run to another repository of the
// target registry mounted when it accepts, manifests last. Running again after an interruption
// copies only what is missing. Throws core::Error: not_found (an image, manifest or blob missing at
// the source), check_failed (a digest mismatch), io (the network), bad_input.
MirrorStats mirror_images(const std::vector<core::ImageReference>& images, const std::optional<MirrorTarget>& from,
                          const MirrorTarget& to, const MirrorOptions& options);

// Copies each Helm chart to `to` as an OCI chart at PREFIX/<chart_oci_path>:<version> (where bundle
// --registry-mirror points the deployers): an OCI chart as it is (by the catalog's manifest digest
// when it records one), a classic repository's chart fetched and checked as fetch_charts does, then
// pushed as `helm push` would (config: Chart.yaml as JSON; one layer: the archive). With `from` (a
// mirror or a layout galley mirror wrote) every chart is read from there. MirrorStats::images
// counts the charts. Throws core::Error as mirror_images and fetch_charts do.
MirrorStats mirror_charts(const std::vector<bundle::ChartSource>& charts, const std::optional<MirrorTarget>& from,
                          const MirrorTarget& to, const MirrorOptions& options, const Limits& limits = {});

// The digest a catalog or recipe records for `chart` (chartDigest), as its source names it now: a
// classic repository's index entry (the archive's sha256) or an OCI chart's manifest digest. A chart
// read through a mirror (its repository rewritten to oci://, recorded_is_manifest false: it came from a
// classic repository, and galley mirror pushed the archive as its one layer) answers that layer's
// digest, the archive's. Nothing is downloaded but the index or the manifest; `options_for` gives the
// options for the repository's host, as for fetch_charts. Throws core::Error: not_found (no such
// chart version), bad_input (an index entry or manifest naming no digest), io.
std::string chart_source_digest(const bundle::ChartSource& chart,
                                const std::function<RegistryOptions(const std::string& host)>& options_for);

// Fetches each chart archive: from a classic Helm repository (its index.yaml names the archive's
// URL and sha256) or an OCI registry (oci://HOST/PATH: PATH/<chart>:<version>, its Helm chart layer),
// checks the bytes against that digest and that the archive unpacks safely into one folder named
// after the chart (no '..', absolute paths or links). `options_for` gives the registry options per
// OCI host. Returns component -> archive. Throws core::Error: not_found (no such chart or version),
// check_failed (a digest mismatch), bad_input (an unsafe archive, an index without digest), io.
std::map<std::string, bundle::VendoredChart> fetch_charts(
    const std::vector<bundle::ChartSource>& charts, const std::function<RegistryOptions(const std::string& host)>& options_for,
    const Limits& limits = {});

// galley publish: one commit into a GitOps repository.
struct PublishOptions {
  std::string url;      // file://, git://, http(s)://, or a local path
  std::string source_url;  // the URL Argo CD / Flux read the repository at ("" = url)
  std::string branch;   // created when the repository has no such branch
  std::string path;     // folder inside the repository whose content is replaced; "." = the root
  std::string message;  // "" = generated (recipe digest and criteria)
  std::string author;   // "Name <mail>"; "" = "Galley <galley@localhost>"
  std::optional<std::int64_t> time;  // commit time (SOURCE_DATE_EPOCH); absent = now
  bool dry_run = false;  // fetch and build the tree, then stop: no commit, no push, nothing kept
};

// One file the publish adds ('A'), changes in content or mode ('M') or removes ('D'), by its path
// in the repository.
struct PublishChange {
  char kind = 'M';
  std::string path;
};

struct PublishResult {
  bool changed = false;   // false: the tree was already so, nothing was committed or pushed
  std::string commit;     // the new commit (or the unchanged tip)
  int attempts = 1;       // 2 when a non-fast-forward was rebased and retried
  std::string message;    // the commit message (made, or would be made)
  std::vector<PublishChange> changes;  // dry run: what the commit would change, sorted by path
};

// Checks `path` ("" , "..", absolute, or with a ".." component is refused): throws core::Error(bad_input).
std::string normalize_repo_path(const std::string& path);

// An argocd or flux bundle names the repository, revision and path it is read from; publishing it
// anywhere else would leave its root Application or Kustomization pointing at nothing. Throws
// core::Error(bad_input) naming both places and the flags that make them agree.
void check_bundle_source(const BundleInfo& info, const PublishOptions& options);

// Clones `options.url` into a temporary folder, replaces exactly `path` with the bundle's files
// (the attestation included), commits and pushes `branch`. A rejected (non-fast-forward) push is
// retried once after fetching and replaying the commit on the new tip; then core::Error(io).
// With `dry_run` it fetches and builds the same tree, lists the changes and the message, and stops
// before committing: the remote and this machine are left as they were.
PublishResult publish(const std::string& dir, const PublishOptions& options);

// The same commit and push for a plain folder (no bundle.yaml needed): its files replace exactly
// `options.path`; the message is `options.message` (or "galley: publish PATH") followed by a blank
// line and `trailer`. Throws core::Error: not_found (no folder), bad_input (an empty folder, a link
// or special file in it, bad options), io (git or network), as publish does.
PublishResult publish_folder(const std::string& dir, const PublishOptions& options, const std::string& trailer);

}  // namespace galley::deliver
