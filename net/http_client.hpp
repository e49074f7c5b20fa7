#pragma once
// The one HTTP client: libcurl (the GnuTLS build), opened on first use (lazy_library.hpp), so a
// command that makes no request never loads it. Used by deliver (the OCI distribution API) and attest
// (RFC 3161 timestamps). No curl type appears here.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace galley::net {

// What one request may cost (fail closed).
struct Limits {
  std::uint64_t max_body = 4u << 20;  // response body bytes; more fails the request (bad_input)
  std::uint64_t max_headers = 32u << 10;  // header bytes of one response; more fails it (bad_input)
  long connect_seconds = 10;          // to establish the connection
  long stall_seconds = 60;            // a transfer below 1 byte/s for this long fails
};

struct Request {
  std::string method = "GET";        // GET, HEAD (no body read), POST, PUT, or any other verb
  std::string url;                   // http:// or https://; other schemes are refused
  std::vector<std::string> headers;  // "Name: value" lines, sent as given (Authorization among them)
  std::string_view body;             // sent for any method but GET and HEAD; must outlive send()
  bool follow_redirects = false;     // up to 5, http and https only
  std::string ca_file;               // PEM file of the CA certificates trusted for https ("" = the system's)
  Limits limits;
  // Streaming, for bodies too large to hold (each file opened anew by every send, so a retry starts
  // over): a 2xx response's body is written to `body_to_file` (created or truncated; max_body still
  // bounds it) instead of Response::body, and the request body is read from `body_from_file`
  // instead of `body`.
  std::string body_to_file;
  std::string body_from_file;
};

struct Response {
  long status = 0;
  std::string status_line;                     // "HTTP/1.1 404 Not Found", of the last response
  std::map<std::string, std::string> headers;  // lowercased names, of the last response
  std::string body;
  // The value of header `name` (lowercase), or "" when absent.
  std::string header(const std::string& name) const;
};

// A request that got no complete response: no connection, a timeout, a reply cut short. what() is
// "URL: detail"; exit() is io.
class TransferError : public core::Error {
 public:
  TransferError(const std::string& url, const std::string& detail, bool transient);
  // What went wrong, without the URL ("cannot connect: ...").
  const std::string& detail() const { return m_detail; }
  // True when the same request may well succeed when tried again (connect, resolve, timeout, a
  // reply cut short or lost); false when it never will (a malformed URL, a refused scheme, TLS).
  bool transient() const { return m_transient; }

 private:
  std::string m_detail;
  bool m_transient;
};

// One connection cache: requests sent through the same client reuse their connections. Not for use
// from two threads at once; not copyable (it owns the libcurl handle).
class Client {
 public:
  // Loads libcurl. Throws core::Error(io) when it cannot be loaded or started.
  Client();
  ~Client();

  // Sends `request` and returns the response, whatever its status. Throws TransferError when no
  // complete response came back, core::Error(bad_input) naming the URL when the body is larger than
  // request.limits.max_body.
  Response send(const Request& request);

 private:
  struct Handle;
  std::unique_ptr<Handle> m_handle;
};

}  // namespace galley::net
