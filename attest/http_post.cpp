// The one network call Galley makes: an HTTP/1.0 POST of a timestamp query to a TSA. Plain HTTP
// is what TSAs serve (the response is signed; transport security adds nothing to it), and one
// request with Connection: close needs no client library: a socket, a write, a read to EOF, then
// the body by Content-Length or, from a server that chunks anyway, de-chunked.
// Why not cpp-httplib: Debian ships it as a shared library linked to the shared libssl, libcrypto,
// zlib and brotli, while galley links libcrypto statically to start fast (see CMakeLists.txt);
// loading a second libcrypto and four more libraries for one POST costs more than these lines.
#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "attest/internal.hpp"
#include "core/error.hpp"

namespace galley::attest {

using core::Error;
using core::Exit;

namespace {

constexpr size_t k_max_response = 1u << 20;

struct Url {
  std::string host;
  std::string port = "80";
  std::string path = "/";
};

Url parse_url(const std::string& url) {
  if (!url.starts_with("http://")) {
    throw Error(Exit::bad_input, core::Where{"", 0, "--tsa-url"}, "\"" + url + "\": only http:// URLs are supported");
  }
  Url out;
  std::string rest = url.substr(7);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string::npos) {
    throw Error(Exit::bad_input, core::Where{"", 0, "--tsa-url"}, "\"" + url + "\": credentials in the URL are not supported");
  }
  size_t colon = authority.rfind(':');
  if (authority.starts_with("[")) {  // [IPv6]:port
    size_t close = authority.find(']');
    colon = close != std::string::npos && close + 1 < authority.size() && authority[close + 1] == ':' ? close + 1 : std::string::npos;
    out.host = authority.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  } else {
    out.host = authority.substr(0, colon);
  }
  if (colon != std::string::npos) {
    out.port = authority.substr(colon + 1);
  }
  if (out.host.empty() || out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos) {
    throw Error(Exit::bad_input, core::Where{"", 0, "--tsa-url"}, "\"" + url + "\" names no host");
  }
  return out;
}

int connect_to(const Url& url, const std::string& text) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &found); rc != 0) {
    throw Error(Exit::io, core::Where{text, 0, ""}, std::string("cannot resolve: ") + ::gai_strerror(rc));
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      continue;
    }
    timeval timeout{30, 0};  // connect, send and each read; a TSA that hangs fails the command
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  int saved = errno;
  ::freeaddrinfo(found);
  if (fd < 0) {
    throw Error(Exit::io, core::Where{text, 0, ""}, std::string("cannot connect: ") + std::strerror(saved));
  }
  return fd;
}

std::string exchange(int fd, const std::string& request, const std::string& text) {
  for (size_t done = 0; done < request.size();) {
    ssize_t n = ::send(fd, request.data() + done, request.size() - done, MSG_NOSIGNAL);
    if (n <= 0 && errno != EINTR) {
      throw Error(Exit::io, core::Where{text, 0, ""}, std::string("cannot send: ") + std::strerror(errno));
    }
    done += n > 0 ? static_cast<size_t>(n) : 0;
  }
  std::string reply;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw Error(Exit::io, core::Where{text, 0, ""}, std::string("cannot read the reply: ") + std::strerror(errno));
    }
    if (n == 0) {
      return reply;
    }
    reply.append(buf, static_cast<size_t>(n));
    if (reply.size() > k_max_response) {
      throw Error(Exit::io, core::Where{text, 0, ""}, "the reply is larger than 1 MiB");
    }
  }
}

std::string lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return s;
}

// The value of header `name` (lowercase) in `head`, or nullopt.
std::optional<std::string> header(const std::string& head, const std::string& name) {
  size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string::npos) {
    pos += 2;
    size_t end = head.find("\r\n", pos);
    std::string line = head.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos && lower(line.substr(0, colon)) == name) {
      size_t start = line.find_first_not_of(" \t", colon + 1);
      return start == std::string::npos ? "" : line.substr(start);
    }
  }
  return std::nullopt;
}

// RFC 9112 section 7.1: hex size lines, each chunk followed by CRLF, a zero chunk at the end.
std::optional<std::string> dechunk(const std::string& body) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t eol = body.find("\r\n", pos);
    if (eol == std::string::npos) {
      return std::nullopt;
    }
    std::string size_text = body.substr(pos, eol - pos);
    size_text = size_text.substr(0, size_text.find(';'));  // chunk extensions
    if (size_text.empty() || size_text.size() > 8 || size_text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      return std::nullopt;
    }
    size_t size = std::stoul(size_text, nullptr, 16);
    if (size == 0) {
      return out;
    }
    if (eol + 2 + size + 2 > body.size() || body.compare(eol + 2 + size, 2, "\r\n") != 0) {
      return std::nullopt;
    }
    out.append(body, eol + 2, size);
    pos = eol + 2 + size + 2;
  }
}

}  // namespace

std::string http_post(const std::string& url, const std::string& content_type, const std::string& body) {
  Url u = parse_url(url);
  std::string request = "POST " + u.path + " HTTP/1.0\r\nHost: " + u.host + "\r\nContent-Type: " + content_type +
                        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  int fd = connect_to(u, url);
  std::string reply;
  try {
    reply = exchange(fd, request, url);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  size_t head_end = reply.find("\r\n\r\n");
  size_t line_end = reply.find("\r\n");
  if (head_end == std::string::npos || !reply.starts_with("HTTP/1.")) {
    throw Error(Exit::io, core::Where{url, 0, ""}, "the reply is not HTTP");
  }
  std::string status = reply.substr(0, line_end);
  if (status.size() < 12 || status.compare(9, 3, "200") != 0) {
    throw Error(Exit::io, core::Where{url, 0, ""}, "the TSA answered \"" + status + "\"");
  }
  std::string head = reply.substr(0, head_end);
  std::string payload = reply.substr(head_end + 4);
  if (auto te = header(head, "transfer-encoding"); te && lower(*te) != "identity") {
    auto plain = lower(*te) == "chunked" ? dechunk(payload) : std::nullopt;
    if (!plain) {
      throw Error(Exit::io, core::Where{url, 0, ""}, "the reply's transfer encoding \"" + *te + "\" is unsupported or broken");
    }
    return *plain;
  }
  if (auto length = header(head, "content-length")) {
    if (length->empty() || length->find_first_not_of("0123456789") != std::string::npos || length->size() > 9 ||
        std::stoul(*length) != payload.size()) {
      throw Error(Exit::io, core::Where{url, 0, ""},
                  "the reply was cut short: Content-Length " + *length + ", " + std::to_string(payload.size()) + " bytes received");
    }
  }
  return payload;
}

}  // namespace galley::attest
