// The resolver on generated catalogs: 2,000 components and 100 / 1,000 / 10,000 overlays.
// Each overlay sets one of 20 services and one of 2 intents and references one group of 8 components
// (each requiring the group's first) with a few
// values; the query matches 1 in 40 overlays. "load" parses and checks every document; "resolve"
// runs match, merge, solve and order on the loaded catalog.
#include <benchmark/benchmark.h>

#include "resolver/catalog.hpp"
#include "resolver/resolver.hpp"

namespace {

using galley::resolver::CatalogSource;

constexpr int k_components = 2000;

CatalogSource generate(int overlays) {
  CatalogSource s;
  s.root = "gen";
  std::string reg = "apiVersion: galley.dev/v1alpha1\nkind: Registry\nmetadata: {name: gen}\nspec:\n  criteria:\n"
                    "    service:\n";
  for (int i = 0; i < 20; ++i) {
    reg += "      - {name: s" + std::to_string(i) + ", description: x}\n";
  }
  reg += "    intent: [{name: training, description: t}, {name: inference, description: i}]\n";
  s.files["registry.yaml"] = reg;
  for (int i = 0; i < k_components; ++i) {
    std::string name = "c" + std::to_string(i);
    // Components come in groups of 8; each requires the first of its group.
    std::string req = i % 8 == 0 ? "" : "      requires: {components: {c" + std::to_string(i - i % 8) + ": \">=1\"}}\n";
    s.files["components/" + name + ".yaml"] =
        "apiVersion: galley.dev/v1alpha1\nkind: Component\nmetadata: {name: " + name +
        "}\nspec:\n  type: helm\n  chart: " + name + "\n  repository: https://charts.example.com\n  namespace: ns\n"
        "  versions:\n    - version: \"3.0.0\"\n" + req + "    - version: \"2.1.0\"\n" + req +
        "    - version: \"1.0.0\"\n";
  }
  for (int i = 0; i < overlays; ++i) {
    std::string name = "o" + std::to_string(i);
    std::string body = "apiVersion: galley.dev/v1alpha1\nkind: Overlay\nmetadata: {name: " + name +
                       "}\nspec:\n  criteria: {service: s" + std::to_string(i % 20) + ", intent: " +
                       (i % 40 < 20 ? "training" : "inference") + "}\n  componentRefs:\n";
    for (int k = 0; k < 8; ++k) {
      int c = (i % (k_components / 8)) * 8 + k;
      body += "    - name: c" + std::to_string(c) + "\n      version: \">=2\"\n      values: {replicas: " +
              std::to_string(k) + ", image: {tag: v" + std::to_string(i) + "}}\n";
    }
    s.files["overlays/" + name + ".yaml"] = body;
  }
  return s;
}

galley::resolver::Criteria query() {
  galley::resolver::Criteria c;
  c.fields = {{"service", "s3"}, {"intent", "training"}};
  return c;
}

void BM_Load(benchmark::State& state) {
  auto src = generate(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(galley::resolver::load_catalog({src}));
  }
  state.SetComplexityN(state.range(0));
}

void BM_Resolve(benchmark::State& state) {
  auto catalog = galley::resolver::load_catalog({generate(static_cast<int>(state.range(0)))});
  for (auto _ : state) {
    benchmark::DoNotOptimize(galley::resolver::resolve(*catalog, query()));
  }
  state.SetComplexityN(state.range(0));
}

}  // namespace

BENCHMARK(BM_Load)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oNLogN);
BENCHMARK(BM_Resolve)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oNLogN);
BENCHMARK_MAIN();
