#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/internal/idle_poller.hpp"

using namespace galley::server;
using namespace std::chrono_literals;

namespace {

// One end of a socket pair; counts its closes.
class End : public IdleConnection {
 public:
  End(int fd, std::atomic<int>& closed) : m_fd(fd), m_closed(closed) {}
  ~End() override {
    ::close(m_fd);
    ++m_closed;
  }
  int fd() const override { return m_fd; }

 private:
  int m_fd;
  std::atomic<int>& m_closed;
};

struct Pair {
  int held = -1;
  int peer = -1;
  Pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    held = fds[0];
    peer = fds[1];
  }
  ~Pair() { ::close(peer); }
};

// Collects what the poller hands back.
struct Handed {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::unique_ptr<IdleConnection>> got;
  IdlePoller::Ready ready() {
    return [this](std::unique_ptr<IdleConnection> c) {
      std::lock_guard<std::mutex> lock(mutex);
      got.push_back(std::move(c));
      cv.notify_all();
    };
  }
  bool wait_for(std::size_t n, std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, limit, [&] { return got.size() >= n; });
  }
};

}  // namespace

TEST_CASE("a held connection comes back once its next request begins to arrive") {
  std::atomic<int> closed{0};
  Handed handed;
  IdlePoller poller(10s, handed.ready());
  Pair a;
  Pair b;
  poller.add(std::make_unique<End>(a.held, closed));
  poller.add(std::make_unique<End>(b.held, closed));
  CHECK(poller.size() == 2);
  REQUIRE(::write(b.peer, "G", 1) == 1);
  REQUIRE(handed.wait_for(1, 5s));
  CHECK(handed.got.front()->fd() == b.held);
  CHECK(poller.size() == 1);
  CHECK(closed == 0);
}

TEST_CASE("a peer that hangs up comes back too (the worker reads its end)") {
  std::atomic<int> closed{0};
  Handed handed;
  IdlePoller poller(10s, handed.ready());
  auto* p = new Pair;
  int held = p->held;
  poller.add(std::make_unique<End>(held, closed));
  delete p;  // closes the peer
  REQUIRE(handed.wait_for(1, 5s));
  CHECK(handed.got.front()->fd() == held);
}

TEST_CASE("a connection idle past the limit is closed, and stop closes the rest and every later one") {
  std::atomic<int> closed{0};
  Handed handed;
  IdlePoller poller(100ms, handed.ready());
  Pair a;
  poller.add(std::make_unique<End>(a.held, closed));
  for (int i = 0; i < 100 && closed == 0; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  CHECK(closed == 1);
  CHECK(poller.size() == 0);

  IdlePoller second(10s, handed.ready());
  Pair b;
  Pair c;
  second.add(std::make_unique<End>(b.held, closed));
  second.stop();
  CHECK(closed == 2);
  second.add(std::make_unique<End>(c.held, closed));
  CHECK(closed == 3);
  CHECK(handed.got.empty());
}
