#include "deliver/internal/registry_transport.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "core/base64.hpp"
#include "core/document.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "net/url.hpp"

namespace galley::deliver {

using core::Error;
using core::Exit;
using core::Json;

namespace {

// key="value" pairs of a WWW-Authenticate challenge, in one linear pass (the header's size is
// bounded by net::Limits::max_headers; no recursion whatever it holds).
std::map<std::string, std::string> challenge_params(const std::string& header) {
  std::map<std::string, std::string> out;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  size_t i = 0;
  while (i < header.size()) {
    if (!letter(header[i])) {
      ++i;
      continue;
    }
    size_t key_start = i;
    while (i < header.size() && letter(header[i])) {
      ++i;
    }
    std::string key = header.substr(key_start, i - key_start);
    if (i + 1 < header.size() && header[i] == '=' && header[i + 1] == '"') {
      size_t value_start = i + 2;
      size_t close = header.find('"', value_start);
      if (close == std::string::npos) {
        break;  // an unterminated value: no more pairs
      }
      out[key] = header.substr(value_start, close - value_start);
      i = close + 1;
    }
  }
  return out;
}

}  // namespace

RegistryTransport::RegistryTransport(const Reference& ref, const RegistryOptions& options, std::string scope)
    : m_ref(ref), m_options(options), m_scope(std::move(scope)) {
  m_base = std::string(options.plain_http ? "http://" : "https://") + ref.host;
}

net::Response RegistryTransport::call(net::Request request, const std::string& step) {
  request.limits.stall_seconds = m_options.timeout_seconds;
  bool authed_retry = false;
  for (;;) {
    net::Response r = with_retries(request, step);
    if (r.status != 401 || authed_retry) {
      if (r.status == 401) {
        throw Error(Exit::io, core::Where{m_ref.text, 0, ""}, step + ": 401 Unauthorized: the registry refused the credentials");
      }
      return r;
    }
    authenticate(r.header("www-authenticate"), step);
    authed_retry = true;
  }
}

void RegistryTransport::upload_blob(const std::string& repo_url, const std::string& digest, const std::string& bytes,
                                    std::string location, const std::string& file) {
  std::string step = "blob " + digest;
  if (location.empty()) {
    net::Request start;
    start.method = "POST";
    start.url = repo_url + "/blobs/uploads/";
    net::Response started = call(start, "starting the upload of " + step);
    if (started.status != 202 || started.header("location").empty()) {
      unexpected("starting the upload of " + step, started);
    }
    location = started.header("location");
  }
  if (!location.starts_with("http://") && !location.starts_with("https://")) {
    location = m_base + (location.starts_with("/") ? "" : "/") + location;
  }
  net::Request put;
  put.method = "PUT";
  put.url = location + (location.find('?') == std::string::npos ? "?" : "&") + "digest=" + net::url_encode(digest);
  put.body = bytes;
  put.body_from_file = file;
  put.headers.push_back("Content-Type: application/octet-stream");
  net::Response done = call(put, "uploading " + step);
  if (done.status != 201) {
    unexpected("uploading " + step, done);
  }
  if (!done.header("docker-content-digest").empty() && done.header("docker-content-digest") != digest) {
    throw Error(Exit::check_failed, core::Where{m_ref.text, 0, ""},
                "uploading " + step + ": the registry stored it as " + done.header("docker-content-digest"));
  }
}

void RegistryTransport::unexpected(const std::string& step, const net::Response& r) const {
  std::string detail = r.body.substr(0, 300);
  detail.erase(std::remove(detail.begin(), detail.end(), '\n'), detail.end());
  throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
              step + ": unexpected HTTP " + std::to_string(r.status) + (detail.empty() ? "" : ": " + detail));
}

net::Response RegistryTransport::with_retries(const net::Request& request, const std::string& step) {
  net::Request req = request;
  req.ca_file = m_options.ca_file;
  if (!m_authorization.empty()) {
    req.headers.push_back("Authorization: " + m_authorization);
  }
  int attempts = std::max(1, m_options.attempts);
  for (int i = 1;; ++i) {
    std::string error;
    bool transient = true;
    bool answered = false;
    try {
      net::Response r = m_client.send(req);
      if (r.status < 500 && r.status != 429) {
        return r;
      }
      answered = true;
      error = "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200);
    } catch (const net::TransferError& e) {
      transient = e.transient();
      error = e.detail();
    }
    if (!transient || i >= attempts) {
      throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                  step + ": " + error + (!answered && i > 1 ? " (after " + std::to_string(i) + " attempts)" : ""));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200 << (i - 1)));  // 200 ms, 400 ms, ...
  }
}

void RegistryTransport::authenticate(const std::string& challenge, const std::string& step) {
  const Credentials& creds = m_options.credentials;
  const std::string scheme = core::to_lower(challenge.substr(0, challenge.find(' ')));
  if (scheme == "basic") {
    if (creds.empty()) {
      throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                  step + ": 401 Unauthorized and no credentials were given (a username and password, or an "
                         "auths entry for " + m_ref.host + " in ~/.docker/config.json)");
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
    url += "service=" + net::url_encode(params["service"]) + "&";
  }
  url += "scope=" + net::url_encode(params["scope"].empty() ? m_scope : params["scope"]);
  m_authorization = creds.empty() ? "" : "Basic " + core::base64_encode(creds.username + ":" + creds.password);
  net::Request token_req;
  token_req.url = url;
  token_req.limits.max_body = 1u << 20;
  token_req.limits.stall_seconds = m_options.timeout_seconds;
  net::Response r = with_retries(token_req, step + ": token request to " + params["realm"]);
  m_authorization.clear();
  if (r.status == 401 || r.status == 403) {
    throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                step + ": the token service refused " + (creds.empty() ? "anonymous access" : "the credentials") +
                    " (HTTP " + std::to_string(r.status) + ")" + (creds.empty() ? ": no credentials (a username and password) were given" : ""));
  }
  std::string token;
  try {
    Json j = core::parse_json(r.body, m_ref.text + " (token)");
    token = j.is_object() ? j.value("token", j.value("access_token", "")) : "";
  } catch (const Json::exception&) {
  } catch (const Error&) {
  }
  if (r.status != 200 || token.empty()) {
    throw Error(Exit::io, core::Where{m_ref.text, 0, ""},
                step + ": the token service answered HTTP " + std::to_string(r.status) + " without a token");
  }
  m_authorization = "Bearer " + token;
}

}  // namespace galley::deliver
