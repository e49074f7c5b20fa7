#pragma once
// Who may ask and how often: bearer tokens (stored as SHA-256 hashes) and per-client token buckets.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace galley::server {

// The accepted bearer tokens, as SHA-256 hashes (hex, one a line; blank lines and # comments
// skipped). Throws core::Error: not_found, bad_input naming the line of a malformed hash.
class Tokens {
 public:
  Tokens() = default;
  static Tokens read(const std::string& path);
  bool enabled() const { return !m_hashes.empty(); }
  // Whether `token` hashes to one of the accepted hashes; every hash is compared, in constant time.
  bool accepts(const std::string& token) const;

 private:
  std::vector<std::string> m_hashes;  // 64 lower-case hex characters each
};

// Per-client token buckets: `rate` tokens a second up to `burst`. Bounded: when it holds `max_clients`
// buckets, the full ones (clients that have been quiet) are dropped first.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst, std::size_t max_clients = 10000)
      : m_rate(rate), m_burst(burst), m_max_clients(max_clients) {}
  // Takes one token for `client`; 0 when allowed, else the whole seconds until one is available.
  int take(const std::string& client);

 private:
  using Clock = std::chrono::steady_clock;
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  void refill(Bucket& bucket, Clock::time_point now) const;

  double m_rate;
  double m_burst;
  std::size_t m_max_clients;
  std::mutex m_mutex;
  std::unordered_map<std::string, Bucket> m_buckets;
};

}  // namespace galley::server
