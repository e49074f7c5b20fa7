#pragma once
// Kept-alive connections waiting for their next request, held by one epoll thread instead of a
// worker each: a worker serves a connection only while it has a request to read or answer, so
// idle clients (or a client opening many connections and sending nothing) cannot take the pool.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace galley::server {

// A connection the poller can hold: closing it is its destructor's work.
class IdleConnection {
 public:
  virtual ~IdleConnection() = default;
  virtual int fd() const = 0;
};

class IdlePoller {
 public:
  using Ready = std::function<void(std::unique_ptr<IdleConnection>)>;
  // `ready` gets each connection that became readable (or was closed by its peer); a connection
  // idle for `idle` is dropped (closed). Throws core::Error(io) when epoll cannot be set up.
  IdlePoller(std::chrono::milliseconds idle, Ready ready);
  ~IdlePoller();
  IdlePoller(const IdlePoller&) = delete;
  IdlePoller& operator=(const IdlePoller&) = delete;

  // Holds `connection` until it is readable or idle too long. After stop(), closes it at once.
  void add(std::unique_ptr<IdleConnection> connection);
  // Closes every connection held and ends the thread; later add()s close theirs. Never throws.
  void stop();
  // Connections held now.
  std::size_t size() const;

 private:
  struct Held {
    std::unique_ptr<IdleConnection> connection;
    std::chrono::steady_clock::time_point until;
  };
  void run();
  void drop_expired(std::chrono::steady_clock::time_point now);

  std::chrono::milliseconds m_idle;
  Ready m_ready;
  int m_epoll = -1;
  int m_wake = -1;  // an eventfd: stop() wakes the thread through it
  mutable std::mutex m_mutex;
  bool m_stopped = false;
  std::unordered_map<int, Held> m_held;  // by file descriptor
  std::thread m_thread;
};

}  // namespace galley::server
