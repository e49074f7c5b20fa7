#pragma once
// The server's counters in the Prometheus text exposition format (version 0.0.4).
#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace galley::server {

class Metrics {
 public:
  Metrics();
  // One answered request: its route template, status code and time taken.
  void observe(const std::string& route, int status, double seconds);
  // One request refused before it reached an endpoint ("body", "headers", "malformed",
  // "in_flight", "rate", "token", "deadline", "draining").
  void reject(const std::string& reason);
  std::atomic<long>& in_flight() { return m_in_flight; }
  // The exposition text; `extra_counters` and `extra_gauges` (name, value) are added at the end.
  std::string text(const std::vector<std::pair<std::string, double>>& extra_counters,
                   const std::vector<std::pair<std::string, double>>& extra_gauges = {}) const;

 private:
  static const std::vector<double>& bounds();
  mutable std::mutex m_mutex;
  std::map<std::pair<std::string, int>, unsigned long> m_requests;
  std::map<std::string, std::vector<unsigned long>> m_buckets;  // route -> cumulative per bound, +Inf last
  std::map<std::string, double> m_sums;
  std::map<std::string, unsigned long> m_rejections;
  std::atomic<long> m_in_flight{0};
};

}  // namespace galley::server
