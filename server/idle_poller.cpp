#include "server/internal/idle_poller.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace galley::server {

namespace {
using Clock = std::chrono::steady_clock;
constexpr int k_sweep_ms = 200;  // how often idle connections past their limit are looked for
}  // namespace

IdlePoller::IdlePoller(std::chrono::milliseconds idle, Ready ready) : m_idle(idle), m_ready(std::move(ready)) {
  m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
  m_wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.fd = m_wake;
  if (m_epoll < 0 || m_wake < 0 || ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &wake) != 0) {
    std::string why = std::strerror(errno);
    if (m_epoll >= 0) {
      ::close(m_epoll);
    }
    if (m_wake >= 0) {
      ::close(m_wake);
    }
    throw core::Error(core::Exit::io, "cannot set up the idle connection poller: " + why);
  }
  m_thread = std::thread([this] { run(); });
}

IdlePoller::~IdlePoller() {
  stop();
  ::close(m_epoll);
  ::close(m_wake);
}

void IdlePoller::add(std::unique_ptr<IdleConnection> connection) {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_stopped) {
    return;  // closed as it goes out of scope
  }
  int fd = connection->fd();
  epoll_event e{};
  e.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
  e.data.fd = fd;
  if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &e) != 0) {
    return;  // cannot be watched: closed rather than held forever
  }
  m_held[fd] = Held{std::move(connection), Clock::now() + m_idle};
}

void IdlePoller::stop() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_stopped) {
      return;
    }
    m_stopped = true;
  }
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(m_wake, &one, sizeof one);
  if (m_thread.joinable()) {
    m_thread.join();
  }
  std::lock_guard<std::mutex> lock(m_mutex);
  m_held.clear();  // closes each
}

std::size_t IdlePoller::size() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_held.size();
}

void IdlePoller::drop_expired(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(m_mutex);
  for (auto it = m_held.begin(); it != m_held.end();) {
    if (it->second.until <= now) {
      ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, it->first, nullptr);
      it = m_held.erase(it);  // closes it
    } else {
      ++it;
    }
  }
}

void IdlePoller::run() {
  std::vector<epoll_event> events(256);
  auto last_sweep = Clock::now();
  for (;;) {
    int n = ::epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()), k_sweep_ms);
    if (n < 0 && errno != EINTR) {
      return;
    }
    std::vector<std::unique_ptr<IdleConnection>> ready;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (m_stopped) {
        return;
      }
      for (int i = 0; i < n; ++i) {
        auto it = m_held.find(events[i].data.fd);
        if (it == m_held.end()) {
          continue;  // the wake-up eventfd
        }
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, it->first, nullptr);
        ready.push_back(std::move(it->second.connection));
        m_held.erase(it);
      }
    }
    for (auto& c : ready) {
      m_ready(std::move(c));
    }
    auto now = Clock::now();
    if (now - last_sweep >= std::chrono::milliseconds(k_sweep_ms)) {
      drop_expired(now);
      last_sweep = now;
    }
  }
}

}  // namespace galley::server
