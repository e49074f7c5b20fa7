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
