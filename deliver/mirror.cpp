// Container images copied blob by blob between registries and OCI layouts, every digest checked.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "bundle/folder_write.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal/digest.hpp"
#include "deliver/internal/names.hpp"
#include "deliver/internal/image_api.hpp"
#include "deliver/internal/registry_transport.hpp"
#include "deliver/internal/scratch.hpp"
#include "net/url.hpp"

namespace galley::deliver {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;
using core::Json;

// Blobs up to this size are copied in memory; larger ones are streamed through a file.
constexpr std::uint64_t k_in_memory_blob = 16u << 20;

void check_digest_text(const std::string& digest, const std::string& where) {
  if (!is_sha256_digest(digest)) {
    throw Error(Exit::bad_input, core::Where{where, 0, ""}, "\"" + digest + "\" is not a sha256 digest");
  }
}

struct Manifest {
  std::string bytes;
  std::string media_type;
};

// One image repository: in a registry, or named by its reference inside an OCI layout.
class Repo {
 public:
  virtual ~Repo() = default;
  // The manifest at `ref` (a tag or a digest); nullopt when absent.
  virtual std::optional<Manifest> manifest(const std::string& ref) = 0;
  virtual std::string blob(const std::string& digest, std::uint64_t size) = 0;
  virtual bool has_blob(const std::string& digest) = 0;
  // Asks the registry to mount `digest` from another repository of it; false when it will not.
  virtual bool mount_blob(const std::string& /*digest*/, const std::string& /*from*/) { return false; }
  virtual void put_blob(const std::string& digest, const std::string& bytes) = 0;
  // Streaming, for large blobs: a file holding the blob (downloaded to `spool`, or the repository's
  // own file), unchecked; and a blob stored from a checked file.
  virtual fs::path blob_file(const std::string& digest, std::uint64_t size, const fs::path& spool) = 0;
  virtual void put_blob_file(const std::string& digest, const fs::path& file) = 0;
  virtual void put_manifest(const std::string& ref, const Manifest& m) = 0;
  virtual std::string name() const = 0;
};

class RegistryRepo : public Repo {
 public:
  RegistryRepo(const Reference& ref, const RegistryOptions& options, bool push)
      : m_ref(api_reference(ref)),
        m_transport(m_ref, options, "repository:" + m_ref.repository + (push ? ":pull,push" : ":pull")),
        m_url(m_transport.base() + "/v2/" + m_ref.repository) {}

  std::optional<Manifest> manifest(const std::string& ref) override {
    net::Request get;
    get.url = m_url + "/manifests/" + ref;
    get.headers.push_back(k_image_manifest_accept);
    get.limits.max_body = 4u << 20;
    net::Response r = m_transport.call(get, "fetching manifest " + ref);
    if (r.status == 404) {
      return std::nullopt;
    }
    if (r.status != 200) {
      m_transport.unexpected("fetching manifest " + ref, r);
    }
    std::string vouched = r.header("docker-content-digest");
    if (!vouched.empty() && digest_of(r.body) != vouched) {
      throw Error(Exit::check_failed, core::Where{name(), 0, ""},
                  "manifest " + ref + ": the registry names " + vouched + " but the bytes hash to " + digest_of(r.body));
    }
    return Manifest{std::move(r.body), r.header("content-type")};
  }

  std::string blob(const std::string& digest, std::uint64_t size) override { return fetch_blob(digest, size, "").body; }

  fs::path blob_file(const std::string& digest, std::uint64_t size, const fs::path& spool) override {
    fetch_blob(digest, size, spool.string());
    return spool;
  }

  void put_blob_file(const std::string& digest, const fs::path& file) override {
    std::string location = std::move(m_pending_upload);
    m_pending_upload.clear();
    m_transport.upload_blob(m_url, digest, "", location, file.string());
  }

  bool has_blob(const std::string& digest) override {
    net::Request head;
    head.method = "HEAD";
    head.url = m_url + "/blobs/" + digest;
    net::Response r = m_transport.call(head, "checking blob " + digest);
    if (r.status != 200 && r.status != 404) {
      m_transport.unexpected("checking blob " + digest, r);
    }
    return r.status == 200;
  }

  bool mount_blob(const std::string& digest, const std::string& from) override {
    net::Request post;
    post.method = "POST";
    post.url = m_url + "/blobs/uploads/?mount=" + net::url_encode(digest) + "&from=" + net::url_encode(from);
    net::Response r = m_transport.call(post, "mounting blob " + digest);
    if (r.status == 202) {  // no mount: an upload session was opened instead; leave it
      m_pending_upload = r.header("location");
    }
    return r.status == 201;
  }

  void put_blob(const std::string& digest, const std::string& bytes) override {
    std::string location = std::move(m_pending_upload);  // the session a refused mount opened, if any
    m_pending_upload.clear();
    m_transport.upload_blob(m_url, digest, bytes, location);
  }

  void put_manifest(const std::string& ref, const Manifest& m) override {
    net::Request put;
    put.method = "PUT";
    put.url = m_url + "/manifests/" + ref;
    put.body = m.bytes;
    put.headers.push_back("Content-Type: " + m.media_type);
    net::Response r = m_transport.call(put, "putting manifest " + ref);
    if (r.status != 201) {
      m_transport.unexpected("putting manifest " + ref, r);
    }
    std::string confirmed = r.header("docker-content-digest");
    if (!confirmed.empty() && confirmed != digest_of(m.bytes)) {
      throw Error(Exit::check_failed, core::Where{name(), 0, ""},
                  "putting manifest " + ref + ": the registry reports " + confirmed + ", expected " + digest_of(m.bytes));
    }
  }

  std::string name() const override { return m_ref.host + "/" + m_ref.repository; }
  const std::string& repository() const { return m_ref.repository; }

 private:
  // GET of a blob, its body in memory or (`file` given) streamed to that file.
  net::Response fetch_blob(const std::string& digest, std::uint64_t size, const std::string& file) {
    net::Request get;
    get.url = m_url + "/blobs/" + digest;
    get.limits.max_body = size;
    get.follow_redirects = true;
    get.body_to_file = file;
    net::Response r = m_transport.call(get, "fetching blob " + digest);
    if (r.status == 404) {
      throw Error(Exit::not_found, core::Where{name(), 0, ""}, "blob " + digest + " is not in the registry");
    }
    if (r.status != 200) {
      m_transport.unexpected("fetching blob " + digest, r);
    }
    return r;
  }

  Reference m_ref;
  RegistryTransport m_transport;
  std::string m_url;
  std::string m_pending_upload;
};

// An OCI layout holding many images, each under its full reference as
// org.opencontainers.image.ref.name. Blobs are written as they come (atomically, each checked);
// index.json is rewritten after each image, so an interrupted copy keeps what it finished.
class Layout {
 public:
  Layout(fs::path root, bool create) : m_root(std::move(root)) {
    std::error_code ec;
    if (fs::exists(m_root / "index.json", ec)) {
      try {
        m_index = Json::parse(core::read_file((m_root / "index.json").string(), 64u << 20));
      } catch (const Json::exception& e) {
        throw Error(Exit::bad_input, core::Where{(m_root / "index.json").string(), 0, ""}, std::string("not JSON: ") + e.what());
      }
      if (!m_index.is_object() || !m_index.contains("manifests") || !m_index["manifests"].is_array()) {
        throw Error(Exit::bad_input, core::Where{(m_root / "index.json").string(), 0, "manifests"}, "missing or not a list");
      }
      if (create) {
        sweep_parts();
      }
    } else if (!create) {
      throw Error(Exit::not_found, core::Where{m_root.string(), 0, ""}, "is not an OCI layout (no index.json)");
    } else {
      if (fs::exists(m_root, ec) && !fs::is_empty(m_root, ec)) {
        throw Error(Exit::bad_input, core::Where{m_root.string(), 0, ""},
                    "exists and is neither empty nor an OCI layout; it was left untouched");
      }
      fs::create_directories(m_root / "blobs" / "sha256");
      core::write_file_atomic((m_root / "oci-layout").string(), "{\"imageLayoutVersion\":\"1.0.0\"}");
      m_index = Json{{"schemaVersion", 2}, {"mediaType", "application/vnd.oci.image.index.v1+json"}, {"manifests", Json::array()}};
      save();
    }
  }

  fs::path blob_path(const std::string& digest) const { return m_root / "blobs" / "sha256" / digest.substr(7); }

  // Streamed blobs half-copied by a run that died ("<hex>.part-<pid>-<n>", the process gone): removed.
  void sweep_parts() const {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_root / "blobs" / "sha256", ec)) {
      std::string name = entry.path().filename().string();
      size_t part = name.find(".part-");
      if (part == std::string::npos) {
        continue;
      }
      long pid = std::strtol(name.c_str() + part + 6, nullptr, 10);
      if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
        fs::remove(entry.path(), ec);
      }
    }
  }

  // The descriptor tagged `name`, or nullopt. Safe from several threads, as tag() is.
  std::optional<Json> tagged(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    for (const auto& m : m_index["manifests"]) {
      if (ref_name(m) == name) {
        return m;
      }
    }
    return std::nullopt;
  }

  void tag(const std::string& name, const Manifest& m) {
    std::lock_guard lock(m_mutex);
    Json kept = Json::array();
    for (const auto& d : m_index["manifests"]) {
      if (ref_name(d) != name) {
        kept.push_back(d);
      }
    }
    kept.push_back(Json{{"mediaType", m.media_type},
                        {"digest", digest_of(m.bytes)},
                        {"size", m.bytes.size()},
                        {"annotations", {{"org.opencontainers.image.ref.name", name}}}});
    m_index["manifests"] = std::move(kept);
    save();
  }

  std::vector<std::string> names() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& m : m_index["manifests"]) {
      if (std::string n = ref_name(m); !n.empty()) {
        out.push_back(n);
      }
    }
    return out;
  }

  const fs::path& root() const { return m_root; }

 private:
  void save() { core::write_file_atomic((m_root / "index.json").string(), m_index.dump() + "\n"); }

  static std::string ref_name(const Json& d) {
    return d.is_object() && d.contains("annotations") && d["annotations"].is_object()
               ? d["annotations"].value("org.opencontainers.image.ref.name", "")
               : "";
  }

  fs::path m_root;
  Json m_index;
  mutable std::mutex m_mutex;
};

class LayoutRepo : public Repo {
 public:
  LayoutRepo(Layout& layout, std::string image) : m_layout(layout), m_image(std::move(image)) {}

  std::optional<Manifest> manifest(const std::string& ref) override {
    std::string digest = ref;
    std::string media_type;
    if (!is_sha256_digest(ref)) {  // a tag: the image's full reference names it
      std::optional<Json> d = m_layout.tagged(m_image);
      if (!d) {
        return std::nullopt;
      }
      digest = d->value("digest", "");
      media_type = d->value("mediaType", "");
      check_digest_text(digest, m_layout.root().string() + "/index.json");
    }
    std::error_code ec;
    if (!fs::is_regular_file(m_layout.blob_path(digest), ec)) {
      return std::nullopt;
    }
    Manifest m{core::read_file(m_layout.blob_path(digest).string(), 4u << 20), media_type};
    if (digest_of(m.bytes) != digest) {
      throw Error(Exit::check_failed, core::Where{name(), 0, ""},
                  "manifest " + digest + " in the layout hashes to " + digest_of(m.bytes));
    }
    return m;
  }

  std::string blob(const std::string& digest, std::uint64_t size) override {
    std::error_code ec;
    if (!fs::is_regular_file(m_layout.blob_path(digest), ec)) {
      throw Error(Exit::not_found, core::Where{name(), 0, ""}, "blob " + digest + " is not in the layout");
    }
    return core::read_file(m_layout.blob_path(digest).string(), static_cast<size_t>(size) + 1);
  }

  bool has_blob(const std::string& digest) override {
    std::error_code ec;
    return fs::is_regular_file(m_layout.blob_path(digest), ec);
  }

  void put_blob(const std::string& digest, const std::string& bytes) override {
    core::write_file_atomic(m_layout.blob_path(digest).string(), bytes);
  }

  fs::path blob_file(const std::string& digest, std::uint64_t /*size*/, const fs::path& /*spool*/) override {
    std::error_code ec;
    if (!fs::is_regular_file(m_layout.blob_path(digest), ec)) {
      throw Error(Exit::not_found, core::Where{name(), 0, ""}, "blob " + digest + " is not in the layout");
    }
    return m_layout.blob_path(digest);
  }

  // Copied beside its place under a name of this process, then renamed into it (atomic).
  void put_blob_file(const std::string& digest, const fs::path& file) override {
    fs::path target = m_layout.blob_path(digest);
    fs::path part = target.string() + ".part-" + std::to_string(::getpid()) + "-" + std::to_string(++m_parts);
    std::error_code ec;
    fs::copy_file(file, part, fs::copy_options::overwrite_existing, ec);
    if (!ec) {
      fs::rename(part, target, ec);
    }
    if (ec) {
      fs::remove(part, ec);
      throw Error(Exit::io, core::Where{target.string(), 0, ""}, "cannot write the blob " + digest);
    }
  }

  void put_manifest(const std::string& ref, const Manifest& m) override {
    put_blob(digest_of(m.bytes), m.bytes);
    if (!is_sha256_digest(ref)) {
      m_layout.tag(m_image, m);
    }
  }

  std::string name() const override { return m_layout.root().string() + ":" + m_image; }

 private:
  Layout& m_layout;
  std::string m_image;
  std::atomic<unsigned> m_parts{0};
};

// The media type of a manifest: its own mediaType field, else what the source said, else what its
// shape says (OCI allows both fields out).
std::string media_type_of(const Manifest& m, const Json& parsed) {
  std::string own = parsed.is_object() ? parsed.value("mediaType", "") : "";
  if (!own.empty()) {
    return own;
  }
  if (!m.media_type.empty() && m.media_type != "application/octet-stream") {
    return m.media_type;
  }
  if (parsed.is_object() && parsed.contains("manifests")) {
    return "application/vnd.oci.image.index.v1+json";
  }
  bool docker = parsed.is_object() && parsed.contains("config") && parsed["config"].is_object() &&
                parsed["config"].value("mediaType", "") == "application/vnd.docker.container.image.v1+json";
  return docker ? "application/vnd.docker.distribution.manifest.v2+json" : k_manifest_type;
}

class Copier {
 public:
  Copier(const MirrorOptions& options, MirrorStats& stats) : m_options(options), m_stats(stats) {}

  // Copies the manifest `ref` (tag or digest) of `from` to `to` under `target_ref`, children and
  // blobs first. `expected`: the digest the manifest must have ("" = any). Returns the digest pushed.
  std::string copy(Repo& from, Repo& to, const std::string& ref, const std::string& target_ref, const std::string& expected,
                   const std::string& to_repository) {
    std::optional<Manifest> m = from.manifest(ref);
    if (!m) {
      throw Error(Exit::not_found, core::Where{from.name(), 0, ""}, "no manifest " + ref);
    }
    std::string digest = digest_of(m->bytes);
    if (!expected.empty() && digest != expected) {
      throw Error(Exit::check_failed, core::Where{from.name(), 0, ""},
                  "manifest " + ref + " hashes to " + digest + ", expected " + expected);
    }
    Json parsed;
    try {
      parsed = Json::parse(m->bytes);
    } catch (const Json::exception& e) {
      throw Error(Exit::bad_input, core::Where{from.name(), 0, "manifest"}, std::string("not JSON: ") + e.what());
    }
    m->media_type = media_type_of(*m, parsed);
    if (is_index(m->media_type)) {
      Json kept = Json::array();
      for (const auto& child : parsed.value("manifests", Json::array())) {
        std::string platform = descriptor_platform(child);
        bool wanted = m_options.platforms.empty() ||
                      std::find(m_options.platforms.begin(), m_options.platforms.end(), platform) != m_options.platforms.end();
        if (!wanted) {
          continue;
        }
        std::string child_digest = child.value("digest", "");
        check_digest_text(child_digest, from.name());
        copy(from, to, child_digest, child_digest, child_digest, to_repository);
        kept.push_back(child);
      }
      if (kept.empty()) {
        throw Error(Exit::not_found, core::Where{from.name(), 0, ""}, "the index of " + ref + " lists none of the platforms asked for");
      }
      if (kept.size() != parsed["manifests"].size()) {  // a narrower index: a new digest
        parsed["manifests"] = kept;
        m->bytes = parsed.dump();
        digest = digest_of(m->bytes);
        std::lock_guard lock(m_mutex);
        m_stats.narrowed.push_back(from.name() + ":" + ref + " -> " + digest);
      }
    } else {
      std::vector<Json> blobs;
      if (parsed.contains("config")) {
        blobs.push_back(parsed["config"]);
      }
      for (const auto& layer : parsed.value("layers", Json::array())) {
        blobs.push_back(layer);
      }
      for (const auto& b : blobs) {
        copy_blob(from, to, b, to_repository);
      }
    }
    if (std::optional<Manifest> there = to.manifest(target_ref); there && digest_of(there->bytes) == digest) {
      count(&MirrorStats::manifests_present);
      return digest;
    }
    to.put_manifest(target_ref, *m);
    count(&MirrorStats::manifests_copied);
    return digest;
  }

  // One line of progress, from any thread.
  void progress(const std::string& line) {
    if (m_options.progress) {
      std::lock_guard lock(m_mutex);
      m_options.progress(line);
    }
  }

 private:
  void copy_blob(Repo& from, Repo& to, const Json& desc, const std::string& to_repository) {
    std::string digest = desc.is_object() ? desc.value("digest", "") : "";
    check_digest_text(digest, from.name());
    if (!desc.contains("size") || !desc["size"].is_number_unsigned()) {
      throw Error(Exit::bad_input, core::Where{from.name(), 0, ""}, "descriptor " + digest + " has no size");
    }
    std::uint64_t size = desc["size"].get<std::uint64_t>();
    if (size > m_options.max_blob) {
      throw Error(Exit::bad_input, core::Where{from.name(), 0, ""},
                  "blob " + digest + " is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(m_options.max_blob));
    }
    if (to.has_blob(digest)) {
      count(&MirrorStats::blobs_present);
      return;
    }
    std::string mount_from;  // copied to another repository of the target earlier in this run
    {
      std::lock_guard lock(m_mutex);
      auto seen = m_seen.find(digest);
      mount_from = seen != m_seen.end() && seen->second != to_repository ? seen->second : "";
    }
    if (!mount_from.empty() && to.mount_blob(digest, mount_from)) {
      count(&MirrorStats::blobs_mounted);
      return;
    }
    progress("copying " + short_digest(digest) + " (" + std::to_string(size) + " bytes) to " + to.name());
    if (size > k_in_memory_blob) {  // streamed through a file: memory stays bounded
      bundle::TempDir spool = scratch_folder("blob", "to stream a blob through");
      fs::path file = from.blob_file(digest, size, spool.path() / "blob");
      auto [got, got_digest] = file_digest(file);
      check_blob(from, digest, size, got, got_digest);
      to.put_blob_file(digest, file);
    } else {
      std::string bytes = from.blob(digest, size);
      check_blob(from, digest, size, bytes.size(), digest_of(bytes));
      to.put_blob(digest, bytes);
    }
    std::lock_guard lock(m_mutex);
    m_seen.emplace(digest, to_repository);
    ++m_stats.blobs_copied;
    m_stats.bytes_copied += size;
  }

  static void check_blob(Repo& from, const std::string& digest, std::uint64_t size, std::uint64_t got,
                         const std::string& got_digest) {
    if (got != size || got_digest != digest) {
      throw Error(Exit::check_failed, core::Where{from.name(), 0, ""},
                  "blob digest mismatch: " + digest + " received as " + std::to_string(got) + " bytes hashing to " + got_digest);
    }
  }

  // Counters and notes, from any thread.
 public:
  void narrowed(const std::string& line) {
    std::lock_guard lock(m_mutex);
    m_stats.narrowed.push_back(line);
  }

  void count(std::size_t MirrorStats::*field) {
    std::lock_guard lock(m_mutex);
    ++(m_stats.*field);
  }

 private:

  const MirrorOptions& m_options;
  MirrorStats& m_stats;
  std::map<std::string, std::string> m_seen;  // blob digest -> target repository holding it
  std::mutex m_mutex;                          // m_seen, m_stats and progress, shared by the workers
};

Reference image_as_reference(const core::ImageReference& image) {
  return Reference{image.host(), image.repository(), image.tag, image.digest, image.str()};
}

// The image's place in a mirror registry: PREFIX/<original host>/<path>.
Reference target_reference(const core::ImageReference& image, const MirrorTarget& to) {
  core::ImageReference at = image;
  at.path = to.location + "/" + image.path;
  return image_as_reference(at);
}

}  // namespace

MirrorTarget parse_mirror_target(const std::string& text) {
  if (text.starts_with("oci://")) {
    std::string location = text.substr(6);
    while (location.ends_with("/")) {
      location.pop_back();
    }
    if (location.empty() || location.find('/') == 0) {
      throw Error(Exit::bad_input, core::Where{text, 0, ""}, "expected oci://HOST[:PORT][/PREFIX]");
    }
    return MirrorTarget{MirrorTarget::Kind::registry, location};
  }
  if (text.starts_with("oci-layout:") && text.size() > 11) {
    return MirrorTarget{MirrorTarget::Kind::layout, text.substr(11)};
  }
  throw Error(Exit::bad_input, core::Where{text, 0, ""}, "expected oci://HOST[:PORT][/PREFIX] or oci-layout:DIR");
}

MirrorStats mirror_images(const std::vector<core::ImageReference>& images, const std::optional<MirrorTarget>& from,
                          const MirrorTarget& to, const MirrorOptions& options) {
  MirrorStats stats;
  Copier copier(options, stats);
  std::unique_ptr<Layout> source_layout;
  if (from && from->kind == MirrorTarget::Kind::layout) {
    source_layout = std::make_unique<Layout>(fs::path(from->location), false);
  }
  std::unique_ptr<Layout> target_layout;
  if (to.kind == MirrorTarget::Kind::layout) {
    target_layout = std::make_unique<Layout>(fs::path(to.location), true);
  }
  std::vector<core::ImageReference> list = images;
  if (list.empty() && source_layout) {  // everything the layout holds
    for (const auto& name : source_layout->names()) {
      list.push_back(core::parse_image_reference(name, from->location + "/index.json"));
    }
  }
  // Images go to a few workers, each with its own connections; the first error stops them all.
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto copy_one = [&](const core::ImageReference& image) {
    std::string name = image.path + (image.tag.empty() ? "" : ":" + image.tag);
    std::unique_ptr<Repo> source;
    if (source_layout) {
      source = std::make_unique<LayoutRepo>(*source_layout, name.find(':') == std::string::npos ? image.str() : name);
    } else if (from) {  // another mirror: the image at its PREFIX/<original host>/<path>
      Reference at = target_reference(image, *from);
      source = std::make_unique<RegistryRepo>(at, options.source_options(at.host), false);
    } else {
      source = std::make_unique<RegistryRepo>(image_as_reference(image), options.source_options(image.host()), false);
    }
    std::unique_ptr<Repo> dest;
    std::string repository;
    if (target_layout) {
      dest = std::make_unique<LayoutRepo>(*target_layout, name.find(':') == std::string::npos ? image.str() : name);
      repository = image.path;
    } else {
      Reference target = target_reference(image, to);
      auto registry = std::make_unique<RegistryRepo>(target, options.target, true);
      repository = registry->repository();
      dest = std::move(registry);
    }
    // A locked image is read by its digest (the tag may have moved since) and written under its tag.
    std::string source_ref = !image.digest.empty() ? image.digest : !image.tag.empty() ? image.tag : "latest";
    std::string target_ref = !image.tag.empty() ? image.tag : !image.digest.empty() ? image.digest : "latest";
    std::string pushed = copier.copy(*source, *dest, source_ref, target_ref, image.digest, repository);
    if (!image.tag.empty() && !image.digest.empty() && pushed != image.digest) {
      copier.narrowed(image.str() + " -> " + pushed);
    }
    copier.count(&MirrorStats::images);
    copier.progress("mirrored " + image.str() + " (" + short_digest(pushed) + ")");
  };
  auto worker = [&] {
    for (std::size_t i = next++; i < list.size(); i = next++) {
      try {
        copy_one(list[i]);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) {
          error = std::current_exception();
        }
        next = list.size();
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned w = 1; w < std::min<std::size_t>(std::max(1u, options.jobs), list.size()); ++w) {
    workers.emplace_back(worker);
  }
  worker();
  for (auto& t : workers) {
    t.join();
  }
  if (error) {
    std::rethrow_exception(error);
  }
  return stats;
}

}  // namespace galley::deliver
