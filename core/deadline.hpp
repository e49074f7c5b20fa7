#pragma once
// A deadline for the work on one thread. A server sets one for a request it has stopped waiting
// for; long loops in the libraries call check_deadline(), so work past its deadline stops at the
// next such point instead of running on unobserved. Threads without a deadline are never stopped.
#include <chrono>

namespace galley::core {

// Sets this thread's deadline for as long as it lives (restoring the one before when it goes).
class ThreadDeadline {
 public:
  explicit ThreadDeadline(std::chrono::steady_clock::time_point at);
  ~ThreadDeadline();
  ThreadDeadline(const ThreadDeadline&) = delete;
  ThreadDeadline& operator=(const ThreadDeadline&) = delete;
  // Whether check_deadline() has stopped work on this thread under this deadline.
  bool stopped() const;

 private:
  std::chrono::steady_clock::time_point m_before;
  bool m_had_before;
  bool m_stopped_before;
};

// Throws core::Error (io: "stopped: past the deadline") when this thread has a deadline and it has
// passed; otherwise returns at once.
void check_deadline();

}  // namespace galley::core
