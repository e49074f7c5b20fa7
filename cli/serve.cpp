// galley serve: the REST API (server/), with its limits and optional TLS and tokens.
#include "cli/serve.hpp"

#include <unistd.h>

#include <fcntl.h>

#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "core/error.hpp"

namespace galley::cli {

namespace {

// In `galley`: run galley-serve (beside this binary) with this process's own arguments.
int exec_server(const server::ServeOptions&, Context&) {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  auto binary = self.parent_path() / "galley-serve";
  if (ec || access(binary.c_str(), X_OK) != 0) {
    throw core::Error(core::Exit::not_found, binary.string() + ": galley serve runs galley-serve, installed beside galley");
  }
  std::string cmdline;  // size 0 to stat: read to the end
  int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  char buf[4096];
  for (ssize_t n = 0; fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0;) {
    cmdline.append(buf, static_cast<size_t>(n));
  }
  if (fd >= 0) {
    close(fd);
  }
  std::vector<std::string> args;
  for (size_t at = 0; at < cmdline.size();) {
    size_t end = cmdline.find('\0', at);
    args.push_back(cmdline.substr(at, end == std::string::npos ? std::string::npos : end - at));
    at = end == std::string::npos ? cmdline.size() : end + 1;
  }
  if (args.empty()) {
    throw core::Error(core::Exit::io, "/proc/self/cmdline: cannot read this process's arguments");
  }
  std::vector<char*> argv;
  args[0] = binary.string();
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  std::cout.flush();
  execv(binary.c_str(), argv.data());
  throw core::Error(core::Exit::io, binary.string() + ": cannot run it");
}

ServeFn& serve_fn() {
  static ServeFn fn = exec_server;
  return fn;
}

}  // namespace

void set_serve(ServeFn serve) { serve_fn() = serve; }

void add_serve(CLI::App& app, Run& run) {
  auto [sub, opts] = add_command<server::ServeOptions>(app, "serve", "serve the REST API (recipes, bundles, validation) over HTTP",
      R"(Endpoints: GET /v1/catalog, GET|POST /v1/recipe, GET /v1/query, GET /v1/explain, POST /v1/diff,
POST /v1/bundle, POST /v1/validate, POST /v1/verify, /healthz, /readyz, /metrics, /openapi.json
(schemas/openapi.json describes each). Errors are application/problem+json. SIGTERM drains:
readiness 503 at once, new connections refused after --shutdown-delay seconds, requests in flight
finish within --drain seconds, exit 0.
Examples:
  galley serve --listen 127.0.0.1:8080
  galley --data ./my-catalog serve --listen 0.0.0.0:8443 --tls-cert tls.crt --tls-key tls.key --tokens tokens.sha256
  curl 'http://127.0.0.1:8080/v1/recipe?service=eks&accelerator=h100&intent=training' -H 'Accept: application/yaml'
  curl -F recipe=@recipe.yaml -F deployer=helm http://127.0.0.1:8080/v1/bundle -o bundle.tar.gz
A token file holds the SHA-256 of each accepted token, one a line: printf %s "$TOKEN" | sha256sum)");
  sub->add_option("--listen", opts->listen, "HOST:PORT to listen on; port 0 picks a free one (default 127.0.0.1:8080)")
      ->option_text("ADDR:PORT");
  sub->add_option("--tls-cert", opts->tls_cert, "PEM certificate chain: serve HTTPS")->option_text("FILE");
  sub->add_option("--tls-key", opts->tls_key, "PEM private key of --tls-cert")->option_text("FILE");
  sub->add_option("--tokens", opts->tokens, "file of SHA-256 hashes of accepted bearer tokens")->option_text("FILE");
  sub->add_option("--signing-key", opts->signing_key, "private key PEM: bundles are signed with it")->option_text("KEY");
  sub->add_option("--passphrase-env", opts->passphrase_env, "env VAR holding the signing key's passphrase")->option_text("VAR");
  sub->add_option("--threads", opts->threads, "worker threads; each serves one connection while it has a request (idle keep-alive connections hold none) (default 64)")->option_text("N");
  sub->add_option("--max-connections", opts->max_connections, "open connections, idle ones included; more are closed at once (default 1024)")->option_text("N");
  sub->add_option("--max-body", opts->max_body, "request body limit in bytes (default 8 MiB)")->option_text("BYTES");
  sub->add_option("--max-in-flight", opts->max_in_flight, "requests handled at once; more get 503 (default 64)")->option_text("N");
  sub->add_option("--rate", opts->rate, "requests a second per client (token or address); more get 429 (default 50)")
      ->option_text("N");
  sub->add_option("--burst", opts->burst, "requests a client may make at once (default 100)")->option_text("N");
  sub->add_option("--read-timeout", opts->read_timeout, "seconds a whole request (line, headers, body) may take to arrive from its first byte, and each write (default 10)")->option_text("S");
  sub->add_option("--idle-timeout", opts->idle_timeout, "seconds a keep-alive connection may idle (default 30)")->option_text("S");
  sub->add_option("--deadline", opts->deadline, "seconds a bundle or validate request may compute; then 503, and the work stops (default 30)")
      ->option_text("S");
  sub->add_option("--shutdown-delay", opts->shutdown_delay,
                  "seconds after SIGTERM of /readyz 503 while still serving, before accepting stops (default 0)")
      ->option_text("S");
  sub->add_option("--drain", opts->drain, "seconds SIGTERM waits for requests in flight (default 20)")->option_text("S");
  sub->add_option("--cache", opts->cache_entries, "resolved recipes kept in memory (default 256)")->option_text("N");
  run = [opts](Context& ctx) {
    opts->data = ctx.globals.data;
    return serve_fn()(*opts, ctx);
  };
}

}  // namespace galley::cli
