// The OCI distribution API over libcurl: references, credentials, the bearer-token flow, push, pull.
#include <curl/curl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <regex>
#include <thread>

#include "core/base64.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "deliver/deliver.hpp"
#include "deliver/internal.hpp"
#include "deliver/lazy_library.hpp"

namespace galley::deliver {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;
using core::Json;

// ---- references ----

Reference parse_reference(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error(Exit::bad_input, core::Where{"", 0, "reference"}, "\"" + text + "\": " + why);
  };
  if (!text.starts_with("oci://")) {
    throw bad("expected oci://HOST[:PORT]/REPOSITORY:TAG or @sha256:DIGEST");
  }
  std::string rest = text.substr(6);
  size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0) {
    throw bad("names no host and repository");
  }
  Reference ref;
  ref.text = text;
  ref.host = rest.substr(0, slash);
  std::string path = rest.substr(slash + 1);
  static const std::regex k_host(R"([A-Za-z0-9.-]+(:[0-9]{1,5})?)");
  if (!std::regex_match(ref.host, k_host)) {
    throw bad("\"" + ref.host + "\" is not HOST[:PORT]");
  }
  if (size_t at = path.find('@'); at != std::string::npos) {
    ref.digest = path.substr(at + 1);
    path = path.substr(0, at);
    static const std::regex k_digest("sha256:[a-f0-9]{64}");
    if (!std::regex_match(ref.digest, k_digest)) {
      throw bad("the digest must be sha256: and 64 lowercase hex digits");
    }
  } else if (size_t colon = path.rfind(':'); colon != std::string::npos) {
    ref.tag = path.substr(colon + 1);
    path = path.substr(0, colon);
  }
  if (ref.tag.empty() && ref.digest.empty()) {
    throw bad("names no :TAG or @sha256:DIGEST");
  }
  static const std::regex k_tag("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  if (!ref.tag.empty() && !std::regex_match(ref.tag, k_tag)) {
    throw bad("\"" + ref.tag + "\" is not a valid tag");
  }
  static const std::regex k_repo("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
  if (!std::regex_match(path, k_repo)) {
    throw bad("\"" + path + "\" is not a repository name (lowercase path components)");
  }
  ref.repository = path;
  return ref;
}

// ---- credentials ----

Credentials docker_credentials(const std::string& host, const std::string& config_path) {
  std::string path = config_path;
  if (path.empty()) {
    if (const char* dc = std::getenv("DOCKER_CONFIG"); dc != nullptr && *dc != '\0') {
      path = std::string(dc) + "/config.json";
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
      path = std::string(home) + "/.docker/config.json";
    } else {
      return {};
    }
  }
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return {};
  }
  Json config;
  try {
    config = Json::parse(core::read_file(path, 4u << 20));
  } catch (const Json::exception& e) {
    throw Error(Exit::bad_input, core::Where{path, 0, ""}, std::string("not JSON: ") + e.what());
  }
  if (!config.is_object() || !config.contains("auths") || !config["auths"].is_object()) {
    return {};
  }
  for (const std::string& key : {host, "https://" + host, "http://" + host, "https://" + host + "/v1/"}) {
    if (!config["auths"].contains(key)) {
      continue;
    }
    const Json& entry = config["auths"][key];
    if (!entry.is_object() || !entry.contains("auth") || !entry["auth"].is_string()) {
      continue;
    }
    auto decoded = core::base64_decode(entry["auth"].get<std::string>());
    size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      throw Error(Exit::bad_input, core::Where{path, 0, "auths." + key + ".auth"}, "is not base64 of USER:PASSWORD");
    }
    return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
  }
  return {};
}

// ---- HTTP ----

namespace {

struct Response {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lowercased names; the last response's
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct Sink {
  Response* response;
  std::uint64_t max_body;
  bool too_large = false;
};

size_t body_cb(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->response->body.size() + size * n > sink->max_body) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  sink->response->body.append(data, size * n);
  return size * n;
}

size_t header_cb(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string line(data, size * n);
  if (line.starts_with("HTTP/")) {
    sink->response->headers.clear();  // a new response (after a redirect or 100 Continue)
  }
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    sink->response->headers[name] = value;
  }
  return size * n;
}

CURL* new_handle() {
  static const bool k_ready = LAZY_CURL(curl_global_init)(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return k_ready ? LAZY_CURL(curl_easy_init)() : nullptr;
}

struct Request {
  std::string method = "GET";
  std::string url;
  const std::string* body = nullptr;
  std::string content_type;
  std::string accept;
  std::uint64_t max_body = 4u << 20;
  bool follow = false;
};

// key=value pairs of a WWW-Authenticate challenge.
std::map<std::string, std::string> challenge_params(const std::string& header) {
  std::map<std::string, std::string> out;
  static const std::regex k_param(R"re(([A-Za-z]+)="([^"]*)")re");
  for (auto it = std::sregex_iterator(header.begin(), header.end(), k_param); it != std::sregex_iterator(); ++it) {
    out[(*it)[1]] = (*it)[2];
  }
  return out;
}

std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

class Client {
 public:
  Client(const Reference& ref, const RegistryOptions& options, std::string scope)
      : m_ref(ref), m_options(options), m_scope(std::move(scope)) {
    m_base = std::string(options.plain_http ? "http://" : "https://") + ref.host;
  }

  const std::string& base() const { return m_base; }

  // One request with retries and authentication; `step` names it in errors.
  Response call(Request req, const std::string& step) {
    bool authed_retry = false;
    for (;;) {
      Response r = with_retries(req, step);
      if (r.status != 401 || authed_retry) {
        if (r.status == 401) {
          throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                      step + ": 401 Unauthorized: the registry refused the credentials");
        }
        return r;
      }
      authenticate(r.header("www-authenticate"), step);
      authed_retry = true;
    }
  }

 private:
  Response with_retries(const Request& req, const std::string& step) {
    int attempts = std::max(1, m_options.attempts);
    for (int i = 1;; ++i) {
      std::string error;
      Response r;
      bool transient = false;
      CURLcode rc = perform(req, r, error);
      if (rc == CURLE_OK) {
        if (r.status < 500 && r.status != 429) {
          return r;
        }
        transient = true;
        error = "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200);
      } else {
        transient = rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
                    rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING || rc == CURLE_COULDNT_RESOLVE_HOST ||
                    rc == CURLE_PARTIAL_FILE;
      }
      if (!transient || i >= attempts) {
        if (rc == CURLE_OK) {
          throw Error(Exit::io, core::Where{m_ref.text, 0, ""}, step + ": " + error);
        }
        throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                    step + ": " + error + (i > 1 ? " (after " + std::to_string(i) + " attempts)" : ""));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200 << (i - 1)));  // 200 ms, 400 ms, ...
    }
  }

  CURLcode perform(const Request& req, Response& r, std::string& error) {
    if (!m_curl) {
      error = "cannot start libcurl";
      return CURLE_FAILED_INIT;
    }
    CURL* c = m_curl.get();
    LAZY_CURL(curl_easy_reset)(c);  // one handle for the whole session: its connections are reused
    Sink sink{&r, req.max_body};
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_slist* headers = nullptr;
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_guard(nullptr, LAZY_CURL(curl_slist_free_all));
    auto add_header = [&](const std::string& h) {
      headers = LAZY_CURL(curl_slist_append)(headers, h.c_str());
      header_guard.release();
      header_guard.reset(headers);
    };
    add_header("Expect:");
    if (!req.accept.empty()) {
      add_header("Accept: " + req.accept);
    }
    if (!req.content_type.empty()) {
      add_header("Content-Type: " + req.content_type);
    }
    if (!m_authorization.empty()) {
      add_header("Authorization: " + m_authorization);
    }
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_URL, req.url.c_str());
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_PROTOCOLS_STR, "http,https");
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_NOSIGNAL, 1L);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_CONNECTTIMEOUT, 10L);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_LOW_SPEED_TIME, m_options.timeout_seconds);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_ERRORBUFFER, errbuf);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_HTTPHEADER, headers);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_USERAGENT, "galley/" GALLEY_VERSION);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_WRITEFUNCTION, body_cb);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_WRITEDATA, &sink);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_HEADERFUNCTION, header_cb);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_HEADERDATA, &sink);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_FOLLOWLOCATION, req.follow ? 1L : 0L);
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_MAXREDIRS, 5L);
    if (req.method == "HEAD") {
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_NOBODY, 1L);
    } else if (req.method != "GET") {
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
      static const std::string k_empty;
      const std::string& body = req.body != nullptr ? *req.body : k_empty;
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_POSTFIELDS, body.data());
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    CURLcode rc = LAZY_CURL(curl_easy_perform)(c);
    LAZY_CURL(curl_easy_getinfo)(c, CURLINFO_RESPONSE_CODE, &r.status);
    if (sink.too_large) {
      throw Error(Exit::bad_input, core::Where{m_ref.text, 0, ""},
                  req.url + ": the response is larger than the limit of " + std::to_string(req.max_body) + " bytes");
    }
    if (rc != CURLE_OK) {
      error = errbuf[0] != '\0' ? errbuf : LAZY_CURL(curl_easy_strerror)(rc);
    }
    return rc;
  }

  void authenticate(const std::string& challenge, const std::string& step) {
    const Credentials& creds = m_options.credentials;
    std::string scheme = challenge.substr(0, challenge.find(' '));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (scheme == "basic") {
      if (creds.empty()) {
        throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                    step + ": 401 Unauthorized and no credentials: give --username and --password-stdin, or an "
                           "auths entry for " + m_ref.host + " in ~/.docker/config.json");
      }
      m_authorization = "Basic " + core::base64_encode(creds.username + ":" + creds.password);
      return;
    }
    if (scheme != "bearer") {
      throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                  step + ": 401 Unauthorized with an unsupported challenge \"" + challenge + "\"");
    }
    auto params = challenge_params(challenge);
    if (params["realm"].empty() || !(params["realm"].starts_with("http://") || params["realm"].starts_with("https://"))) {
      throw Error(Exit::io, core::Where{m_ref.text, 0, ""}, step + ": the bearer challenge names no http(s) realm");
    }
    std::string url = params["realm"] + (params["realm"].find('?') == std::string::npos ? "?" : "&");
    if (!params["service"].empty()) {
      url += "service=" + url_encode(params["service"]) + "&";
    }
    url += "scope=" + url_encode(params["scope"].empty() ? m_scope : params["scope"]);
    m_authorization = creds.empty() ? "" : "Basic " + core::base64_encode(creds.username + ":" + creds.password);
    Request token_req;
    token_req.url = url;
    token_req.max_body = 1u << 20;
    Response r = with_retries(token_req, step + ": token request to " + params["realm"]);
    m_authorization.clear();
    if (r.status == 401 || r.status == 403) {
      throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                  step + ": the token service refused " + (creds.empty() ? "anonymous access" : "the credentials") +
                      " (HTTP " + std::to_string(r.status) + ")" +
                      (creds.empty() ? ": give --username and --password-stdin" : ""));
    }
    std::string token;
    try {
      Json j = Json::parse(r.body);
      token = j.value("token", j.value("access_token", ""));
    } catch (const Json::exception&) {
    }
    if (r.status != 200 || token.empty()) {
      throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                  step + ": the token service answered HTTP " + std::to_string(r.status) + " without a token");
    }
    m_authorization = "Bearer " + token;
  }

  std::unique_ptr<CURL, void (*)(CURL*)> m_curl{new_handle(), LAZY_CURL(curl_easy_cleanup)};
  Reference m_ref;
  RegistryOptions m_options;
  std::string m_scope;
  std::string m_base;
  std::string m_authorization;
};

[[noreturn]] void unexpected(const Reference& ref, const std::string& step, const Response& r) {
  std::string detail = r.body.substr(0, 300);
  detail.erase(std::remove(detail.begin(), detail.end(), '\n'), detail.end());
  throw Error(Exit::io, core::Where{ref.text, 0, ""},
              step + ": unexpected HTTP " + std::to_string(r.status) + (detail.empty() ? "" : ": " + detail));
}

std::string short_digest(const std::string& d) { return d.substr(0, 19) + "…"; }

}  // namespace

std::string push(const Artifact& artifact, const Reference& ref, const RegistryOptions& options) {
  Client client(ref, options, "repository:" + ref.repository + ":pull,push");
  std::string repo_url = client.base() + "/v2/" + ref.repository;
  // Already there under this reference with the same digest: nothing to send (a registry holds a
  // manifest only with all its blobs).
  Request head_manifest;
  head_manifest.method = "HEAD";
  head_manifest.url = repo_url + "/manifests/" + ref.ref();
  head_manifest.accept = k_manifest_type;
  Response present = client.call(head_manifest, "checking the manifest");
  if (present.status == 200 && present.header("docker-content-digest") == artifact.manifest_digest) {
    if (options.progress) {
      options.progress("exists   " + short_digest(artifact.manifest_digest) + " (manifest)");
    }
    return artifact.manifest_digest;
  }
  if (present.status != 200 && present.status != 404) {
    unexpected(ref, "checking the manifest", present);
  }
  for (const auto& blob : artifact.blobs) {
    std::string step = "blob " + blob.digest;
    Request head;
    head.method = "HEAD";
    head.url = repo_url + "/blobs/" + blob.digest;
    Response exists = client.call(head, "checking " + step);
    if (exists.status == 200) {
      if (options.progress) {
        options.progress("exists   " + short_digest(blob.digest) + " (" + std::to_string(blob.bytes.size()) + " bytes)");
      }
      continue;
    }
    if (exists.status != 404) {
      unexpected(ref, "checking " + step, exists);
    }
    Request start;
    start.method = "POST";
    start.url = repo_url + "/blobs/uploads/";
    Response started = client.call(start, "starting the upload of " + step);
    if (started.status != 202 || started.header("location").empty()) {
      unexpected(ref, "starting the upload of " + step, started);
    }
    std::string location = started.header("location");
    if (!location.starts_with("http://") && !location.starts_with("https://")) {
      location = client.base() + (location.starts_with("/") ? "" : "/") + location;
    }
    Request put;
    put.method = "PUT";
    put.url = location + (location.find('?') == std::string::npos ? "?" : "&") + "digest=" + url_encode(blob.digest);
    put.body = &blob.bytes;
    put.content_type = "application/octet-stream";
    if (options.progress) {
      options.progress("uploading " + short_digest(blob.digest) + " (" + std::to_string(blob.bytes.size()) + " bytes)");
    }
    Response done = client.call(put, "uploading " + step);
    if (done.status != 201) {
      unexpected(ref, "uploading " + step, done);
    }
    if (!done.header("docker-content-digest").empty() && done.header("docker-content-digest") != blob.digest) {
      throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                  "uploading " + step + ": the registry stored it as " + done.header("docker-content-digest"));
    }
  }
  // The manifest last: until it lands, the push is invisible.
  Request manifest;
  manifest.method = "PUT";
  manifest.url = repo_url + "/manifests/" + ref.ref();
  manifest.body = &artifact.manifest;
  manifest.content_type = k_manifest_type;
  Response r = client.call(manifest, "putting the manifest");
  if (r.status != 201) {
    unexpected(ref, "putting the manifest", r);
  }
  std::string confirmed = r.header("docker-content-digest");
  if (!confirmed.empty() && confirmed != artifact.manifest_digest) {
    throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                "putting the manifest: the registry reports digest " + confirmed + ", expected " + artifact.manifest_digest);
  }
  return artifact.manifest_digest;
}

PullResult pull(const Reference& ref, const std::string& out_text, const RegistryOptions& options, const Limits& limits,
                const std::function<void(const std::string&)>& check) {
  // The target first: refuse before any network traffic.
  fs::path out = normal_target(out_text);
  std::error_code ec;
  auto st = fs::symlink_status(out, ec);
  bool exists = !ec && fs::exists(st);
  if (exists && (!fs::is_directory(st) || !fs::is_empty(out, ec))) {
    throw Error(Exit::bad_input, core::Where{out_text, 0, ""}, "exists and is not an empty folder; it was left untouched");
  }
  if (!fs::is_directory(out.parent_path(), ec)) {
    throw Error(Exit::io, core::Where{out_text, 0, ""}, "the parent folder does not exist");
  }
  Client client(ref, options, "repository:" + ref.repository + ":pull");
  std::string repo_url = client.base() + "/v2/" + ref.repository;
  Request get_manifest;
  get_manifest.url = repo_url + "/manifests/" + ref.ref();
  get_manifest.accept = k_manifest_type;
  get_manifest.max_body = 4u << 20;
  Response m = client.call(get_manifest, "fetching the manifest");
  if (m.status == 404) {
    throw Error(Exit::not_found, core::Where{ref.text, 0, ""}, "fetching the manifest: no such manifest in the registry");
  }
  if (m.status != 200) {
    unexpected(ref, "fetching the manifest", m);
  }
  PullResult result;
  result.manifest_digest = digest_of(m.body);
  std::string expected = !ref.digest.empty() ? ref.digest : m.header("docker-content-digest");
  if (!expected.empty() && expected != result.manifest_digest) {
    throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                "manifest digest mismatch: expected " + expected + ", the bytes received hash to " + result.manifest_digest);
  }
  Json manifest;
  try {
    manifest = Json::parse(m.body);
  } catch (const Json::exception& e) {
    throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest"}, std::string("not JSON: ") + e.what());
  }
  if (!manifest.is_object() || manifest.value("artifactType", Json()) != k_artifact_type || !manifest.contains("layers") ||
      !manifest["layers"].is_array()) {
    throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest"},
                std::string("is not a Galley bundle (artifactType ") + k_artifact_type + ")");
  }
  std::string tarball;
  std::optional<std::string> attestation;
  for (const auto& layer : manifest["layers"]) {
    if (!layer.is_object() || !layer.contains("digest") || !layer["digest"].is_string() || !layer.contains("size") ||
        !layer["size"].is_number_unsigned() || !layer.contains("mediaType") || !layer["mediaType"].is_string()) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "a layer descriptor lacks digest, size or mediaType");
    }
    std::string digest = layer["digest"].get<std::string>();
    std::uint64_t size = layer["size"].get<std::uint64_t>();
    std::string type = layer["mediaType"].get<std::string>();
    static const std::regex k_digest("sha256:[a-f0-9]{64}");
    if (!std::regex_match(digest, k_digest)) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "\"" + digest + "\" is not a sha256 digest");
    }
    if (size > limits.max_blob) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"},
                  "layer " + digest + " is " + std::to_string(size) + " bytes, over the limit of " +
                      std::to_string(limits.max_blob));
    }
    bool is_bundle = type == bundle::k_tarball_media_type;
    bool is_attestation = type == bundle::k_attestation_media_type;
    if (!is_bundle && !is_attestation) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "unknown layer type \"" + type + "\"");
    }
    if ((is_bundle && !tarball.empty()) || (is_attestation && attestation)) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "more than one layer of type " + type);
    }
    Request get;
    get.url = repo_url + "/blobs/" + digest;
    get.max_body = size;
    get.follow = true;
    if (options.progress) {
      options.progress("fetching " + short_digest(digest) + " (" + std::to_string(size) + " bytes)");
    }
    Response b = client.call(get, "fetching blob " + digest);
    if (b.status != 200) {
      unexpected(ref, "fetching blob " + digest, b);
    }
    if (b.body.size() != size || digest_of(b.body) != digest) {
      throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                  "blob digest mismatch: " + digest + " received as " + std::to_string(b.body.size()) +
                      " bytes hashing to " + digest_of(b.body));
    }
    (is_bundle ? tarball : attestation.emplace()) = std::move(b.body);
  }
  if (tarball.empty()) {
    throw Error(Exit::bad_input, core::Where{ref.text, 0, "manifest.layers"}, "has no bundle layer");
  }
  TempDir tmp(temp_beside(out, "pull"));
  unpack_tarball(tarball, tmp.path().string(), limits);
  if (attestation) {
    if (fs::exists(tmp.path() / k_attestation_file, ec)) {
      throw Error(Exit::bad_input, core::Where{ref.text, 0, ""}, "the bundle layer holds its own attestation file");
    }
    write_new_file(tmp.path() / k_attestation_file, *attestation);
  }
  result.info = read_bundle_info(tmp.path().string());
  if (manifest.contains("annotations") && manifest["annotations"].is_object() &&
      manifest["annotations"].contains(k_recipe_digest_annotation) &&
      manifest["annotations"][k_recipe_digest_annotation] != result.info.recipe_digest) {
    throw Error(Exit::check_failed, core::Where{ref.text, 0, ""},
                "the manifest's recipe digest differs from the bundle's " + result.info.recipe_digest);
  }
  if (check) {
    check(tmp.path().string());
  }
  if (exists) {
    fs::remove(out, ec);
  }
  if (::rename(tmp.path().c_str(), out.c_str()) != 0) {
    throw Error(Exit::io, core::Where{out_text, 0, ""}, std::string("cannot move the bundle into place: ") + std::strerror(errno));
  }
  tmp.release();
  return result;
}

}  // namespace galley::deliver
