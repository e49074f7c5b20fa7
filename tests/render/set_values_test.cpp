#include <catch2/catch.hpp>

#include "render/internal/set_values.hpp"

using namespace galley;
using core::Json;

TEST_CASE("sets: values are typed the way helm types them", "[render][set]") {
  CHECK(render::parse_set_value("3") == 3);
  CHECK(render::parse_set_value("true") == true);
  CHECK(render::parse_set_value("null").is_null());
  CHECK(render::parse_set_value("{a,b,2}") == Json{"a", "b", 2});
  CHECK(render::parse_set_value("1.5") == "1.5");
  CHECK(render::parse_set_value("0123") == "0123");
  CHECK(render::parse_set_value("580.95.05") == "580.95.05");
}

TEST_CASE("sets: paths create nested maps and list items", "[render][set]") {
  Json v = Json::object();
  render::apply_set(v, "a.b[1].c", 5, Json::object(), core::OptionField{"set", "x"});
  CHECK(v == Json::parse(R"({"a":{"b":[null,{"c":5}]}})"));
  render::apply_set(v, "nvidia\\.com/gpu", "1", Json::object(), core::OptionField{"set", "x"});
  CHECK(v["nvidia.com/gpu"] == "1");
}

TEST_CASE("sets: refuses a shape that conflicts with the chart's values", "[render][set]") {
  Json chart = Json::parse(R"({"driver":{"enabled":true,"version":"580"},"tolerations":[]})");
  Json v = Json::object();
  CHECK_THROWS_WITH(render::apply_set(v, "driver", "off", chart, core::OptionField{"set", "gpu-operator:driver=off"}),
                    Catch::Contains("type conflict: the chart's value here is a map"));
  CHECK_THROWS_WITH(render::apply_set(v, "driver.enabled", "yes", chart, core::OptionField{"set", "d"}),
                    Catch::Contains("the chart's value here is a boolean"));
  CHECK_THROWS_WITH(render::apply_set(v, "driver.version.major", 1, chart, core::OptionField{"set", "d"}),
                    Catch::Contains("at a parent of this path"));
  CHECK_NOTHROW(render::apply_set(v, "driver.version", "570", chart, core::OptionField{"set", "d"}));
  CHECK_NOTHROW(render::apply_set(v, "tolerations[0].key", "a", chart, core::OptionField{"set", "d"}));
}

TEST_CASE("sets: a path alone (no chart) gives the keys the key check walks, escaped dots kept", "[render][set]") {
  Json keys = Json::object();
  render::apply_set(keys, "daemonsets.annotations.example\\.com/team", "gpu", Json(), core::OptionField{"set", "d"});
  CHECK(keys == Json::parse(R"({"daemonsets": {"annotations": {"example.com/team": "gpu"}}})"));
}
