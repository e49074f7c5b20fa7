#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "core/yaml_emit.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("a constraint value that is not a range is refused at load time", "[validate][plan][bad]") {
  CHECK_THROWS_WITH(v::make_plan(recipe({constraint("kubernetes.version", "v1.x")})),
                    "recipe.yaml:1: spec.constraints[0].value: \"v1.x\" is not a version range (e.g. \">=1.31\", "
                    "\">=570.86, <600\", \"!=1.11.0\")");
}

TEST_CASE("an unknown constraint name is refused with the closest known one", "[validate][plan][bad]") {
  // The Recipe schema's enum refuses it before make_plan's own check (kept for a schema that grows).
  CHECK_THROWS_WITH(v::make_plan(recipe({constraint("driver.versoin", ">=1")})),
                    "recipe.yaml:1: spec.constraints[0].name: \"driver.versoin\" is not one of the allowed values");
}

TEST_CASE("a recipe file read fast still names the line of a bad constraint", "[validate][plan][bad]") {
  galley::core::Document doc = recipe({constraint("kubernetes.version", "v1.x")});
  std::string path = (std::filesystem::temp_directory_path() / "galley-plan-test.yaml").string();
  galley::core::write_file_atomic(path, galley::core::to_yaml(doc.value));
  CHECK_THROWS_WITH(v::read_plan(path),
                    Catch::StartsWith(path + ":") && Catch::Contains(": spec.constraints[0].value: \"v1.x\" is not a "
                                                                     "version range"));
  CHECK_THROWS_WITH(v::read_plan(path), !Catch::StartsWith(path + ": "));  // a line, not 0
  std::filesystem::remove(path);
}
