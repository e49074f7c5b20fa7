#include "server/internal/guard.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"

namespace galley::server {

Tokens Tokens::read(const std::string& path) {
  Tokens tokens;
  std::string text = core::read_file(path, 1u << 20);
  int number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = core::trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    start = end == std::string::npos ? text.size() : end + 1;
    ++number;
    if (line.empty() || line[0] == '#') {
      continue;
    }
    line = core::to_lower(line);
    if (line.size() != 64 || line.find_first_not_of("0123456789abcdef") != std::string::npos) {
      throw core::Error(core::Exit::bad_input, core::Where{path, number, ""},
                        "expected the SHA-256 of a token as 64 hex characters (e.g. printf %s TOKEN | sha256sum)");
    }
    tokens.m_hashes.push_back(line);
  }
  if (tokens.m_hashes.empty()) {
    throw core::Error(core::Exit::bad_input, core::Where{path, 0, ""}, "no token hashes: the server would refuse everyone");
  }
  return tokens;
}

bool Tokens::accepts(const std::string& token) const {
  std::string hash = core::sha256_hex(token);
  bool found = false;
  for (const auto& h : m_hashes) {  // every hash, every byte: no early exit to time
    unsigned char diff = 0;
    for (size_t i = 0; i < h.size(); ++i) {
      diff |= static_cast<unsigned char>(h[i] ^ hash[i]);
    }
    found |= diff == 0;
  }
  return found;
}

void RateLimiter::refill(Bucket& bucket, Clock::time_point now) const {
  double seconds = std::chrono::duration<double>(now - bucket.at).count();
  bucket.tokens = std::min(m_burst, bucket.tokens + seconds * m_rate);
  bucket.at = now;
}

int RateLimiter::take(const std::string& client) {
  auto now = Clock::now();
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_buckets.size() >= m_max_clients && m_buckets.count(client) == 0) {
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
      refill(it->second, now);
      it = it->second.tokens >= m_burst ? m_buckets.erase(it) : std::next(it);
    }
    if (m_buckets.size() >= m_max_clients) {
      return 1;  // every tracked client is busy: refuse the new one rather than grow without bound
    }
  }
  auto [it, added] = m_buckets.try_emplace(client, Bucket{m_burst, now});
  refill(it->second, now);
  if (it->second.tokens >= 1) {
    it->second.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - it->second.tokens) / m_rate)));
}

}  // namespace galley::server
