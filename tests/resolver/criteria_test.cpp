#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "core/error.hpp"
#include "resolver/internal/steps.hpp"
#include "test_catalog.hpp"

using namespace galley;

TEST_CASE("unknown criteria values list the allowed ones and the closest", "[resolver][criteria]") {
  CHECK_THROWS_WITH(resolver::resolve(*test::load(test::small_catalog()), test::criteria({{"service", "ekss"}})),
                    "criteria: service: unknown value \"ekss\"; allowed: eks, gke; did you mean \"eks\"?");
  CHECK_THROWS_WITH(resolver::resolve(*test::load(test::small_catalog()), test::criteria({{"kubernetes", "v1.x"}})),
                    Catch::Contains("\"v1.x\" is not a Kubernetes version"));
}


TEST_CASE("an unknown criterion, a malformed OS version and a node count out of range are each reported",
          "[resolver][criteria]") {
  auto c = test::criteria({{"gpu", "h100"}, {"osVersion", "noble"}, {"service", "gke"}});
  c.nodes = 0;
  auto catalog = test::load(test::small_catalog());
  std::vector<std::string> problems;
  core::Exit exit = core::Exit::ok;
  try {
    resolver::check_criteria(*catalog, c);
  } catch (const core::Error& e) {
    problems = e.lines();
    exit = e.exit();
  }
  CHECK(exit == core::Exit::bad_input);
  CHECK(problems == std::vector<std::string>{
                        "criteria: gpu: unknown criterion",
                        "criteria: osVersion: \"noble\" is not an OS version (digits and dots, e.g. 24.04)",
                        "criteria: nodes: 0 is not between 1 and 100000"});
  auto good = test::criteria({{"osVersion", "24.04"}, {"kubernetes", "v1.35.1-gke.1616000"}});
  CHECK_NOTHROW(resolver::check_criteria(*catalog, good));
}

TEST_CASE("a criteria document is read field by field and values given on top replace its own",
          "[resolver][criteria]") {
  auto doc = core::parse_yaml(test::document("Criteria", "prod", "  service: eks\n  intent: training\n  nodes: 16\n"),
                              "c.yaml");
  auto read = resolver::read_criteria(doc);
  CHECK(read.fields == std::map<std::string, std::string>{{"intent", "training"}, {"service", "eks"}});
  CHECK(read.nodes == 16);
  auto over = test::criteria({{"intent", "inference"}, {"accelerator", "h100"}});
  auto both = resolver::overlay_criteria(read, over);
  CHECK(both.fields ==
        std::map<std::string, std::string>{{"accelerator", "h100"}, {"intent", "inference"}, {"service", "eks"}});
  CHECK(both.nodes == 16);
  over.nodes = 4;
  CHECK(resolver::overlay_criteria(read, over).nodes == 4);
}

TEST_CASE("criteria values match case-insensitively and are written in lowercase", "[resolver][criteria]") {
  auto cat = test::load(test::small_catalog());
  auto r = resolver::resolve(*cat, test::criteria({{"service", "EKS"}, {"intent", "Training"}, {"kubernetes", "1.34"}}));
  CHECK(r["spec"]["criteria"]["service"] == "eks");
  CHECK(r["metadata"]["name"] == "eks-training");
  CHECK(r == resolver::resolve(*cat, test::criteria({{"service", "eks"}, {"intent", "training"}, {"kubernetes", "1.34"}})));
}

TEST_CASE("the closest value counts a swap of two letters as one edit", "[resolver][criteria]") {
  auto cat = resolver::load_catalog({resolver::embedded_source()});
  CHECK_THROWS_WITH(resolver::resolve(*cat, test::criteria({{"service", "gek"}})),
                    Catch::Contains("did you mean \"gke\"?"));
}

TEST_CASE("the registry says which values go together, and a layer may extend it", "[resolver][criteria]") {
  auto src = test::small_catalog();
  src.files["registry.yaml"] = test::document("Registry", "test", R"(  criteria:
    service: [{name: eks, description: EKS}, {name: gke, description: GKE}]
    accelerator: [{name: h100, description: H100}, {name: gb200, description: GB200}]
    os:
      - {name: ubuntu, description: Ubuntu}
      - {name: al2023, description: AL2023, services: [eks]}
    intent: [{name: training, description: T}, {name: inference, description: I}]
    platform: [{name: kubeflow, description: K, intents: [training]}]
)");
  auto cat = test::load(src);
  std::vector<std::string> lines;
  try {
    resolver::check_criteria(*cat, test::criteria({{"service", "gke"}, {"os", "al2023"}, {"intent", "inference"},
                                                   {"platform", "kubeflow"}}));
  } catch (const core::Error& e) {
    CHECK(e.exit() == core::Exit::bad_input);
    lines = e.lines();
  }
  // Document lines are spec lines + 5: the os list starts on spec line 5.
  CHECK(lines == std::vector<std::string>{
                     "cat/registry.yaml:11: spec.criteria.os[1].services: os al2023 goes with service eks only; "
                     "the criteria give service gke",
                     "cat/registry.yaml:13: spec.criteria.platform[0].intents: platform kubeflow goes with intent "
                     "training only; the criteria give intent inference"});
  CHECK_NOTHROW(resolver::check_criteria(*cat, test::criteria({{"service", "eks"}, {"os", "al2023"}})));

  resolver::CatalogSource layer;
  layer.root = "layer";
  layer.files["registry.yaml"] = test::document("Registry", "more", R"(  criteria:
    os: [{name: al2023, description: AL2023 on GKE too, services: [gke]}]
)");
  auto layered = resolver::load_catalog(std::vector<resolver::CatalogSource>{src, layer});
  CHECK_NOTHROW(resolver::check_criteria(*layered, test::criteria({{"service", "gke"}, {"os", "al2023"}})));

  layer.files["registry.yaml"] = test::document("Registry", "more", R"(  criteria:
    os: [{name: al2023, description: again}]
)");
  CHECK_THROWS_WITH(resolver::load_catalog(std::vector<resolver::CatalogSource>{src, layer}),
                    Catch::Contains("os \"al2023\" is already defined"));
  layer.files["registry.yaml"] = test::document("Registry", "more", R"(  criteria:
    os: [{name: al2023, description: AL2023, services: [aks]}]
)");
  CHECK_THROWS_WITH(resolver::load_catalog(std::vector<resolver::CatalogSource>{src, layer}),
                    Catch::Contains("spec.criteria.os[0].services: service \"aks\" is not in the registry"));
}

TEST_CASE("pools: NAME:key=value text is read, and bad text is refused naming the pool option", "[resolver][criteria][pools]") {
  auto p = resolver::parse_pool("train:accelerator=h100,intent=training,nodes=16");
  CHECK(p.name == "train");
  CHECK(p.fields.at("accelerator") == "h100");
  CHECK(p.fields.at("intent") == "training");
  CHECK(p.nodes == 16);
  CHECK_THROWS_WITH(resolver::parse_pool("train"), Catch::Contains("no ':' after the pool name"));
  CHECK_THROWS_WITH(resolver::parse_pool("Train:accelerator=h100"), Catch::Contains("not a lowercase DNS label"));
  CHECK_THROWS_WITH(resolver::parse_pool("a:acelerator=h100"), Catch::Contains("did you mean \"accelerator\"?"));
  CHECK_THROWS_WITH(resolver::parse_pool("a:service=eks"), Catch::Contains("unknown pool key \"service\""));
  CHECK_THROWS_WITH(resolver::parse_pool("a:accelerator"), Catch::Contains("is not key=value"));
  CHECK_THROWS_WITH(resolver::parse_pool("a:os=ubuntu,os=cos"), Catch::Contains("os is given twice"));
  try {
    resolver::parse_pool("a:nodes=x");
    FAIL("no error");
  } catch (const core::Error& e) {
    CHECK(e.option() == "pool");
  }
}

TEST_CASE("pools: flags replace a file's pools; the cluster's fields stay", "[resolver][criteria][pools]") {
  resolver::Criteria file;
  file.fields["service"] = "eks";
  file.pools.push_back(resolver::parse_pool("a:accelerator=h100"));
  resolver::Criteria flags;
  flags.pools.push_back(resolver::parse_pool("b:accelerator=l40s"));
  flags.pools.push_back(resolver::parse_pool("c:accelerator=h100"));
  auto c = resolver::overlay_criteria(file, flags);
  REQUIRE(c.pools.size() == 2);
  CHECK(c.pools[0].name == "b");
  CHECK(c.fields.at("service") == "eks");
  CHECK(resolver::overlay_criteria(file, resolver::Criteria{}).pools.size() == 1);
}
