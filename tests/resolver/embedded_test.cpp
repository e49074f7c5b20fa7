#include <catch2/catch.hpp>

#include <set>

#include "core/yaml_emit.hpp"
#include "resolver/catalog.hpp"
#include "resolver/recipe_doc.hpp"

using namespace galley;

TEST_CASE("the embedded catalog loads and every leaf resolves", "[resolver][embedded]") {
  auto cat = resolver::load_catalog({resolver::embedded_source()});
  REQUIRE(cat->components.size() >= 6);
  std::set<std::string> bases;
  for (const auto& [name, o] : cat->overlays) {
    if (o.base) {
      bases.insert(*o.base);
    }
  }
  int leaves = 0;
  for (const auto& [name, o] : cat->overlays) {
    if (bases.contains(name) || o.criteria.empty()) {
      continue;
    }
    ++leaves;
    resolver::Criteria c;
    c.fields = o.criteria;  // Kubernetes unset: each leaf's own floors decide (GKE leaves need 1.35.1-gke)
    INFO("leaf " << name);
    auto recipe = resolver::resolve(*cat, c);
    CHECK(recipe["spec"]["overlays"].back() == name);
    // What we write, we can read back, and its digest holds.
    CHECK_NOTHROW(resolver::check_recipe(core::parse_yaml(core::to_yaml(recipe), name)));
  }
  CHECK(leaves >= 2);
}
