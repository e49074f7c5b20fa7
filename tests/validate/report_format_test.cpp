#include <catch2/catch.hpp>

#include <sstream>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/schema.hpp"
#include "validate_fixtures.hpp"
#include "validate/validate.hpp"

namespace v = galley::validate;
using namespace galley::validate_test;

TEST_CASE("reports: JSON Report, JUnit and CTRF carry the same counts", "[validate][report]") {
  auto plan = v::make_plan(recipe({constraint("kubernetes.version", ">=1.31"), constraint("driver.version", ">=600")}));
  Json entries = Json::array({v::check_snapshot(plan, cluster_snapshot(), "c.yaml", as_of("2026-11-22"))});
  Json report = v::make_report(plan, entries, as_of("2026-11-22"));
  CHECK(report["kind"] == "Report");
  CHECK(report["spec"]["verdict"] == "fail");
  CHECK(v::report_exit(report) == 1);
  galley::core::Document doc{"r", Json::parse(v::format_report(report, v::ReportFormat::json, 0)), {{"", 1}}, {}};
  CHECK_NOTHROW(galley::core::check_document(doc, {"Report"}));  // the JSON report meets its schema
  std::string junit = v::format_report(report, v::ReportFormat::junit, 0);
  CHECK(junit.find("<testsuites name=\"galley validate test\" tests=\"6\" failures=\"1\" errors=\"0\" skipped=\"4\">") !=
        std::string::npos);
  Json ctrf = Json::parse(v::format_report(report, v::ReportFormat::ctrf, 1795000000000));
  CHECK(ctrf["results"]["summary"] == Json({{"tests", 6}, {"passed", 1}, {"failed", 1}, {"pending", 0}, {"skipped", 4},
                                            {"other", 0}, {"start", 1795000000000}, {"stop", 1795000000000}}));
  CHECK(ctrf["results"]["tool"]["name"] == "galley");
  std::string table = v::format_report(report, v::ReportFormat::table, 0);
  CHECK(table.find("c.yaml: 1 passed, 1 failed, 4 not applicable, 0 could not verify -> FAIL\nverdict: FAIL\n") !=
        std::string::npos);
}
