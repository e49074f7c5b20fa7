#pragma once
// The self-hosted REST API (`galley serve`): the CLI's verbs over HTTP/1.1, with limits, bearer
// tokens, TLS, metrics and a graceful drain. The HTTP library stays inside server/*.cpp.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace galley::server {

// Everything the server is told at start; each field is an option of `galley serve`.
struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one (printed at start)
  std::vector<std::string> data;          // catalog layers over the embedded catalog, in order
  std::string tls_cert;                   // PEM certificate chain; with tls_key, serve HTTPS
  std::string tls_key;                    // PEM private key
  std::string tokens;                     // file of SHA-256 hex token hashes, one a line ("" = open)
  std::string signing_key;                // private key PEM: bundles are signed with it ("" = unsigned)
  std::string passphrase_env;             // environment variable holding the signing key's passphrase
  int threads = 64;                       // worker threads; each serves one connection while it has a request
  int max_connections = 1024;             // open connections (idle ones included); more are closed at once
  std::size_t max_body = 8u << 20;        // request body limit in bytes (413 above)
  std::size_t max_in_flight = 64;         // requests being handled at once (503 above)
  double rate = 50;                       // per-client requests per second (token bucket refill)
  double burst = 100;                     // per-client bucket size (429 when empty)
  int read_timeout = 10;                  // seconds to read one whole request (line, headers, body; plain HTTP)
  int idle_timeout = 30;                  // seconds a keep-alive connection may wait for its next request
  double deadline = 30;                   // seconds a bundle or validate request may compute
  double shutdown_delay = 0;              // seconds after SIGTERM of not ready but still serving
  int drain = 20;                         // seconds SIGTERM waits for requests in flight
  std::size_t cache_entries = 256;        // resolved recipes kept (least recently used goes first)
};

// Loads the catalog and keys, listens, and serves until SIGTERM or SIGINT; then reports not ready,
// serves on for `shutdown_delay` seconds, stops accepting, waits up to `drain` seconds for requests
// in flight, and returns. `log` gets
// one line per event (start, each request as a JSON access log line, stop). Throws core::Error:
// bad_input for a bad option, key or tokens file, not_found for a missing file, io when the
// address cannot be bound.
void serve(const ServeOptions& options, const std::function<void(const std::string&)>& log);

}  // namespace galley::server
