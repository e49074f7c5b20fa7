#include "server/internal/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace galley::server {

namespace {
std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

Metrics::Metrics() {
  for (const char* reason : {"body", "headers", "malformed", "in_flight", "rate", "token", "deadline", "draining"}) {
    m_rejections[reason] = 0;
  }
}

const std::vector<double>& Metrics::bounds() {
  static const std::vector<double> b = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return b;
}

void Metrics::observe(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(m_mutex);
  ++m_requests[{route, status}];
  auto& buckets = m_buckets[route];
  buckets.resize(bounds().size() + 1, 0);
  for (size_t i = 0; i < bounds().size(); ++i) {
    if (seconds <= bounds()[i]) {
      ++buckets[i];
    }
  }
  ++buckets.back();
  m_sums[route] += seconds;
}

void Metrics::reject(const std::string& reason) {
  std::lock_guard<std::mutex> lock(m_mutex);
  ++m_rejections[reason];
}

std::string Metrics::text(const std::vector<std::pair<std::string, double>>& extra_counters,
                          const std::vector<std::pair<std::string, double>>& extra_gauges) const {
  std::lock_guard<std::mutex> lock(m_mutex);
  std::ostringstream out;
  out << "# HELP galley_http_requests_total Requests answered, by route and status code.\n"
      << "# TYPE galley_http_requests_total counter\n";
  for (const auto& [key, n] : m_requests) {
    out << "galley_http_requests_total{route=\"" << key.first << "\",code=\"" << key.second << "\"} " << n << '\n';
  }
  out << "# HELP galley_http_request_duration_seconds Time from the request read to the response made.\n"
      << "# TYPE galley_http_request_duration_seconds histogram\n";
  for (const auto& [route, buckets] : m_buckets) {
    for (size_t i = 0; i < bounds().size(); ++i) {
      out << "galley_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << number(bounds()[i])
          << "\"} " << buckets[i] << '\n';
    }
    out << "galley_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << buckets.back() << '\n';
    out << "galley_http_request_duration_seconds_sum{route=\"" << route << "\"} " << number(m_sums.at(route)) << '\n';
    out << "galley_http_request_duration_seconds_count{route=\"" << route << "\"} " << buckets.back() << '\n';
  }
  out << "# HELP galley_http_in_flight Requests being handled now.\n# TYPE galley_http_in_flight gauge\n"
      << "galley_http_in_flight " << m_in_flight.load() << '\n';
  out << "# HELP galley_http_rejections_total Requests refused by a limit, by reason.\n"
      << "# TYPE galley_http_rejections_total counter\n";
  for (const auto& [reason, n] : m_rejections) {
    out << "galley_http_rejections_total{reason=\"" << reason << "\"} " << n << '\n';
  }
  for (const auto& [name, v] : extra_counters) {
    out << "# TYPE " << name << " counter\n" << name << ' ' << number(v) << '\n';
  }
  for (const auto& [name, v] : extra_gauges) {
    out << "# TYPE " << name << " gauge\n" << name << ' ' << number(v) << '\n';
  }
  return out.str();
}

}  // namespace galley::server
