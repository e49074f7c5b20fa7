#pragma once
// A bounded LRU cache of resolved recipes, keyed by canonical criteria and catalog digest.
#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/document.hpp"

namespace galley::server {

// A resolved recipe's renderings, made once and shared by every request that asks for it. Only the
// texts are kept (~160 KB for a large recipe; its parsed tree would be ~3 times that): query and
// explain parse `json` again.
struct CachedRecipe {
  std::string digest;  // metadata.digest, the ETag
  std::string json;    // as `galley recipe --format json` prints it
  std::string yaml;    // as `galley recipe` prints it
};

// The cache key of criteria fields, node count and the partial flag under a catalog digest:
// "digest|k=v|k=v|nodes=N|partial=1", keys sorted.
std::string cache_key(const std::string& catalog_digest, const std::map<std::string, std::string>& fields,
                      const std::string& nodes, bool allow_partial);

class RecipeCache {
 public:
  explicit RecipeCache(std::size_t capacity) : m_capacity(capacity) {}
  // The entry under `key`, made by `make` when absent (outside the lock; what it throws passes
  // through and nothing is kept). The least recently used entry goes when full.
  std::shared_ptr<const CachedRecipe> get(const std::string& key,
                                          const std::function<std::shared_ptr<const CachedRecipe>()>& make);
  std::size_t hits() const { return m_hits; }
  std::size_t misses() const { return m_misses; }

 private:
  using Order = std::list<std::string>;
  struct Slot {
    std::shared_ptr<const CachedRecipe> value;
    Order::iterator at;
  };
  std::size_t m_capacity;
  std::mutex m_mutex;
  Order m_order;  // most recently used first
  std::unordered_map<std::string, Slot> m_slots;
  std::size_t m_hits = 0;
  std::size_t m_misses = 0;
};

}  // namespace galley::server
