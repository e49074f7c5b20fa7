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
