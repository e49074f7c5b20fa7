#pragma once
// Limits on one connection that httplib 0.11 does not give: a whole-request read deadline (a client
// that dribbles a request byte by byte is cut off when it runs out) and the keep-alive idle limit.
#include <chrono>

namespace galley::server {

struct ConnectionLimits {
  std::chrono::milliseconds request;  // from a request's first byte to its last (line, headers, body)
  std::chrono::milliseconds idle;     // between requests on a kept-alive connection
  std::chrono::milliseconds write;    // for each write to make progress
  int max_requests = 1000;            // on one connection
};

// Poll-based wait: whether `fd` became readable (or writable) within `wait`. Never throws.
bool wait_readable(int fd, std::chrono::milliseconds wait);
bool wait_writable(int fd, std::chrono::milliseconds wait);

// What the request deadline allows a read at `now` to wait, given when the request began (0 = the
// deadline passed and the read must fail).
std::chrono::milliseconds read_allowance(std::chrono::steady_clock::time_point began,
                                         std::chrono::steady_clock::time_point now,
                                         std::chrono::milliseconds request);

}  // namespace galley::server
