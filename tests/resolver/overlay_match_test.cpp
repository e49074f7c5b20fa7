#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "resolver/internal/steps.hpp"
#include "test_catalog.hpp"

using namespace galley;

namespace {
std::vector<std::string> names(const std::vector<const resolver::Overlay*>& overlays) {
  std::vector<std::string> out;
  for (const auto* o : overlays) {
    out.push_back(o->name);
  }
  return out;
}
}  // namespace

TEST_CASE("overlays apply from least to most specific, bases first", "[resolver][match]") {
  auto cat = test::load(test::small_catalog());
  auto order = resolver::match_overlays(*cat, {{"service", "eks"}, {"accelerator", "h100"}, {"intent", "training"}});
  CHECK(names(order) == std::vector<std::string>{"base", "eks", "eks-training", "eks-h100-training"});
}

TEST_CASE("unset criteria are wildcards in overlays, not in queries", "[resolver][match]") {
  auto cat = test::load(test::small_catalog());
  CHECK(names(resolver::match_overlays(*cat, {{"service", "eks"}})) == std::vector<std::string>{"base", "eks"});
  CHECK(names(resolver::match_overlays(*cat, {{"service", "gke"}, {"intent", "training"}})) ==
        std::vector<std::string>{"base", "gke"});
}

TEST_CASE("overlays of equal specificity are ordered by name", "[resolver][match]") {
  auto src = test::small_catalog();
  src.files["overlays/a-training.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata:\n  name: a-training\nspec:\n  criteria:\n    intent: training\n";
  auto cat = test::load(src);
  auto order = names(resolver::match_overlays(*cat, {{"service", "eks"}, {"intent", "training"}}));
  CHECK(order == std::vector<std::string>{"base", "a-training", "eks", "eks-training"});
}

TEST_CASE("a base cycle is an error naming the cycle", "[resolver][match]") {
  auto src = test::small_catalog();
  src.files["overlays/base.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata:\n  name: base\nspec:\n  base: eks-training\n";
  auto cat = test::load(src);
  CHECK_THROWS_WITH(resolver::match_overlays(*cat, {{"service", "eks"}}),
                    "cat/overlays/base.yaml:6: spec.base: base cycle: base -> eks-training -> eks -> base");
}
