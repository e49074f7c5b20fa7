// `galley conformance check`: a submission folder judged offline by every rule the CNCF validator
// (cncf/k8s-ai-conformance scripts/validate.go) enforces, each problem named by file, line and field.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include <pugixml.hpp>

#include "conformance/conformance.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "conformance/internal/metadata_rules.hpp"
#include "net/url.hpp"

namespace galley::conformance {

namespace fs = std::filesystem;
using core::Json;

namespace {

struct MetadataField {
  const char* name;
  const char* snake;
  bool required;
};
// The validator's metadataFields: every one required but repoUrl.
const MetadataField k_metadata[] = {
    {"kubernetesVersion", "kubernetes_version", true},  {"platformName", "platform_name", true},
    {"platformVersion", "platform_version", true},      {"vendorName", "vendor_name", true},
    {"websiteUrl", "website_url", true},                {"repoUrl", "repo_url", false},
    {"documentationUrl", "documentation_url", true},    {"productLogoUrl", "product_logo_url", true},
    {"description", "description", true},               {"contactEmailAddress", "contact_email_address", true},
    {"k8sConformanceUrl", "k8s_conformance_url", true},
};

const std::set<std::string> k_statuses = {"Implemented", "Not Implemented", "Partially Implemented", "N/A"};

// The files whose tests the validator reads when linked as evidence.
bool is_test_output(const std::string& name) {
  return name == "junit.xml" || name == "results.json" || name == "e2e.log" ||
         (name.starts_with("junit") && name.ends_with(".xml"));
}

bool is_placeholder(const std::string& v) { return v.size() >= 2 && v.front() == '[' && v.back() == ']'; }

// Whether an http(s) URL is well formed: a host, no spaces or control characters.
std::string url_problem(const std::string& url) {
  auto parts = net::split_url(url);
  if (!parts || (parts->scheme != "http" && parts->scheme != "https") || parts->host.empty()) {
    return "is not a well-formed http(s) URL";
  }
  for (unsigned char ch : url) {
    if (ch <= 0x20 || ch == 0x7f) {
      return "contains a space or control character (percent-encode it)";
    }
  }
  if (parts->host.find_first_of("<>\"{}|\\^`") != std::string::npos) {
    return "has an invalid host";
  }
  return "";
}

// "" when `vendor` is one of the members' names exactly (the validator's rule), else why not, with the
// members' names it is close to (same letters in another case, or the start of one).
std::string membership_problem(const std::string& vendor, const MemberList& members) {
  if (members.names.contains(vendor)) {
    return "";
  }
  std::vector<std::string> close;
  std::string lower = core::to_lower(vendor);
  for (const auto& n : members.names) {
    std::string candidate = core::to_lower(n);
    if (close.size() < 3 && (candidate == lower || candidate.starts_with(lower + " "))) {
      close.push_back("\"" + n + "\"");
    }
  }
  std::string shown = vendor.size() > 200 ? vendor.substr(0, 200) + "..." : vendor;
  return "\"" + shown + "\" is not a CNCF member's name as the CNCF Landscape lists it, which the CNCF validator requires exactly" +
         (close.empty() ? "" : " (close: " + core::join(close) + ")") + "; checked against " + members.source +
         (members.as_of.empty() ? "" : " of " + members.as_of + ": a member since then is checked against the current landscape");
}

}  // namespace

// The metadata rules, shared by `check` (prefix "metadata") and `submission` (a product file: "").
std::vector<MetadataFinding> metadata_findings(const Json& meta, const std::string& prefix, const std::string& version,
                                               const MemberList* members, const ValidatorRules& rules) {
  std::vector<MetadataFinding> out;
  // The rule a finding comes from: a problem while the rule is in force, else a warning saying so.
  const char* rule_since = nullptr;
  auto add = [&](MetadataFinding::Kind kind, const std::string& field, const std::string& message) {
    if (kind == MetadataFinding::Kind::problem && rule_since != nullptr) {
      out.push_back({MetadataFinding::Kind::warning, field,
                     message + " (a problem since " + rule_since + ", when the CNCF validator took the rule on; not in force --as-of " +
                         rules.as_of + ")"});
      return;
    }
    out.push_back({kind, field, message});
  };
  const auto problem = MetadataFinding::Kind::problem;
  auto value_rules = [&](const std::string& name, const std::string& field, const std::string& v) {
    if (name == "kubernetesVersion" && v != version) {
      add(problem, field, "says " + v + " but the submission is for " + version + " (its folder or checklist)");
    } else if (name == "k8sConformanceUrl") {
      static const std::regex k_url(R"(^https://github\.com/cncf/k8s-conformance/tree/(master|main)/v\d+\.\d+/[^/]+/?$)");
      if (v.size() > 2048 || !std::regex_match(v, k_url)) {  // bounded: std::regex recurses per character
        add(problem, field, "\"" + v.substr(0, 200) + (v.size() > 200 ? "..." : "") + "\" is not https://github.com/cncf/k8s-conformance/tree/master/vX.Y/<product>");
      } else {
        add(MetadataFinding::Kind::link, field, v);
      }
    } else if (v.starts_with("http")) {
      std::string why = url_problem(v);
      if (!why.empty()) {
        add(problem, field, "\"" + v + "\" " + why);
        return;
      }
      std::string lower = core::to_lower(v);
      if (name == "productLogoUrl" && !lower.ends_with(".svg") && !lower.ends_with(".eps") && !lower.ends_with(".ai")) {
        add(MetadataFinding::Kind::warning, field, "reviewers ask for an SVG, EPS or AI logo");
      }
      add(MetadataFinding::Kind::link, field, v);
    } else if (name == "contactEmailAddress" && v.find('@') == std::string::npos) {
      add(problem, field, "\"" + v + "\" is not an e-mail address");
    }
  };
  for (const auto& f : k_metadata) {
    if (version.empty() && std::string(f.name) == "kubernetesVersion") {
      continue;  // a product file names no version: the submission does
    }
    rule_since = std::string(f.name) == "k8sConformanceUrl" && !rules.conformance_url ? k_rule_conformance_url : nullptr;
    std::string key = meta.contains(f.name) ? f.name : (meta.contains(f.snake) ? f.snake : "");
    std::string field = prefix.empty() ? (key.empty() ? std::string(f.name) : key) : core::child(prefix, key.empty() ? f.name : key);
    if (key.empty() || meta[key].is_null()) {
      if (f.required) {
        add(problem, prefix.empty() ? field : prefix, std::string("missing metadata field ") + f.name);
      }
      continue;
    }
    if (!meta[key].is_string()) {
      add(problem, field, "is not a string");
      continue;
    }
    std::string v = meta[key].get<std::string>();
    if (v.empty() || is_placeholder(v)) {
      if (f.required || !v.empty()) {
        add(problem, field, v.empty() ? "is empty" : "placeholder left in: " + v);
      }
      continue;
    }
    value_rules(f.name, field, v);
  }
  rule_since = rules.membership ? nullptr : k_rule_membership;
  std::string vendor_key = meta.contains("vendorName") ? "vendorName" : "vendor_name";
  const Json vendor = meta.value(vendor_key, Json());
  if (members != nullptr && vendor.is_string() && !core::trim(vendor.get<std::string>()).empty() && !is_placeholder(vendor.get<std::string>())) {
    std::string why = membership_problem(core::trim(vendor.get<std::string>()), *members);
    if (!why.empty()) {
      add(problem, prefix.empty() ? vendor_key : core::child(prefix, vendor_key), why);
    }
  }
  return out;
}

namespace {

int line_at(const std::string& text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(std::min(offset, text.size())), '\n'));
}

class Checker {
 public:
  Checker(std::string path, const CheckOptions& options) : m_options(options) { locate(std::move(path)); }

  CheckReport run() {
    std::string text = core::read_file(m_file.string());
    m_doc = core::parse_yaml(text, m_name);
    m_report.product_file = m_file.string();
    if (!m_doc.value.is_object()) {
      throw core::Error(core::Exit::bad_input, core::Where{m_name, 1, ""}, "not a PRODUCT.yaml (a map with metadata and spec)");
    }
    const Json& meta = m_doc.value.contains("metadata") ? m_doc.value["metadata"] : Json();
    std::string version = m_path_version;
    if (version.empty() && meta.is_object() && meta.value("kubernetesVersion", Json()).is_string()) {
      version = meta["kubernetesVersion"].get<std::string>();
    }
    if (version.empty()) {
      throw core::Error(core::Exit::bad_input, core::Where{m_name, 0, "metadata.kubernetesVersion"},
                        "no version: neither the path (vX.Y/<product>/PRODUCT.yaml) nor the metadata names one");
    }
    const Checklist& list = checklist(version);
    m_report.version = list.version;
    m_report.rules_as_of = m_options.rules.as_of;
    check_metadata(meta, list.version);
    check_spec(list);
    return m_report;
  }

 private:
  void locate(std::string path) {
    fs::path p(path);
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      throw core::Error(core::Exit::not_found, core::Where{path, 0, ""}, "no such file or folder");
    }
    m_file = fs::is_directory(p, ec) ? p / "PRODUCT.yaml" : p;
    if (!fs::is_regular_file(m_file, ec)) {
      throw core::Error(core::Exit::not_found, core::Where{m_file.string(), 0, ""}, "no PRODUCT.yaml in the folder");
    }
    m_dir = m_file.parent_path().empty() ? fs::path(".") : m_file.parent_path();
    m_name = m_file.string();
    static const std::regex k_version(R"((?:^|/)(v\d+\.\d+)/)");
    std::smatch m;
    std::string abs = fs::absolute(m_file).lexically_normal().string();
    std::string last;
    for (auto it = std::sregex_iterator(abs.begin(), abs.end(), k_version); it != std::sregex_iterator(); ++it) {
      last = (*it)[1];
    }
    m_path_version = last;
  }

  void problem(const std::string& field, const std::string& message) {
    m_report.problems.push_back(core::Where{m_name, m_doc.line_of(field), field}.str() + ": " + message);
  }
  void warning(const std::string& field, const std::string& message) {
    m_report.warnings.push_back(core::Where{m_name, m_doc.line_of(field), field}.str() + ": " + message);
  }

  void check_metadata(const Json& meta, const std::string& version) {
    if (!meta.is_object()) {
      problem("metadata", "missing 'metadata' section");
      return;
    }
    if (!m_options.members_unavailable.empty() && m_options.rules.membership) {  // as the validator fails without the landscape
      problem("metadata.vendorName", "CNCF membership not checked: " + m_options.members_unavailable);
    }
    const MemberList* members = m_options.members ? m_options.members.get() : &embedded_members();
    for (const auto& f : metadata_findings(meta, "metadata", version, m_options.members_unavailable.empty() ? members : nullptr,
                                           m_options.rules)) {
      if (f.kind == MetadataFinding::Kind::problem) {
        problem(f.field, f.message);
      } else if (f.kind == MetadataFinding::Kind::warning) {
        warning(f.field, f.message);
      } else {
        check_link(f.field, f.message);
      }
    }
  }

  void check_link(const std::string& field, const std::string& url) {
    ++m_report.links;
    if (m_options.link_answers) {
      std::string why = m_options.link_answers(url);
      if (!why.empty()) {
        problem(field, url + " does not answer: " + why);
      }
    }
  }

  void check_spec(const Checklist& list) {
    const Json& spec = m_doc.value.contains("spec") ? m_doc.value["spec"] : Json();
    if (!spec.is_object()) {
      problem("spec", "missing 'spec' section");
      return;
    }
    std::set<std::string> categories;
    for (const auto& r : list.requirements) {
      categories.insert(r.category);
    }
    for (const auto& [category, items] : spec.items()) {
      std::string field = core::child("spec", category);
      if (!categories.contains(category)) {
        problem(field, "unknown category for " + list.version + "; known: " +
                           core::join(std::vector<std::string>(categories.begin(), categories.end())));
        continue;
      }
      if (!items.is_array()) {
        problem(field, "is not a list of requirements");
        continue;
      }
      std::set<std::string> seen;
      for (size_t i = 0; i < items.size(); ++i) {
        std::string at = core::index(field, i);
        const Json& item = items[i];
        std::string id = item.is_object() && item.value("id", Json()).is_string() ? item["id"].get<std::string>() : "";
        const Requirement* req = list.find(id);
        if (id.empty()) {
          problem(at, "a requirement without an id");
        } else if (req == nullptr || req->category != category) {
          problem(core::child(at, "id"), "unknown id \"" + id + "\" in " + category + " for " + list.version +
                                             (req ? " (it belongs in " + req->category + ")" : ""));
        } else if (!seen.insert(id).second) {
          problem(core::child(at, "id"), "\"" + id + "\" is listed twice");
        } else {
          check_requirement(*req, item, at);
        }
      }
    }
    for (const auto& r : list.requirements) {
      const Json& items = spec.contains(r.category) ? spec[r.category] : Json();
      bool present = items.is_array() && std::any_of(items.begin(), items.end(), [&](const Json& i) {
                       return i.is_object() && i.value("id", Json()) == r.id;
                     });
      if (!present) {
        problem(spec.contains(r.category) ? core::child("spec", r.category) : "spec",
                "missing requirement \"" + r.id + "\" (" + r.level + ") in " + r.category);
      }
    }
  }

  std::string text_field(const Json& item, const std::string& at, const char* key) {
    if (!item.contains(key) || item[key].is_null()) {
      return "";
    }
    if (!item[key].is_string()) {
      problem(core::child(at, key), "is not a string");
      return "";
    }
    return item[key].get<std::string>();
  }

  void check_requirement(const Requirement& req, const Json& item, const std::string& at) {
    ++m_report.requirements;
    if (text_field(item, at, "description") != req.description) {
      problem(core::child(at, "description"), "differs from the " + m_report.version + " checklist's; copy it byte for byte");
    }
    if (text_field(item, at, "level") != req.level) {
      problem(core::child(at, "level"), "must be " + req.level + " as the checklist says");
    }
    std::string status = text_field(item, at, "status");
    std::string notes = text_field(item, at, "notes");
    std::vector<std::string> evidence;
    if (item.contains("evidence") && !item["evidence"].is_null()) {
      if (!item["evidence"].is_array()) {
        problem(core::child(at, "evidence"), "is not a list");
      } else {
        for (size_t j = 0; j < item["evidence"].size(); ++j) {
          const Json& e = item["evidence"][j];
          if (!e.is_string()) {
            problem(core::index(core::child(at, "evidence"), j), "is not a string");
          } else if (!e.get<std::string>().empty()) {
            check_evidence(e.get<std::string>(), core::index(core::child(at, "evidence"), j));
            evidence.push_back(e.get<std::string>());
          }
        }
      }
    }
    if (req.level == "SHOULD" && status.empty() && evidence.empty()) {
      return;  // a SHOULD left blank is allowed
    }
    std::string field = core::child(at, "status");
    if (!k_statuses.contains(status)) {
      problem(field, "\"" + status + "\" is not one of Implemented, Not Implemented, Partially Implemented, N/A");
    } else if (req.level == "MUST" && status != "Implemented" && !(status == "N/A" && must_allows_na(req.id))) {
      problem(field, "\"" + req.id + "\" is MUST but its status is \"" + status + "\"; it must be Implemented" +
                         (must_allows_na(req.id) ? " (or N/A with notes)" : ""));
    }
    if (status == "N/A" && core::trim(notes).empty()) {
      problem(core::child(at, "notes"), "N/A needs notes saying why");
    }
  }

  void check_evidence(const std::string& link, const std::string& field) {
    if (link.starts_with("http://") || link.starts_with("https://")) {
      std::string why = url_problem(link);
      if (!why.empty()) {
        problem(field, "\"" + link + "\" " + why);
      } else {
        check_link(field, link);
      }
      return;
    }
    std::string rel = link.starts_with("file://") ? link.substr(7) : link;
    std::string fragment;
    if (auto hash = rel.find('#'); hash != std::string::npos) {
      fragment = rel.substr(hash + 1);
      rel = rel.substr(0, hash);
    }
    if (rel.find("://") != std::string::npos) {
      problem(field, "\"" + link + "\" is neither an http(s) URL nor a file in the product folder");
      return;
    }
    fs::path p(rel);
    bool escapes = p.is_absolute() || rel.empty();
    for (const auto& part : p) {
      escapes = escapes || part == "..";
    }
    if (escapes) {
      problem(field, "\"" + link + "\" escapes the product folder (absolute or with ..)");
      return;
    }
    ++m_report.local_files;
    fs::path full = m_dir / p;
    std::error_code ec;
    if (fs::is_symlink(full, ec) || !fs::is_regular_file(full, ec)) {
      problem(field, "\"" + link + "\" is not a file in the product folder (" + full.string() + ")");
      return;
    }
    if (is_test_output(p.filename().string())) {
      check_test_output(full, link, fragment, field);
    }
  }

  void check_test_output(const fs::path& file, const std::string& link, const std::string& test, const std::string& field) {
    std::string text = core::read_file(file.string());
    std::string name = file.filename().string();
    std::string shown = file.string();
    std::vector<std::string> names;
    if (name.ends_with(".xml")) {
      junit_failures(text, shown, field, names);
    } else if (name == "results.json") {
      ctrf_failures(text, shown, field, names);
    } else {
      std::istringstream lines(text);
      int n = 0;
      for (std::string line; std::getline(lines, line);) {
        ++n;
        if (line.starts_with("[FAIL]") || line.find("--- FAIL:") != std::string::npos || line.find("FAIL!") != std::string::npos) {
          problem(field, shown + ":" + std::to_string(n) + ": a failing test: " + core::trim(line));
        }
      }
      return;
    }
    if (!test.empty() && std::find(names.begin(), names.end(), test) == names.end()) {
      problem(field, "\"" + link + "\": " + shown + " has no test named " + test);
    }
  }

  void junit_failures(const std::string& text, const std::string& shown, const std::string& field, std::vector<std::string>& names) {
    pugi::xml_document xml;
    pugi::xml_parse_result r = xml.load_buffer(text.data(), text.size(), pugi::parse_default & ~pugi::parse_doctype);
    if (!r) {
      problem(field, shown + ":" + std::to_string(line_at(text, static_cast<size_t>(r.offset))) + ": not JUnit XML: " + r.description());
      return;
    }
    for (pugi::xpath_node n : xml.select_nodes("//testcase")) {
      pugi::xml_node tc = n.node();
      names.push_back(tc.attribute("name").value());
      for (const char* bad : {"failure", "error"}) {
        if (pugi::xml_node f = tc.child(bad)) {
          problem(field, shown + ":" + std::to_string(line_at(text, static_cast<size_t>(f.offset_debug()))) + ": test " +
                             tc.attribute("name").value() + " " + (std::string(bad) == "failure" ? "failed" : "errored") +
                             (f.attribute("message") ? std::string(": ") + f.attribute("message").value() : ""));
        }
      }
    }
  }

  void ctrf_failures(const std::string& text, const std::string& shown, const std::string& field, std::vector<std::string>& names) {
    Json doc;
    try {
      doc = Json::parse(text);
    } catch (const std::exception& e) {
      problem(field, shown + ": not JSON: " + e.what());
      return;
    }
    const Json& tests = doc.contains("results") ? doc["results"].value("tests", Json::array()) : doc.value("tests", Json::array());
    if (!tests.is_array()) {
      problem(field, shown + ": results.tests is not a list");
      return;
    }
    for (size_t i = 0; i < tests.size(); ++i) {
      std::string name = tests[i].is_object() ? tests[i].value("name", "") : "";
      names.push_back(name);
      std::string st = tests[i].is_object() ? tests[i].value("status", "") : "";
      if (st == "failed" || st == "fail" || st == "error") {
        problem(field, shown + ": results.tests[" + std::to_string(i) + "] " + name + " " + st);
      }
    }
  }

  const CheckOptions& m_options;
  fs::path m_file;
  fs::path m_dir;
  std::string m_name;
  std::string m_path_version;
  core::Document m_doc;
  CheckReport m_report;
};

}  // namespace

CheckReport check_submission(const std::string& path, const CheckOptions& options) { return Checker(path, options).run(); }

ValidatorRules validator_rules(const std::string& as_of, const std::string& what) {
  ValidatorRules rules;
  if (as_of.empty()) {
    return rules;
  }
  std::int64_t at = core::parse_time(as_of, what);
  rules.as_of = core::rfc3339(at);
  auto since = [](const char* moment) { return core::parse_time(moment, "the validator's rule history"); };
  if (at < since(k_validator_first)) {
    throw core::Error(core::Exit::bad_input, core::Where{what, 0, ""},
                      rules.as_of + " is before the CNCF validator's first version (" + k_validator_first +
                          "): submissions before it were reviewed by hand, by no rules Galley can replay");
  }
  rules.conformance_url = at >= since(k_rule_conformance_url);
  rules.membership = at >= since(k_rule_membership);
  return rules;
}

std::string to_text(const CheckReport& report) {
  std::ostringstream out;
  for (const auto& p : report.problems) {
    out << p << "\n";
  }
  for (const auto& w : report.warnings) {
    out << "warning: " << w << "\n";
  }
  out << (report.ok() ? "check: OK " : "check: FAILED ") << report.product_file << " (" << report.version << ", "
      << report.requirements << " requirements, " << report.local_files << " local evidence files, " << report.links
      << " links" << (report.ok() ? "" : ", " + std::to_string(report.problems.size()) + " problems")
      << (report.rules_as_of.empty() ? "" : ", the CNCF validator's rules as of " + report.rules_as_of) << ")\n";
  return out.str();
}

}  // namespace galley::conformance
