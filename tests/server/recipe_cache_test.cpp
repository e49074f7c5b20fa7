// Tests of server/recipe_cache.cpp: the bounded LRU of resolved recipes and its key.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "server/internal/recipe_cache.hpp"

using namespace galley::server;

namespace {
std::shared_ptr<const CachedRecipe> made(const std::string& digest) {
  auto entry = std::make_shared<CachedRecipe>();
  entry->digest = digest;
  return entry;
}
}  // namespace

TEST_CASE("cache keys are canonical: sorted fields, nodes, the partial flag and the catalog digest") {
  std::map<std::string, std::string> a = {{"service", "eks"}, {"accelerator", "h100"}};
  CHECK(cache_key("sha256:c", a, "", false) == "sha256:c|accelerator=h100|service=eks|nodes=|partial=0");
  CHECK(cache_key("sha256:c", a, "4", true) != cache_key("sha256:c", a, "4", false));
  CHECK(cache_key("sha256:c", a, "", false) != cache_key("sha256:d", a, "", false));
}

TEST_CASE("the least recently used entry goes first; hits and misses are counted") {
  RecipeCache cache(2);
  int calls = 0;
  auto get = [&](const std::string& key) {
    return cache.get(key, [&] {
      ++calls;
      return made(key);
    })->digest;
  };
  CHECK(get("a") == "a");
  CHECK(get("b") == "b");
  CHECK(get("a") == "a");  // a is now the most recent
  CHECK(get("c") == "c");  // b goes
  CHECK(calls == 3);
  get("a");
  CHECK(calls == 3);
  get("b");  // made again
  CHECK(calls == 4);
  CHECK(cache.hits() == 2);
  CHECK(cache.misses() == 4);
}

TEST_CASE("what make throws passes through and nothing is kept") {
  RecipeCache cache(4);
  CHECK_THROWS_AS(cache.get("x", []() -> std::shared_ptr<const CachedRecipe> { throw std::runtime_error("no"); }),
                  std::runtime_error);
  int calls = 0;
  cache.get("x", [&] {
    ++calls;
    return made("x");
  });
  CHECK(calls == 1);
}

TEST_CASE("a cache of size 0 keeps nothing") {
  RecipeCache cache(0);
  int calls = 0;
  for (int i = 0; i < 3; ++i) {
    cache.get("x", [&] {
      ++calls;
      return made("x");
    });
  }
  CHECK(calls == 3);
}
