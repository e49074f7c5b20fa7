#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "resolver/internal/steps.hpp"
#include "resolver/recipe_doc.hpp"
#include "test_catalog.hpp"

using namespace galley;
using core::Json;

namespace {
Json resolve(const resolver::CatalogSource& src, std::initializer_list<std::pair<const std::string, std::string>> c) {
  return resolver::resolve(*test::load(src), test::criteria(c));
}
std::string version_of(const Json& r, const std::string& name) {
  return resolver::select(r, "components." + name + ".version")->get<std::string>();
}
}  // namespace

TEST_CASE("each component gets its highest satisfying version", "[resolver][solver]") {
  Json r = resolve(test::small_catalog(), {{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.34"}});
  CHECK(version_of(r, "gpu-operator") == "v26.3.0");
  CHECK(version_of(r, "nvidia-dra-driver-gpu") == "25.12.0");
  CHECK(version_of(r, "cert-manager") == "v1.21.1");
}

TEST_CASE("an advisory's known-bad version is never picked", "[resolver][solver][advisory]") {
  Json r = resolve(test::small_catalog(), {{"service", "eks"}, {"kubernetes", "1.34"}});
  CHECK(version_of(r, "karpenter") == "1.10.2");
  CHECK(r["spec"]["advisories"][0]["name"] == "karpenter-1-11-0");
  CHECK(r["spec"]["advisories"][0]["effect"] == "excluded karpenter 1.11.0");
  CHECK(r["spec"]["advisories"][0]["excluded"] == Json::parse(R"([{"component": "karpenter", "version": "1.11.0"}])"));
  CHECK_FALSE(r["spec"]["advisories"][0].contains("eolDate"));
  auto sel = *resolver::select(r, "components.karpenter.selection.rejected");
  CHECK(sel[0]["reason"] == "is known bad: advisory karpenter-1-11-0 (CPU regression)");
}

TEST_CASE("an end of life that applies is written as fields next to its words", "[resolver][solver][advisory]") {
  resolver::CatalogSource src = test::small_catalog();
  src.files["advisories/eks-eol.yaml"] = test::document("Advisory", "eks-eol", R"(  summary: an end of life
  source: https://example.com/eol
  published: "2026-01-01"
  severity: low
  action: move on
  endOfLife:
    criteria: {service: eks}
    warnFrom: "2026-10-01"
    date: "2027-01-01"
)");
  Json r = resolve(src, {{"service", "eks"}, {"kubernetes", "1.34"}});
  const Json& a = r["spec"]["advisories"][0];
  CHECK(a["name"] == "eks-eol");
  CHECK(a["effect"] == "end of life on 2027-01-01; warnings from 2026-10-01");
  CHECK(a["eolDate"] == "2027-01-01");
  CHECK(a["warnFrom"] == "2026-10-01");
  CHECK(a["excluded"] == Json::array());
}

TEST_CASE("the Kubernetes version narrows choices and coupled components follow", "[resolver][solver]") {
  Json r = resolve(test::small_catalog(), {{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.33"}});
  CHECK(version_of(r, "nvidia-dra-driver-gpu") == "25.8.1");
  // 25.8.1 needs gpu-operator <26, so the solver must not keep v26.3.0.
  CHECK(version_of(r, "gpu-operator") == "v25.10.1");
  auto rejected = *resolver::select(r, "components.gpu-operator.selection.rejected");
  CHECK(rejected[0]["version"] == "v26.3.0");
}

TEST_CASE("nothing satisfies: exit 4 with the chain of reasons", "[resolver][solver]") {
  try {
    resolve(test::small_catalog(), {{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.31"}});
    FAIL("resolved");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::unsatisfiable);
    CHECK(e.lines() == std::vector<std::string>{
                           "cannot choose a version of nvidia-dra-driver-gpu:",
                           "  nvidia-dra-driver-gpu 25.12.0 requires kubernetes >=1.34; criteria say 1.31",
                           "  nvidia-dra-driver-gpu 25.8.1 requires kubernetes >=1.32; criteria say 1.31"});
  }
}

TEST_CASE("a conflict through another component explains that component too", "[resolver][solver]") {
  auto src = test::small_catalog();
  src.files["overlays/eks-training.yaml"] = test::document("Overlay", "eks-training", R"(  base: eks
  criteria: {service: eks, intent: training}
  componentRefs:
    - name: nvidia-dra-driver-gpu
    - name: gpu-operator
      version: ">=26"
)");
  try {
    resolve(src, {{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.33"}});
    FAIL("resolved");
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::unsatisfiable);
    CHECK(e.lines().at(0) == "cannot choose a version of nvidia-dra-driver-gpu:");
    CHECK(e.lines().at(1) == "  nvidia-dra-driver-gpu 25.12.0 requires kubernetes >=1.34; criteria say 1.33");
    CHECK(e.lines().at(2) == "  nvidia-dra-driver-gpu 25.8.1 requires gpu-operator >=25.10, <26, but no allowed "
                             "gpu-operator version is in that range");
    CHECK(e.lines().at(3) == "  because:");
    CHECK(e.lines().at(4) == "    gpu-operator v25.10.1 is outside the overlay range \">=26\" "
                             "(cat/overlays/eks-training.yaml:11)");
  }
}

TEST_CASE("applicability lists exclude versions for other accelerators", "[resolver][solver]") {
  auto src = test::small_catalog();
  src.files["advisories/karpenter-1-11-0.yaml"] = test::document("Advisory", "karpenter-1-11-0", R"(  summary: bad
  source: https://example.com/k
  published: "2026-10-01"
  severity: high
  action: hold
  component: {name: karpenter, versions: ">=1.10"}
)");
  resolver::ResolveOptions partial{true};  // no overlay of the small catalog sets gb200
  Json r = resolver::resolve(*test::load(src),
                             test::criteria({{"service", "eks"}, {"accelerator", "gb200"}, {"kubernetes", "1.34"}}), partial);
  CHECK(version_of(r, "karpenter") == "1.9.0");
  CHECK_THROWS_WITH(resolve(src, {{"service", "eks"}, {"accelerator", "h100"}, {"intent", "training"}, {"kubernetes", "1.34"}}),
                    Catch::Contains("karpenter 1.9.0 supports accelerator gb200 only; criteria say h100"));
}

namespace {
resolver::CatalogSource abc_catalog(const std::string& a, const std::string& b, const std::string& c) {
  resolver::CatalogSource s;
  s.root = "bt";
  s.files["registry.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: Registry\nmetadata: {name: r}\nspec:\n  criteria:\n"
      "    service: [{name: x, description: x}]\n";
  auto comp = [](const std::string& name, const std::string& versions) {
    return "apiVersion: galley.dev/v1alpha1\nkind: Component\nmetadata: {name: " + name +
           "}\nspec:\n  type: manifest\n  namespace: default\n  versions:\n" + versions;
  };
  s.files["components/a.yaml"] = comp("a", a);
  s.files["components/b.yaml"] = comp("b", b);
  s.files["components/c.yaml"] = comp("c", c);
  s.files["overlays/x.yaml"] =
      "apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata: {name: x}\nspec:\n  criteria: {service: x}\n"
      "  componentRefs: [{name: a}, {name: b}, {name: c}]\n";
  return s;
}
}  // namespace

TEST_CASE("backtracking finds the set that a highest-first pick misses", "[resolver][solver]") {
  // a 2 needs c 1 and b 2 needs c 2: both survive pruning, but not together.
  auto src = abc_catalog("    - {version: \"2\", requires: {components: {c: \"1\"}}}\n    - {version: \"1\"}\n",
                         "    - {version: \"2\", requires: {components: {c: \"2\"}}}\n    - {version: \"1\"}\n",
                         "    - {version: \"2\"}\n    - {version: \"1\"}\n");
  Json r = resolve(src, {{"service", "x"}});
  CHECK(version_of(r, "a") == "2");
  CHECK(version_of(r, "b") == "1");
  CHECK(version_of(r, "c") == "1");
  CHECK(r["spec"]["deploymentOrder"] == Json{"b", "c", "a"});
  CHECK((*resolver::select(r, "components.b.selection.rejected"))[0]["reason"] == "conflicts with other chosen versions");
}

TEST_CASE("a dependency cycle among chosen versions is an error naming it", "[resolver][solver]") {
  auto src = abc_catalog("    - {version: \"1\", requires: {components: {b: \"*\"}}}\n",
                         "    - {version: \"1\", requires: {components: {c: \"*\"}}}\n",
                         "    - {version: \"1\", requires: {components: {a: \"*\"}}}\n");
  CHECK_THROWS_WITH(resolve(src, {{"service", "x"}}), "dependency cycle: a -> b -> c -> a");
}

TEST_CASE("deployment order is topological with ties by name", "[resolver][order]") {
  CHECK(resolver::deployment_order({{"z", {}}, {"a", {"z"}}, {"m", {}}, {"b", {"m", "z"}}}) ==
        std::vector<std::string>{"m", "z", "a", "b"});
  CHECK_THROWS_WITH(resolver::deployment_order({{"a", {"b"}}, {"b", {"a"}}}), "dependency cycle: a -> b -> a");
}
