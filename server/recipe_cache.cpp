#include "server/internal/recipe_cache.hpp"

namespace galley::server {

std::string cache_key(const std::string& catalog_digest, const std::map<std::string, std::string>& fields,
                      const std::string& nodes, bool allow_partial) {
  std::string key = catalog_digest;
  for (const auto& [k, v] : fields) {  // std::map: sorted
    key += "|" + k + "=" + v;
  }
  return key + "|nodes=" + nodes + "|partial=" + (allow_partial ? "1" : "0");
}

std::shared_ptr<const CachedRecipe> RecipeCache::get(const std::string& key,
                                                     const std::function<std::shared_ptr<const CachedRecipe>()>& make) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_slots.find(key);
    if (it != m_slots.end()) {
      ++m_hits;
      m_order.splice(m_order.begin(), m_order, it->second.at);
      return it->second.value;
    }
    ++m_misses;
  }
  auto value = make();  // two requests for one new key may both resolve; the result is the same
  if (m_capacity == 0) {
    return value;
  }
  std::lock_guard<std::mutex> lock(m_mutex);
  auto it = m_slots.find(key);
  if (it != m_slots.end()) {
    return it->second.value;
  }
  m_order.push_front(key);
  m_slots.emplace(key, Slot{value, m_order.begin()});
  if (m_slots.size() > m_capacity) {
    m_slots.erase(m_order.back());
    m_order.pop_back();
  }
  return value;
}

}  // namespace galley::server
