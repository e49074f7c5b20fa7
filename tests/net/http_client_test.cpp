// The HTTP client against a small HTTP/1.1 server on 127.0.0.1, run by a thread of this test. Each
// path answers one way (see LoopbackServer::answer); every answer closes its connection.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "net/http_client.hpp"

using namespace galley;

namespace {

class LoopbackServer {
 public:
  LoopbackServer() {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(m_listen, 16) != 0 ||
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    m_base = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    m_thread = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    m_stop = true;
    ::shutdown(m_listen, SHUT_RDWR);
    m_thread.join();
    ::close(m_listen);
    for (int fd : m_held) {
      ::close(fd);
    }
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::string url(const std::string& path) const { return m_base + path; }

 private:
  void serve() {
    while (!m_stop) {
      int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        continue;  // shut down (m_stop is set) or interrupted
      }
      if (answer(fd)) {
        ::close(fd);
      } else {
        m_held.push_back(fd);
      }
    }
  }

  static std::string read_request(int fd) {
    std::string in;
    char buf[4096];
    size_t head_end = std::string::npos;
    size_t want = 0;
    for (;;) {
      if (head_end == std::string::npos && (head_end = in.find("\r\n\r\n")) != std::string::npos) {
        std::string head = in.substr(0, head_end);
        for (auto& c : head) {
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        size_t cl = head.find("content-length:");
        want = head_end + 4 + (cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15)));
      }
      if (head_end != std::string::npos && in.size() >= want) {
        return in;
      }
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        return in;
      }
      in.append(buf, static_cast<size_t>(n));
    }
  }

  static void write_all(int fd, const std::string& bytes) {
    for (size_t done = 0; done < bytes.size();) {
      ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) {
        return;
      }
      done += static_cast<size_t>(n);
    }
  }

  static std::string reply(const std::string& status, const std::string& body, const std::string& headers = "") {
    return "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
           headers + "\r\n" + body;
  }

  // Answers one request; false when the connection is to be held open (a server that stalls).
  bool answer(int fd) {
    std::string request = read_request(fd);
    std::string line = request.substr(0, request.find("\r\n"));
    std::string method = line.substr(0, line.find(' '));
    std::string path = line.substr(method.size() + 1, line.rfind(' ') - method.size() - 1);
    std::string body = request.substr(std::min(request.size(), request.find("\r\n\r\n") + 4));
    std::string head = request.substr(0, request.find("\r\n\r\n") + 2);
    if (path.starts_with("/status/")) {
      write_all(fd, reply(path.substr(8) + " Some Reason", "status body"));
    } else if (path == "/echo") {  // the method, the request's header lines, then its body
      write_all(fd, reply("200 OK", method + "\n" + head + body, "X-Method: " + method + "\r\n"));
    } else if (path.starts_with("/bytes/")) {
      write_all(fd, reply("200 OK", std::string(std::stoul(path.substr(7)), 'x')));
    } else if (path == "/headers") {
      write_all(fd, reply("200 OK", "", "X-One: a\r\nX-TWO:   spaced value  \r\n"));
    } else if (path == "/redirect") {
      write_all(fd, reply("302 Found", "moved", "Location: /echo\r\n"));
    } else if (path == "/cut") {
      write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly ten b");
    } else if (path == "/chunked") {
      write_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n");
    } else if (path == "/stall") {
      write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
      return false;
    } else {
      write_all(fd, reply("404 Not Found", ""));
    }
    return true;
  }

  int m_listen = -1;
  std::string m_base;
  std::atomic<bool> m_stop{false};
  std::vector<int> m_held;
  std::thread m_thread;
};

net::Request get(const std::string& url) {
  net::Request r;
  r.url = url;
  return r;
}

}  // namespace

TEST_CASE("the client returns every status with its status line, body and headers", "[net][http]") {
  LoopbackServer server;
  net::Client client;
  for (long status : {200L, 204L, 401L, 404L, 500L, 503L}) {
    net::Response r = client.send(get(server.url("/status/" + std::to_string(status))));
    CHECK(r.status == status);
    CHECK(r.status_line == "HTTP/1.1 " + std::to_string(status) + " Some Reason");
    if (status != 204) {
      CHECK(r.body == "status body");
    }
  }
  net::Response h = client.send(get(server.url("/headers")));
  CHECK(h.header("x-one") == "a");
  CHECK(h.header("x-two") == "spaced value");  // lowercased name, trimmed value
  CHECK(h.header("content-length") == "0");
  CHECK(h.header("absent") == "");
  CHECK(client.send(get(server.url("/chunked"))).body == "abcdef");
}

TEST_CASE("methods, request headers and bodies reach the server as given", "[net][http]") {
  LoopbackServer server;
  net::Client client;
  net::Request post = get(server.url("/echo"));
  post.method = "POST";
  post.body = "the query";
  post.headers = {"Content-Type: application/timestamp-query", "Authorization: Bearer t0k"};
  net::Response r = client.send(post);
  CHECK(r.status == 200);
  CHECK(r.body.starts_with("POST\nPOST /echo HTTP/1.1\r\n"));
  CHECK(r.body.find("\r\nContent-Type: application/timestamp-query\r\n") != std::string::npos);
  CHECK(r.body.find("\r\nAuthorization: Bearer t0k\r\n") != std::string::npos);
  CHECK(r.body.find("\r\nUser-Agent: galley/") != std::string::npos);
  CHECK(r.body.find("Expect:") == std::string::npos);
  CHECK(r.body.ends_with("\r\nthe query"));

  net::Request put = get(server.url("/echo"));
  put.method = "PUT";
  std::string big(5000, 'b');
  put.body = big;
  net::Response p = client.send(put);
  CHECK(p.body.starts_with("PUT\n"));
  CHECK(p.body.ends_with("\r\n" + big));

  net::Request empty_post = get(server.url("/echo"));
  empty_post.method = "POST";
  CHECK(client.send(empty_post).body.find("Content-Length: 0\r\n") != std::string::npos);

  net::Request head = get(server.url("/echo"));
  head.method = "HEAD";
  net::Response hr = client.send(head);
  CHECK(hr.status == 200);
  CHECK(hr.header("x-method") == "HEAD");
  CHECK(hr.body.empty());
}

TEST_CASE("redirects are followed only when asked", "[net][http]") {
  LoopbackServer server;
  net::Client client;
  net::Request req = get(server.url("/redirect"));
  net::Response stay = client.send(req);
  CHECK(stay.status == 302);
  CHECK(stay.header("location") == "/echo");
  req.follow_redirects = true;
  net::Response moved = client.send(req);
  CHECK(moved.status == 200);
  CHECK(moved.body.starts_with("GET\n"));
  CHECK(moved.header("location") == "");  // the headers are the last response's
}

TEST_CASE("a body over the limit is bad input; exactly the limit is fine", "[net][http]") {
  LoopbackServer server;
  net::Client client;
  net::Request req = get(server.url("/bytes/1000"));
  req.limits.max_body = 1000;
  CHECK(client.send(req).body.size() == 1000);
  req.limits.max_body = 999;
  try {
    client.send(req);
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::bad_input);
    CHECK(std::string(e.what()) == req.url + ": the response is larger than the limit of 999 bytes");
  }
}

TEST_CASE("no complete response is a TransferError saying whether to try again", "[net][http]") {
  LoopbackServer server;
  net::Client client;
  auto failure = [&](const net::Request& req) -> std::optional<net::TransferError> {
    try {
      client.send(req);
    } catch (const net::TransferError& e) {
      return e;
    }
    return std::nullopt;
  };
  auto cut = failure(get(server.url("/cut")));
  REQUIRE(cut);
  CHECK(cut->exit() == core::Exit::io);
  CHECK(cut->transient());
  CHECK(cut->detail().starts_with("the reply was cut short: "));
  CHECK(std::string(cut->what()).starts_with(server.url("/cut") + ": the reply was cut short: "));

  auto refused = failure(get("http://127.0.0.1:1/x"));
  REQUIRE(refused);
  CHECK(refused->transient());
  CHECK(refused->detail().starts_with("cannot connect: "));

  net::Request stall = get(server.url("/stall"));
  stall.limits.stall_seconds = 1;
  auto stalled = failure(stall);
  REQUIRE(stalled);
  CHECK(stalled->transient());
  CHECK(stalled->detail().starts_with("timed out: "));

  auto scheme = failure(get("ftp://127.0.0.1/x"));
  REQUIRE(scheme);
  CHECK_FALSE(scheme->transient());
}
