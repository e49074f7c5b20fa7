// Reports for people (table) and for CI systems (JSON Report, JUnit XML, CTRF JSON).
//
// Mapping to the CI formats: fail -> failed / <failure>; not-applicable -> skipped; could-not-verify
// -> failed (type "could-not-verify") unless --allow could-not-verify was given, then CTRF "other" and
// JUnit <skipped>. A CI system therefore never reads an unverified check as a pass.
#include <algorithm>
#include <sstream>

#include "core/error.hpp"
#include "core/yaml_emit.hpp"
#include "validate/validate.hpp"

namespace galley::validate {

using core::Json;

namespace {

bool allowed(const Json& report) { return !report["metadata"]["allow"].empty(); }

std::string summary_line(const Json& entry) {
  const Json& s = entry["summary"];
  std::ostringstream out;
  out << entry["snapshot"].get<std::string>() << ": " << s["passed"] << " passed, " << s["failed"] << " failed, "
      << s["notApplicable"] << " not applicable, " << s["couldNotVerify"] << " could not verify -> "
      << (entry["verdict"] == "pass" ? "PASS" : "FAIL");
  return out.str();
}

std::string table_rows(const Json& results, const TableOptions& options) {
  const char* headers[] = {"STATUS", "CHECK", "EXPECTED", "OBSERVED", "SOURCE / REASON"};
  std::vector<const Json*> shown;
  for (const auto& status : status_order()) {
    if (!options.only.empty() && std::find(options.only.begin(), options.only.end(), status) == options.only.end()) {
      continue;
    }
    for (const auto& r : results) {
      if (r["status"] == status) {
        shown.push_back(&r);
      }
    }
  }
  if (options.blocks) {
    std::ostringstream out;
    for (const Json* result : shown) {
      const Json& r = *result;
      out << r["status"].get<std::string>() << "  " << r["name"].get<std::string>() << "\n    expected: "
          << r["expected"].get<std::string>() << "\n    observed: " << (r["observed"].get<std::string>().empty() ? "-" : r["observed"].get<std::string>()) << '\n';
      if (!r.value("reason", "").empty()) {
        out << "    reason:   " << r["reason"].get<std::string>() << '\n';
      }
      if (!r["source"].get<std::string>().empty()) {
        out << "    source:   " << r["source"].get<std::string>() << '\n';
      }
    }
    return out.str();
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json* result : shown) {
    const Json& r = *result;
    std::string note = r.value("reason", "");
    std::string source = r["source"].get<std::string>();
    note = note.empty() ? source : (source.empty() ? note : note + " [" + source + "]");
    rows.push_back({r["status"].get<std::string>(), r["name"].get<std::string>(), r["expected"].get<std::string>(),
                    r["observed"].get<std::string>(), note});
  }
  size_t widths[4] = {0, 0, 0, 0};
  for (size_t c = 0; c < 4; ++c) {
    widths[c] = std::string(headers[c]).size();
    for (const auto& row : rows) {
      widths[c] = std::max(widths[c], std::min<size_t>(row[c].size(), 48));
    }
  }
  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < 4; ++c) {
      out << cells[c] << std::string(cells[c].size() < widths[c] ? widths[c] - cells[c].size() : 0, ' ') << "  ";
    }
    out << cells[4] << '\n';
  };
  line({headers[0], headers[1], headers[2], headers[3], headers[4]});
  for (const auto& row : rows) {
    line(row);
  }
  return out.str();
}

std::string table(const Json& report, const TableOptions& options) {
  const Json& entries = report["spec"]["snapshots"];
  std::ostringstream out;
  if (entries.size() == 1) {
    out << table_rows(entries[0]["results"], options) << '\n';
  }
  for (const auto& e : entries) {
    out << summary_line(e) << '\n';
  }
  const Json& t = report["spec"]["totals"];
  if (entries.size() != 1) {
    const Json& r = t["results"];
    out << "totals: " << t["snapshots"] << " snapshots, " << t["passed"] << " passed, " << t["failed"]
        << " failed; checks: " << r["passed"] << " passed, " << r["failed"] << " failed, " << r["notApplicable"]
        << " not applicable, " << r["couldNotVerify"] << " could not verify\n";
  }
  out << "verdict: " << (report["spec"]["verdict"] == "pass" ? "PASS" : "FAIL")
      << (allowed(report) ? " (could-not-verify allowed)" : "")
      << (report["metadata"].value("scope", "all") == "all" ? "" : " (scope: " + report["metadata"]["scope"].get<std::string>() + ")")
      << '\n';
  return out.str();
}

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') {
          out += c;
        }
    }
  }
  return out;
}

std::string junit(const Json& report) {
  bool allow = allowed(report);
  std::ostringstream body;
  long long tests = 0;
  long long failures = 0;
  long long skipped = 0;
  for (const auto& e : report["spec"]["snapshots"]) {
    long long t = 0;
    long long f = 0;
    long long s = 0;
    std::ostringstream cases;
    for (const auto& r : e["results"]) {
      ++t;
      const std::string& st = r["status"].get_ref<const std::string&>();
      std::string reason = xml_escape(r.value("reason", ""));
      cases << "    <testcase classname=\"" << xml_escape(r["category"].get<std::string>()) << "\" name=\""
            << xml_escape(r["name"].get<std::string>()) << "\" time=\"0\">\n";
      if (st == "fail" || (st == "could-not-verify" && !allow)) {
        ++f;
        cases << "      <failure type=\"" << st << "\" message=\"" << reason << "\"/>\n";
      } else if (st != "pass") {
        ++s;
        cases << "      <skipped message=\"" << st << (reason.empty() ? "" : ": " + reason) << "\"/>\n";
      }
      cases << "      <system-out>expected: " << xml_escape(r["expected"].get<std::string>())
            << "\nobserved: " << xml_escape(r["observed"].get<std::string>())
            << "\nsource: " << xml_escape(r["source"].get<std::string>()) << "</system-out>\n    </testcase>\n";
    }
    body << "  <testsuite name=\"" << xml_escape(e["snapshot"].get<std::string>()) << "\" tests=\"" << t
         << "\" failures=\"" << f << "\" errors=\"0\" skipped=\"" << s << "\">\n"
         << cases.str() << "  </testsuite>\n";
    tests += t;
    failures += f;
    skipped += s;
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"galley validate "
      << xml_escape(report["metadata"]["name"].get<std::string>()) << "\" tests=\"" << tests << "\" failures=\""
      << failures << "\" errors=\"0\" skipped=\"" << skipped << "\">\n"
      << body.str() << "</testsuites>\n";
  return out.str();
}

std::string ctrf(const Json& report, long long stamp_ms) {
  bool allow = allowed(report);
  Json tests = Json::array();
  Json summary = {{"tests", 0}, {"passed", 0}, {"failed", 0}, {"pending", 0},
                  {"skipped", 0}, {"other", 0}, {"start", stamp_ms}, {"stop", stamp_ms}};
  bool many = report["spec"]["snapshots"].size() > 1;
  for (const auto& e : report["spec"]["snapshots"]) {
    for (const auto& r : e["results"]) {
      const std::string& st = r["status"].get_ref<const std::string&>();
      std::string status = st == "pass"             ? "passed"
                           : st == "fail"           ? "failed"
                           : st == "not-applicable" ? "skipped"
                           : allow                  ? "other"
                                                    : "failed";
      summary["tests"] = summary["tests"].get<long long>() + 1;
      summary[status] = summary[status].get<long long>() + 1;
      std::string name = r["name"].get<std::string>();
      Json t = {{"name", many ? e["snapshot"].get<std::string>() + ": " + name : name},
                {"status", status},
                {"duration", 0},
                {"suite", e["snapshot"]},
                {"extra", {{"category", r["category"]}, {"galleyStatus", st}, {"expected", r["expected"]},
                           {"observed", r["observed"]}, {"source", r["source"]}}}};
      if (r.contains("reason")) {
        t["message"] = r["reason"];
      }
      tests.push_back(std::move(t));
    }
  }
  Json doc = {{"results", {{"tool", {{"name", "galley"}}}, {"summary", summary}, {"tests", std::move(tests)}}}};
  return core::to_pretty_json(doc);
}

}  // namespace

const std::vector<std::string>& status_order() {
  static const std::vector<std::string> order = {"fail", "could-not-verify", "pass", "not-applicable"};
  return order;
}

std::string format_report(const Json& report, ReportFormat format, long long stamp_ms, const TableOptions& options) {
  if (format != ReportFormat::table && !options.only.empty()) {
    throw core::Error(core::Exit::bad_input, core::OptionField("only"), "applies to the table; a report for machines holds every check");
  }
  switch (format) {
    case ReportFormat::table: return table(report, options);
    case ReportFormat::json: return core::to_pretty_json(report);
    case ReportFormat::junit: return junit(report);
    case ReportFormat::ctrf: return ctrf(report, stamp_ms);
  }
  return "";
}

}  // namespace galley::validate
