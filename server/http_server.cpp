// serve(): the API over cpp-httplib (a fixed pool of worker threads, keep-alive, timeouts, a body
// limit, OpenSSL TLS), with tokens, rate and in-flight limits, metrics, access log and the drain.
#include <httplib.h>

#include <pthread.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>

#include <array>
#include <atomic>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <span>
#include <thread>
#include <type_traits>

#include "attest/attest.hpp"
#include "core/clock.hpp"
#include "core/embedded.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "resolver/resolver.hpp"
#include "server/internal/api.hpp"
#include "server/internal/connection.hpp"
#include "server/internal/guard.hpp"
#include "server/internal/idle_poller.hpp"
#include "server/internal/metrics.hpp"
#include "server/server.hpp"

namespace galley::openapi_data {
std::span<const EmbeddedFile> files();  // schemas/openapi.json
}

namespace galley::server {

using core::Error;
using core::Exit;

namespace {

using Clock = std::chrono::steady_clock;

thread_local Clock::time_point t_started;  // a worker handles one request at a time
thread_local bool t_counted = false;       // this worker's request is counted in flight
thread_local bool t_close = false;         // end this worker's connection after the response

std::pair<std::string, int> parse_listen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
  std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    throw Error(Exit::bad_input, core::OptionField("listen", listen), "expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:0");
  }
  return {host, std::stoi(port)};
}

std::shared_ptr<const resolver::Catalog> catalog_of(const std::vector<std::string>& data) {
  std::vector<resolver::CatalogSource> layers;
  layers.push_back(resolver::embedded_source());
  for (const auto& dir : data) {
    layers.push_back(resolver::read_catalog_dir(dir));
  }
  return resolver::load_catalog(std::move(layers));
}

std::string request_id() {
  static std::atomic<unsigned long> counter{0};
  static const std::string prefix = core::sha256_hex(std::to_string(Clock::now().time_since_epoch().count())).substr(0, 8);
  return prefix + "-" + std::to_string(++counter);
}

bool open_path(const std::string& path) { return path == "/healthz" || path == "/readyz" || path == "/metrics"; }

std::string bearer(const httplib::Request& req) {
  std::string auth = req.get_header_value("Authorization");
  return auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
}

Request to_request(const httplib::Request& req, const std::string& id) {
  Request r;
  r.method = req.method;
  r.path = req.path;
  r.request_id = id;
  for (const auto& [k, v] : req.params) {
    r.query.emplace(k, v);
  }
  for (const auto& [k, v] : req.headers) {
    std::string name = core::to_lower(k);
    if (r.headers.count(name) == 0) {
      r.headers[name] = v;
    }
  }
  if (req.is_multipart_form_data()) {
    for (const auto& [name, part] : req.files) {
      r.parts.emplace(name, part.content);
      r.filenames.emplace(name, part.filename);
    }
  } else {
    r.body = req.body;
  }
  return r;
}

void send(const Response& from, httplib::Response& res) {
  res.status = from.status;
  for (const auto& [k, v] : from.headers) {
    res.set_header(k, v);
  }
  if (from.status == 304) {
    return;
  }
  if (from.shared_body) {  // written from the cache entry, never copied
    auto bytes = from.shared_body;
    res.set_content_provider(bytes->size(), from.content_type,
                             [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                               return sink.write(bytes->data() + offset, std::min(length, bytes->size() - offset));
                             });
  } else {
    res.set_content(from.body, from.content_type);
  }
}

// httplib's pool, with `after` run on the worker after each task (a connection served until it
// closed or went idle), and `before_shutdown` run before its workers are told to finish.
class Pool : public httplib::ThreadPool {
 public:
  Pool(size_t threads, std::function<void()> after, std::function<void()> before_shutdown)
      : httplib::ThreadPool(threads), m_after(std::move(after)), m_before_shutdown(std::move(before_shutdown)) {}
  void enqueue(std::function<void()> fn) override {
    httplib::ThreadPool::enqueue([fn = std::move(fn), this] {
      fn();
      m_after();
    });
  }
  void shutdown() override {
    m_before_shutdown();
    httplib::ThreadPool::shutdown();
  }

 private:
  std::function<void()> m_after;
  std::function<void()> m_before_shutdown;
};

// httplib's server with the listen backlog raised: it listens with a backlog of 5, so a burst of
// new connections overflows it and waits for SYN retransmission (1 s and more).
template <typename Base>
class Listener : public Base {
 public:
  using Base::Base;
  bool raise_backlog(int backlog) { return ::listen(this->svr_sock_, backlog) == 0; }
};

// One connection as httplib's Stream (plain, or TLS over a non-blocking socket when `ssl` is set),
// with the whole-request deadline: the clock starts at a request's first read (the first read
// after a response was written) and a read past it fails, which ends the connection. Over TLS the
// deadline bounds each SSL_read however the client splits its records.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(int fd, SSL* ssl, const ConnectionLimits& limits) : m_fd(fd), m_ssl(ssl), m_limits(limits) {}
  // Whether bytes already read from the socket wait in this stream's buffer or OpenSSL's.
  bool buffered() const { return m_next < m_end || (m_ssl != nullptr && SSL_has_pending(m_ssl) == 1); }
  bool is_readable() const override {
    return buffered() || wait_readable(m_fd, read_allowance(m_began, Clock::now(), m_limits.request));
  }
  bool is_writable() const override { return wait_writable(m_fd, m_limits.write); }
  ssize_t read(char* ptr, size_t size) override {
    if (!m_in_request) {
      m_in_request = true;
      m_began = Clock::now();
      t_started = m_began;  // a request's time counts from its first byte
    }
    if (m_next == m_end && size < m_buffer.size()) {  // httplib reads its lines a byte at a time
      ssize_t n = receive(m_buffer.data(), m_buffer.size());
      if (n <= 0) {
        return n;
      }
      m_next = 0;
      m_end = static_cast<size_t>(n);
    }
    if (m_next < m_end) {
      size_t n = std::min(size, m_end - m_next);
      std::memcpy(ptr, m_buffer.data() + m_next, n);
      m_next += n;
      return static_cast<ssize_t>(n);
    }
    return receive(ptr, size);
  }
  ssize_t write(const char* ptr, size_t size) override {
    m_in_request = false;  // the response: the next read begins the next request
    for (;;) {
      if (auto n = transfer(false, const_cast<char*>(ptr), size)) {
        return *n;
      }
      if (!wait_writable(m_fd, m_limits.write)) {
        return -1;
      }
    }
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return m_fd; }

 private:
  // Reads what the socket has (at most `size` bytes) within the request's deadline: the bytes
  // read, 0 at the peer's close, -1 on an error or past the deadline.
  ssize_t receive(char* ptr, size_t size) {
    for (;;) {
      auto allowed = read_allowance(m_began, Clock::now(), m_limits.request);
      if (allowed.count() == 0) {
        return -1;
      }
      if (auto n = transfer(true, ptr, size)) {  // tried first: most reads find their bytes there
        return *n;
      }
      if (!wait_readable(m_fd, allowed)) {
        return -1;
      }
    }
  }

  // One recv or send that does not wait (SSL_read or SSL_write over TLS): the bytes moved, 0 at
  // the peer's close, -1 on an error; nullopt when the socket is not ready yet (wait, then retry).
  std::optional<ssize_t> transfer(bool reading, char* ptr, size_t size) {
    if (m_ssl == nullptr) {
      ssize_t n = reading ? ::recv(m_fd, ptr, size, MSG_DONTWAIT) : ::send(m_fd, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        return std::nullopt;
      }
      return n;
    }
    size_t n = 0;
    if ((reading ? SSL_read_ex(m_ssl, ptr, size, &n) : SSL_write_ex(m_ssl, ptr, size, &n)) == 1) {
      return static_cast<ssize_t>(n);
    }
    int err = SSL_get_error(m_ssl, 0);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {  // a partial record: more bytes to come
      return std::nullopt;
    }
    return err == SSL_ERROR_ZERO_RETURN ? 0 : -1;
  }

  void address(bool peer, std::string& ip, int& port) const {
    sockaddr_storage a{};
    socklen_t len = sizeof a;
    auto* sa = reinterpret_cast<sockaddr*>(&a);
    if ((peer ? ::getpeername(m_fd, sa, &len) : ::getsockname(m_fd, sa, &len)) != 0) {
      return;
    }
    char text[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
      ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
      port = ntohs(v4->sin_port);
    } else if (a.ss_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
      ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
      port = ntohs(v6->sin6_port);
    }
    ip = text;
  }

  int m_fd;
  SSL* m_ssl;
  const ConnectionLimits& m_limits;
  bool m_in_request = false;
  Clock::time_point m_began = Clock::now();
  std::array<char, 4096> m_buffer{};  // bytes received and not yet read: [m_next, m_end)
  size_t m_next = 0;
  size_t m_end = 0;
};

// The TLS handshake on a non-blocking socket, whole within `limit` (a client trickling its hello
// is cut off as a trickled request is); null when it fails or runs out of time.
SSL* accept_tls(int fd, SSL_CTX* ctx, std::chrono::milliseconds limit) {
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    return nullptr;
  }
  auto began = Clock::now();
  for (;;) {
    if (SSL_accept(ssl) == 1) {
      return ssl;
    }
    int err = SSL_get_error(ssl, 0);
    auto allowed = read_allowance(began, Clock::now(), limit);
    bool ready = err == SSL_ERROR_WANT_READ    ? allowed.count() > 0 && wait_readable(fd, allowed)
                 : err == SSL_ERROR_WANT_WRITE ? allowed.count() > 0 && wait_writable(fd, allowed)
                                               : false;
    if (!ready) {
      SSL_free(ssl);
      return nullptr;
    }
  }
}

// One accepted connection: its socket, TLS session and stream (with bytes read ahead), and the
// requests it may still make. Closed (TLS close_notify tried once) when it goes.
class Connection : public IdleConnection {
 public:
  Connection(int fd, SSL* ssl, const ConnectionLimits& limits, std::atomic<int>& open)
      : m_fd(fd), m_ssl(ssl), m_stream(fd, ssl, limits), m_left(limits.max_requests), m_open(open) {}
  ~Connection() override {
    if (m_ssl != nullptr) {
      SSL_shutdown(m_ssl);  // one try: the close_notify is a courtesy
      SSL_free(m_ssl);
    }
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(m_fd);
    --m_open;
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  int fd() const override { return m_fd; }
  SSL* ssl() const { return m_ssl; }
  DeadlineStream& stream() { return m_stream; }
  int& left() { return m_left; }

 private:
  int m_fd;
  SSL* m_ssl;
  DeadlineStream m_stream;
  int m_left;
  std::atomic<int>& m_open;
};

// httplib's server (plain or TLS) with DeadlineStream for every connection it accepts and its own
// keep-alive loop over httplib's protected process_request: a worker serves a connection while it
// has a request, then hands it to the idle poller, which gives it back to the pool once the next
// request begins to arrive (or closes it after the idle limit). At most `max_connections` are open.
template <typename Base>
class DeadlineServer : public Listener<Base> {
 public:
  template <typename... Args>
  explicit DeadlineServer(ConnectionLimits limits, int max_connections, std::function<void()> refused, Args&&... args)
      : Listener<Base>(std::forward<Args>(args)...),
        m_limits(limits),
        m_max_connections(max_connections),
        m_refused(std::move(refused)),
        m_poller(limits.idle, [this](std::unique_ptr<IdleConnection> c) {
          auto* connection = static_cast<Connection*>(c.release());
          m_queue.load()->enqueue([this, connection] { serve(std::unique_ptr<Connection>(connection)); });
        }) {}
  // The pool that serves connections (set as httplib makes it, before the first is accepted).
  void use_queue(httplib::TaskQueue* queue) { m_queue = queue; }
  // Closes the idle connections and stops handing connections to the pool (before it shuts down).
  void stop_idle() { m_poller.stop(); }
  // Open connections and idle ones, for /metrics.
  int open_connections() const { return m_open.load(); }
  std::size_t idle_connections() const { return m_poller.size(); }

 private:
  bool process_and_close_socket(socket_t sock) override {
    if (++m_open > m_max_connections) {  // over the limit: closed at once, before any TLS work
      --m_open;
      ::close(sock);
      m_refused();
      return false;
    }
    SSL* ssl = nullptr;
    if constexpr (std::is_same_v<Base, httplib::SSLServer>) {
      ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL) | O_NONBLOCK);
      ssl = accept_tls(sock, this->ssl_context(), m_limits.request);
      if (ssl == nullptr) {
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        --m_open;
        return false;
      }
    }
    serve(std::make_unique<Connection>(sock, ssl, m_limits, m_open));
    return true;
  }

  // Serves the requests that have begun to arrive on `c`; then hands it to the poller, or closes it.
  void serve(std::unique_ptr<Connection> c) {
    while (c->left() > 0 && this->svr_sock_ != INVALID_SOCKET) {
      if (!c->stream().buffered() && !wait_readable(c->fd(), std::chrono::milliseconds(0))) {
        m_poller.add(std::move(c));  // idle: no worker waits for it
        return;
      }
      bool closed = false;
      t_close = false;
      SSL* ssl = c->ssl();
      bool ok = this->process_request(c->stream(), --c->left() == 0 || this->svr_sock_ == INVALID_SOCKET, closed,
                                      [ssl](httplib::Request& req) { req.ssl = ssl; });
      if (!ok || closed || t_close) {
        break;
      }
    }
  }

  ConnectionLimits m_limits;
  int m_max_connections;
  std::function<void()> m_refused;
  std::atomic<int> m_open{0};
  std::atomic<httplib::TaskQueue*> m_queue{nullptr};
  IdlePoller m_poller;
};

// Blocks SIGTERM and SIGINT in this thread and every thread it starts; a waiter thread takes them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Raises the soft limit of open files towards `wanted` (as far as the hard limit allows): each
// connection is a descriptor, and 1024 is a common soft default.
void raise_file_limit(rlim_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < wanted) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

void serve(const ServeOptions& o, const std::function<void(const std::string&)>& log) {
  sigset_t stop_signals = block_stop_signals();  // first: a SIGTERM while loading waits for the drain
  auto [host, port] = parse_listen(o.listen);
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    throw Error(Exit::bad_input, core::OptionField("tls-cert"), "give both the TLS certificate and its key, or neither");
  }
  if (o.threads < 1 || o.max_connections < 1 || o.max_in_flight < 1 || o.rate <= 0 || o.burst < 1 || o.read_timeout < 1 || o.idle_timeout < 1 ||
      o.deadline <= 0 || o.drain < 0 || o.shutdown_delay < 0) {
    throw Error(Exit::bad_input, "threads, max-connections, max-in-flight, rate, burst, timeouts and deadline must be positive");
  }
  raise_file_limit(static_cast<rlim_t>(o.max_connections) + 64);
  ApiConfig config;
  config.catalog = catalog_of(o.data);
  config.catalog_digest = resolver::describe_catalog(*config.catalog)["digest"].get<std::string>();
  if (!o.signing_key.empty()) {
    config.signing_key = std::make_shared<const attest::SigningKey>(
        attest::SigningKey::load(o.signing_key, attest::passphrase_from_env(o.passphrase_env)));
  }
  config.cache_entries = o.cache_entries;
  config.deadline = o.deadline;
  config.max_abandoned = std::max(1, o.threads / 4);
  Tokens tokens = o.tokens.empty() ? Tokens() : Tokens::read(o.tokens);
  Api api(config);
  Metrics metrics;
  RateLimiter limiter(o.rate, o.burst);
  std::atomic<bool> draining{false};  // after SIGTERM: not ready
  std::atomic<bool> closing{false};   // after the shutdown delay: no longer accepting
  const std::string openapi(openapi_data::files().front().bytes);

  const ConnectionLimits limits{std::chrono::milliseconds(o.read_timeout * 1000),
                                std::chrono::milliseconds(o.idle_timeout * 1000),
                                std::chrono::milliseconds(o.read_timeout * 1000), 1000};
  std::unique_ptr<httplib::Server> svr;
  auto refused = [&metrics] { metrics.reject("connections"); };
  std::function<bool(int)> raise_backlog;
  std::function<void(httplib::TaskQueue*)> use_queue;
  std::function<void()> stop_idle;
  std::function<std::pair<double, double>()> connections;  // open, idle
  auto keep = [&](auto server) {
    auto* p = server.get();
    raise_backlog = [p](int n) { return p->raise_backlog(n); };
    use_queue = [p](httplib::TaskQueue* q) { p->use_queue(q); };
    stop_idle = [p] { p->stop_idle(); };
    connections = [p] { return std::pair<double, double>(p->open_connections(), static_cast<double>(p->idle_connections())); };
    svr = std::move(server);
  };
  if (!o.tls_cert.empty()) {
    keep(std::make_unique<DeadlineServer<httplib::SSLServer>>(limits, o.max_connections, refused, o.tls_cert.c_str(),
                                                              o.tls_key.c_str()));
  } else {
    keep(std::make_unique<DeadlineServer<httplib::Server>>(limits, o.max_connections, refused));
  }
  if (!svr->is_valid()) {
    throw Error(Exit::bad_input, core::OptionField("tls-cert", o.tls_cert), "cannot load the TLS certificate and key");
  }
  svr->new_task_queue = [&] {
    auto* pool = new Pool(
        static_cast<size_t>(o.threads),
        [&metrics] {
          if (t_counted) {  // a connection that ended inside a request (client gone mid-upload)
            t_counted = false;
            --metrics.in_flight();
          }
        },
        stop_idle);
    use_queue(pool);
    return pool;
  };
  svr->set_read_timeout(o.read_timeout, 0);
  svr->set_write_timeout(o.read_timeout, 0);
  svr->set_keep_alive_timeout(o.idle_timeout);
  svr->set_keep_alive_max_count(1000);
  svr->set_payload_max_length(o.max_body);
  svr->set_tcp_nodelay(true);

  svr->set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) -> httplib::Server::HandlerResponse {
    if (t_counted) {  // the last request on this worker ended without reaching the logger
      t_counted = false;
      --metrics.in_flight();
    }
    std::string id = request_id();
    res.set_header("X-Request-Id", id);
    auto refuse = [&](int status, const std::string& reason, const std::string& detail, int retry) {
      metrics.reject(reason);
      Request r;
      r.path = req.path;
      r.request_id = id;
      Response p = problem(status, detail, r, status == 401 ? 2 : 5);
      if (retry > 0) {
        p.headers["Retry-After"] = std::to_string(retry);
      }
      send(p, res);
      return httplib::Server::HandlerResponse::Handled;
    };
    if (open_path(req.path)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    std::string token = bearer(req);
    if (tokens.enabled() && !tokens.accepts(token)) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"galley\"");
      return refuse(401, "token", token.empty() ? "a bearer token is required" : "the bearer token is not accepted", 0);
    }
    if (closing) {
      return refuse(503, "draining", "the server is shutting down", 1);
    }
    int wait = limiter.take(token.empty() ? "addr:" + req.remote_addr : "token:" + core::sha256_hex(token));
    if (wait > 0) {
      return refuse(429, "rate", "too many requests from this client", wait);
    }
    // In flight from here (its body not read yet) until the logger has seen its response.
    if (++metrics.in_flight() > static_cast<long>(o.max_in_flight)) {
      --metrics.in_flight();
      return refuse(503, "in_flight", "the server is at its limit of requests in flight", 1);
    }
    t_counted = true;
    return httplib::Server::HandlerResponse::Unhandled;
  });

  auto endpoint = [&](const httplib::Request& req, httplib::Response& res) {
    Response out = api.handle(to_request(req, res.get_header_value("X-Request-Id")));
    if (out.headers.count("Galley-Rejected") != 0) {
      metrics.reject(out.headers["Galley-Rejected"]);
      out.headers.erase("Galley-Rejected");
    }
    send(out, res);
  };
  svr->Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  svr->Get("/readyz", [&](const httplib::Request&, httplib::Response& res) {
    res.status = draining ? 503 : 200;
    res.set_content(draining ? "draining\n" : "ready\n", "text/plain");
  });
  svr->Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics.text({{"galley_recipe_cache_hits_total", static_cast<double>(api.cache_hits())},
                                  {"galley_recipe_cache_misses_total", static_cast<double>(api.cache_misses())},
                                  {"galley_work_stopped_at_deadline_total", static_cast<double>(Api::works_stopped())}},
                                 {{"galley_http_connections_open", connections().first},
                                  {"galley_http_connections_idle", connections().second}}),
                    "text/plain; version=0.0.4");
  });
  svr->Get("/openapi.json", [&](const httplib::Request&, httplib::Response& res) { res.set_content(openapi, "application/json"); });
  svr->Get(".*", endpoint);
  svr->Post(".*", endpoint);
  svr->Put(".*", endpoint);
  svr->Patch(".*", endpoint);
  svr->Delete(".*", endpoint);
  svr->set_error_handler(httplib::Server::HandlerWithResponse([&](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    // Errors httplib finds itself (a body over the limit, a malformed request): a problem too.
    if (res.status == 413) {
      metrics.reject("body");
    } else if (res.status == 431 || res.status == 414) {
      metrics.reject("headers");
    } else if (res.status == 400) {
      metrics.reject("malformed");  // a header line over httplib's 8 KiB, or not HTTP at all
      t_close = true;                // what follows on the connection cannot be trusted either
      res.set_header("Connection", "close");
    }
    Request r;
    r.path = req.path;
    r.request_id = res.get_header_value("X-Request-Id");
    if (r.request_id.empty()) {  // refused before the pre-routing handler ran
      r.request_id = request_id();
      res.set_header("X-Request-Id", r.request_id);
    }
    std::string detail = res.status == 413 ? "the request body is over the limit of " + std::to_string(o.max_body) + " bytes"
                                           : "the request could not be read";
    send(problem(res.status, detail, r, 2), res);
    return httplib::Server::HandlerResponse::Handled;
  }));
  svr->set_logger([&](const httplib::Request& req, const httplib::Response& res) {
    double seconds = std::chrono::duration<double>(Clock::now() - t_started).count();
    if (t_counted) {
      t_counted = false;
      --metrics.in_flight();
    }
    metrics.observe(route_of(req.path), res.status, seconds);
    core::Json line = {{"time", core::rfc3339(core::now_epoch())}, {"requestId", res.get_header_value("X-Request-Id")},
                       {"method", req.method}, {"path", req.path}, {"status", res.status},
                       {"durationMs", static_cast<double>(static_cast<long>(seconds * 1e6)) / 1000},
                       {"bytes", res.body.empty() ? res.content_length_ : res.body.size()}, {"client", req.remote_addr}};
    log(line.dump());
  });

  int bound = port == 0 ? svr->bind_to_any_port(host) : (svr->bind_to_port(host, port) ? port : -1);
  if (bound < 0 || !raise_backlog(1024)) {
    throw Error(Exit::io, core::OptionField("listen", o.listen), "cannot listen on " + o.listen);
  }
  std::atomic<bool> stopped{false};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    if (stopped) {
      return;
    }
    draining = true;
    log(std::string("{\"event\":\"draining\",\"signal\":\"") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
        "\",\"inFlight\":" + std::to_string(metrics.in_flight().load()) + "}");
    // Not ready but still serving for the shutdown delay (endpoints drop the pod meanwhile), then
    // stop accepting; the pool finishes the requests it holds.
    std::this_thread::sleep_for(std::chrono::duration<double>(o.shutdown_delay));
    closing = true;
    svr->stop();
    auto until = Clock::now() + std::chrono::seconds(o.drain);
    while (!stopped && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!stopped) {
      log("{\"event\":\"drain deadline passed\",\"inFlight\":" + std::to_string(metrics.in_flight().load()) + "}");
      std::_Exit(0);
    }
  });
  log(std::string("{\"event\":\"listening\",\"url\":\"") + (o.tls_cert.empty() ? "http" : "https") + "://" +
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(bound) +
      "\",\"catalog\":\"" + config.catalog_digest + "\",\"threads\":" + std::to_string(o.threads) + "}");
  svr->listen_after_bind();
  stopped = true;
  if (!draining) {
    pthread_kill(waiter.native_handle(), SIGTERM);  // listening failed: release the waiter
  }
  waiter.join();
  log("{\"event\":\"stopped\"}");
}

}  // namespace galley::server
