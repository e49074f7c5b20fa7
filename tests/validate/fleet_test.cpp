#include <catch2/catch.hpp>

#include <filesystem>

#include "core/error.hpp"
#include "core/files.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("a snapshot folder is its *.yaml, *.yml and *.json files, sorted; a file is itself", "[validate][fleet]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "galley-fleet-test";
  fs::remove_all(dir);
  fs::create_directories(dir / "sub.json");
  for (const char* name : {"b.yaml", "a.json", "c.yml", "notes.txt"}) {
    galley::core::write_file_atomic((dir / name).string(), "{}");
  }
  CHECK(v::snapshot_files(dir.string()) ==
        std::vector<std::string>{(dir / "a.json").string(), (dir / "b.yaml").string(), (dir / "c.yml").string()});
  CHECK(v::snapshot_files((dir / "b.yaml").string()) == std::vector<std::string>{(dir / "b.yaml").string()});
  fs::remove_all(dir);
  fs::create_directories(dir);
  CHECK_THROWS_WITH(v::snapshot_files(dir.string()), dir.string() + ": no *.yaml or *.json snapshots in the folder");
  fs::remove_all(dir);
}

TEST_CASE("validating a folder reads, checks and reports every snapshot", "[validate][fleet]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "galley-fleet-report";
  fs::remove_all(dir);
  fs::create_directories(dir);
  galley::core::write_file_atomic((dir / "node.json").string(), node_snapshot().dump());
  auto plan = v::make_plan(recipe({constraint("os.version", ">=24.04")}));
  Json report = v::validate_snapshots(plan, dir.string(), as_of("2026-11-22"));
  CHECK(report["spec"]["totals"]["snapshots"] == 1);
  CHECK(report["spec"]["snapshots"][0]["snapshot"] == (dir / "node.json").string());
  CHECK(find_result(report["spec"]["snapshots"][0], "constraint/os.version")["status"] == "pass");
  fs::remove_all(dir);
}
