#include "net/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "net/lazy_library.hpp"

// GALLEY_LIBCURL_SONAME comes from net/CMakeLists.txt.
#define LAZY_CURL(fn) GALLEY_LAZY(GALLEY_LIBCURL_SONAME, "libcurl3-gnutls", fn)

namespace galley::net {

using core::Error;
using core::Exit;

namespace {

struct Sink {
  Response* response;
  std::uint64_t max_body;
  std::uint64_t max_headers;
  bool too_large = false;
  std::uint64_t header_bytes = 0;
  bool headers_too_large = false;
  std::FILE* file = nullptr;  // a 2xx body goes here (Request::body_to_file)
  std::uint64_t file_bytes = 0;
  bool write_failed = false;
};

// True for a "HTTP/x 2xx" status line.
bool success_line(const std::string& line) {
  size_t space = line.find(' ');
  return space != std::string::npos && line.size() > space + 1 && line[space + 1] == '2';
}

size_t body_cb(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->file != nullptr && success_line(sink->response->status_line)) {
    if (sink->file_bytes + size * n > sink->max_body) {
      sink->too_large = true;
      return 0;  // aborts the transfer
    }
    if (std::fwrite(data, 1, size * n, sink->file) != size * n) {
      sink->write_failed = true;
      return 0;
    }
    sink->file_bytes += size * n;
    return size * n;
  }
  if (sink->response->body.size() + size * n > sink->max_body) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  sink->response->body.append(data, size * n);
  return size * n;
}

size_t read_cb(char* buffer, size_t size, size_t n, void* user) {
  std::FILE* file = static_cast<std::FILE*>(user);
  size_t got = std::fread(buffer, 1, size * n, file);
  return got == 0 && std::ferror(file) != 0 ? CURL_READFUNC_ABORT : got;
}

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

FilePtr open_file(const std::string& path, const char* mode, const std::string& url) {
  FilePtr f(path.empty() ? nullptr : std::fopen(path.c_str(), mode), &std::fclose);
  if (!path.empty() && f == nullptr) {
    throw Error(Exit::io, core::Where{path, 0, ""}, "cannot open for " + std::string(mode[0] == 'r' ? "reading" : "writing") +
                                                        " the body of " + url);
  }
  return f;
}

std::string trimmed(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  return text;
}

size_t header_cb(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string line(data, size * n);
  if (line.starts_with("HTTP/")) {
    sink->header_bytes = 0;
  }
  sink->header_bytes += line.size();
  if (sink->header_bytes > sink->max_headers) {
    sink->headers_too_large = true;
    return 0;  // aborts the transfer
  }
  if (line.starts_with("HTTP/")) {
    sink->response->headers.clear();  // a new response (after a redirect or 100 Continue)
    sink->response->status_line = trimmed(line);
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    sink->response->headers[name] = trimmed(line.substr(colon + 1));
  }
  return size * n;
}

// Why a server certificate was refused, from GnuTLS's verification status (libcurl's GnuTLS
// build reports it as CURLINFO_SSL_VERIFYRESULT) and libcurl's message.
std::string certificate_refusal(long status, const std::string& said) {
  std::string why;
  auto add = [&why](const char* reason) { why += (why.empty() ? "" : ", ") + std::string(reason); };
  if (said.find("does not match target host name") != std::string::npos) {
    add("it is not for this host name");
  }
  // GnuTLS's gnutls_certificate_status_t bits, in the order they are worth telling.
  static const std::pair<int, const char*> k_reasons[] = {
      {10, "it has expired"}, {9, "it is not valid yet"}, {6, "it is not signed by a trusted CA"},
      {7, "its signer is not a CA"}, {5, "it is revoked"}, {8, "it uses an insecure algorithm"}};
  for (const auto& [bit, reason] : k_reasons) {
    if ((status & (1L << bit)) != 0) {
      add(reason);
    }
  }
  return "the server's TLS certificate is refused" + (why.empty() ? std::string() : ": " + why) + " (" + said + ")";
}

// The words a failure is reported with, before libcurl's own, for the failures callers test for.
std::string failure_detail(CURLcode rc, const char* errbuf, long verify_status) {
  std::string said = errbuf[0] != '\0' ? errbuf : LAZY_CURL(curl_easy_strerror)(rc);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return "cannot resolve: " + said;
    case CURLE_COULDNT_CONNECT:
      return "cannot connect: " + said;
    case CURLE_OPERATION_TIMEDOUT:
      return "timed out: " + said;
    case CURLE_PARTIAL_FILE:
      return "the reply was cut short: " + said;
    case CURLE_PEER_FAILED_VERIFICATION:
      return certificate_refusal(verify_status, said);
    case CURLE_SSL_CACERT_BADFILE:
      return "cannot read the CA certificates: " + said;
    case CURLE_SSL_CONNECT_ERROR:
      return "the TLS handshake failed: " + said;
    default:
      return said;
  }
}

bool is_transient(CURLcode rc) {
  return rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
         rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING || rc == CURLE_COULDNT_RESOLVE_HOST ||
         rc == CURLE_PARTIAL_FILE;
}

}  // namespace

std::string Response::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

TransferError::TransferError(const std::string& url, const std::string& detail, bool transient)
    : core::Error(Exit::io, core::Where{url, 0, ""}, detail), m_detail(detail), m_transient(transient) {}

struct Client::Handle {
  CURL* curl = nullptr;
};

Client::Client() : m_handle(std::make_unique<Handle>()) {
  static const bool k_ready = LAZY_CURL(curl_global_init)(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  m_handle->curl = k_ready ? LAZY_CURL(curl_easy_init)() : nullptr;
  if (m_handle->curl == nullptr) {
    throw Error(Exit::io, "cannot start libcurl");
  }
}

Client::~Client() { LAZY_CURL(curl_easy_cleanup)(m_handle->curl); }

Response Client::send(const Request& req) {
  CURL* c = m_handle->curl;
  LAZY_CURL(curl_easy_reset)(c);  // the options go, the connections stay for reuse
  Response r;
  Sink sink{&r, req.limits.max_body, req.limits.max_headers};
  FilePtr out = open_file(req.body_to_file, "wb", req.url);
  FilePtr in = open_file(req.body_from_file, "rb", req.url);
  sink.file = out.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_guard(nullptr, LAZY_CURL(curl_slist_free_all));
  auto add_header = [&](const std::string& h) {
    headers = LAZY_CURL(curl_slist_append)(headers, h.c_str());
    header_guard.release();
    header_guard.reset(headers);
  };
  add_header("Expect:");  // no 100-continue round trip before a body
  for (const auto& h : req.headers) {
    add_header(h);
  }
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_URL, req.url.c_str());
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_PROTOCOLS_STR, "http,https");
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_NOSIGNAL, 1L);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_CONNECTTIMEOUT, req.limits.connect_seconds);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_LOW_SPEED_TIME, req.limits.stall_seconds);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_ERRORBUFFER, errbuf);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_HTTPHEADER, headers);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_USERAGENT, "galley/" GALLEY_VERSION);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_WRITEFUNCTION, body_cb);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_WRITEDATA, &sink);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_HEADERFUNCTION, header_cb);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_HEADERDATA, &sink);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
  LAZY_CURL(curl_easy_setopt)(c, CURLOPT_MAXREDIRS, 5L);
  if (!req.ca_file.empty()) {
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_CAINFO, req.ca_file.c_str());
  }
  if (req.method == "HEAD") {
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_NOBODY, 1L);
  } else if (req.method != "GET") {
    LAZY_CURL(curl_easy_setopt)(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (in != nullptr) {  // streamed from the file, its size sent as Content-Length
      std::error_code ec;
      auto size = std::filesystem::file_size(req.body_from_file, ec);
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_UPLOAD, 1L);
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_READFUNCTION, read_cb);
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_READDATA, in.get());
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(ec ? 0 : size));
    } else {
      // Never a null pointer: libcurl would then read the body from stdin.
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_POSTFIELDS, req.body.data() != nullptr ? req.body.data() : "");
      LAZY_CURL(curl_easy_setopt)(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
  }
  CURLcode rc = LAZY_CURL(curl_easy_perform)(c);
  LAZY_CURL(curl_easy_getinfo)(c, CURLINFO_RESPONSE_CODE, &r.status);
  if (sink.too_large) {
    throw Error(Exit::bad_input, core::Where{req.url, 0, ""},
                "the response is larger than the limit of " + std::to_string(req.limits.max_body) + " bytes");
  }
  if (sink.write_failed || (out != nullptr && std::fflush(out.get()) != 0)) {
    throw Error(Exit::io, core::Where{req.body_to_file, 0, ""}, "cannot write the body of " + req.url);
  }
  if (sink.headers_too_large) {
    throw Error(Exit::bad_input, core::Where{req.url, 0, ""},
                "the response headers are larger than the limit of " + std::to_string(req.limits.max_headers) + " bytes");
  }
  if (rc != CURLE_OK) {
    long verify_status = 0;
    LAZY_CURL(curl_easy_getinfo)(c, CURLINFO_SSL_VERIFYRESULT, &verify_status);
    throw TransferError(req.url, failure_detail(rc, errbuf, verify_status), is_transient(rc));
  }
  return r;
}

}  // namespace galley::net
