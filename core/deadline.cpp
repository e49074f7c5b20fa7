#include "core/deadline.hpp"

#include "core/error.hpp"

namespace galley::core {

namespace {
using Clock = std::chrono::steady_clock;
thread_local bool t_has_deadline = false;
thread_local Clock::time_point t_deadline;
thread_local bool t_stopped = false;
}  // namespace

ThreadDeadline::ThreadDeadline(Clock::time_point at)
    : m_before(t_deadline), m_had_before(t_has_deadline), m_stopped_before(t_stopped) {
  t_has_deadline = true;
  t_deadline = at;
  t_stopped = false;
}

ThreadDeadline::~ThreadDeadline() {
  t_has_deadline = m_had_before;
  t_deadline = m_before;
  t_stopped = m_stopped_before;
}

bool ThreadDeadline::stopped() const { return t_stopped; }

void check_deadline() {
  if (t_has_deadline && Clock::now() >= t_deadline) {
    t_stopped = true;
    throw Error(Exit::io, "stopped: the work ran past its deadline");
  }
}

}  // namespace galley::core
