#include <catch2/catch.hpp>

#include "resolver/chart_values.hpp"

using namespace galley;

TEST_CASE("a component's upstream chart values are embedded, with the keys upstream has",
          "[resolver][chart_values]") {
  auto values = resolver::chart_values("gpu-operator");
  REQUIRE(values);
  CHECK(values->name == "recipes/charts/gpu-operator.yaml");
  CHECK(values->value.contains("driver"));
  CHECK(values->value.contains("dcgm"));
  CHECK_FALSE(values->value.contains("tolerations"));  // upstream nests it (daemonsets.tolerations)
  CHECK(values->line_of("driver") > 0);
}

TEST_CASE("a component without embedded chart values or schema gets none", "[resolver][chart_values]") {
  CHECK_FALSE(resolver::chart_values("no-such-component"));
  CHECK_FALSE(resolver::chart_values_schema("no-such-component"));
  CHECK_FALSE(resolver::chart_values_schema("gpu-operator"));  // upstream ships no values.schema.json
  auto schema = resolver::chart_values_schema("cert-manager");
  REQUIRE(schema);
  CHECK(schema->is_object());
}

TEST_CASE("unknown values keys: typos are found with the closest key; free-form maps and subcharts take any key",
          "[resolver][chart_values]") {
  using core::Json;
  Json chart = Json::parse(R"({"driver": {"enabled": true, "version": "1"}, "annotations": {}, "env": null,
                               "list": [{"a": 1}]})");
  auto unknown = resolver::unknown_values_keys(
      chart, nullptr, {"sub"},
      Json::parse(R"({"driver": {"enabld": false}, "annotations": {"x": {"y": 1}}, "env": {"A": "1"},
                      "list": [{"b": 2}], "sub": {"anything": 1}, "nothing": 1})"));
  REQUIRE(unknown.size() == 2);
  CHECK(unknown[0].keys == std::vector<std::string>{"driver", "enabld"});
  CHECK(unknown[0].closest == "enabled");
  CHECK(unknown[1].keys == std::vector<std::string>{"nothing"});
  CHECK(unknown[1].closest.empty());
  // A schema's properties count as known keys; additionalProperties: false closes a map.
  Json schema = Json::parse(R"({"properties": {"extra": {"type": "object", "additionalProperties": false,
                                 "properties": {"ok": {}}}}})");
  auto with_schema = resolver::unknown_values_keys(chart, &schema, {}, Json::parse(R"({"extra": {"ok": 1, "no": 2}})"));
  REQUIRE(with_schema.size() == 1);
  CHECK(with_schema[0].keys == std::vector<std::string>{"extra", "no"});
}

TEST_CASE("a component's subcharts come from the embedded catalog", "[resolver][chart_values]") {
  CHECK(resolver::chart_subcharts("gpu-operator") == std::vector<std::string>{"node-feature-discovery"});
  CHECK(resolver::chart_subcharts("no-such-component").empty());
}
