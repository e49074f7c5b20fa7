#include "server/internal/connection.hpp"

#include <poll.h>

#include <algorithm>

namespace galley::server {

namespace {
bool wait_for(int fd, short events, std::chrono::milliseconds wait) {
  pollfd p{fd, events, 0};
  int ms = static_cast<int>(std::max<long long>(0, wait.count()));
  int n = 0;
  do {
    n = ::poll(&p, 1, ms);
  } while (n < 0 && errno == EINTR);
  return n > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}
}  // namespace

bool wait_readable(int fd, std::chrono::milliseconds wait) { return wait_for(fd, POLLIN, wait); }
bool wait_writable(int fd, std::chrono::milliseconds wait) { return wait_for(fd, POLLOUT, wait); }

std::chrono::milliseconds read_allowance(std::chrono::steady_clock::time_point began,
                                         std::chrono::steady_clock::time_point now,
                                         std::chrono::milliseconds request) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(began + request - now);
  return std::max(std::chrono::milliseconds(0), left);
}

}  // namespace galley::server
