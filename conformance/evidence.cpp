// Evidence: the probe objects read back from the cluster (saved `kubectl get -o json`), judged per
// requirement against what each probe object's expectation annotation says; then the evidence files
// (evidence.yaml, junit.xml and CTRF through validate's report formats, one Markdown page each).
#include <algorithm>
#include <set>
#include <sstream>

#include "bundle/bundle.hpp"
#include "bundle/inventory.hpp"
#include "conformance/conformance.hpp"
#include "conformance/internal/probe_names.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/yaml_emit.hpp"
#include "validate/validate.hpp"

namespace galley::conformance {

using core::Json;

namespace {

std::string key_of(const Json& o) {
  return o.value("kind", "") + "/" + o["metadata"].value("name", "");
}

std::string label_of(const Json& o) {
  const Json& m = o.contains("metadata") ? o["metadata"] : Json();
  return m.is_object() && m.contains("labels") && m["labels"].is_object() ? m["labels"].value(k_probe_label, "") : "";
}

bool condition_true(const Json& status, const std::string& type) {
  for (const auto& c : status.value("conditions", Json::array())) {
    if (c.value("type", "") == type && c.value("status", "") == "True") {
      return true;
    }
  }
  return false;
}

// One object against its expectation: "" when it holds, else what was observed instead.
std::string unmet(const std::string& expect, const Json& o, std::string& observed) {
  const Json status = o.value("status", Json::object());
  if (expect == "exists") {
    observed = "present";
    return "";
  }
  if (expect.starts_with("succeeded")) {
    std::string phase = status.value("phase", "");
    std::string message;
    for (const auto& cs : status.value("containerStatuses", Json::array())) {
      message = cs.contains("state") && cs["state"].contains("terminated") ? cs["state"]["terminated"].value("message", "") : message;
    }
    observed = "phase " + (phase.empty() ? std::string("unknown") : phase) + (message.empty() ? "" : ", reported \"" + core::trim(message) + "\"");
    std::string want = expect.size() > 10 ? expect.substr(10) : "";
    if (phase != "Succeeded") {
      return "did not succeed";
    }
    return want.empty() || core::trim(message) == want ? "" : "reported other than " + want;
  }
  if (expect.starts_with("complete:")) {
    long long want = std::stoll(expect.substr(9));
    long long got = status.value("succeeded", 0LL);
    observed = std::to_string(got) + " of " + std::to_string(want) + " pods succeeded";
    return got == want && condition_true(status, "Complete") ? "" : "the job did not complete with every pod";
  }
  if (expect.starts_with("condition:")) {
    std::string type = expect.substr(10);
    observed = type + (condition_true(status, type) ? " True" : " not True");
    return condition_true(status, type) ? "" : "condition " + type + " is not True";
  }
  if (expect == "parents-accepted") {
    bool any = false;
    for (const auto& parent : status.value("parents", Json::array())) {
      any = any || condition_true(parent, "Accepted");
    }
    observed = any ? "accepted by its parent" : "not accepted by any parent";
    return any ? "" : "not accepted";
  }
  if (expect == "hpa-active") {
    bool active = condition_true(status, "ScalingActive");
    bool metrics = !status.value("currentMetrics", Json::array()).empty();
    observed = std::string("ScalingActive ") + (active ? "True" : "not True") + (metrics ? ", metric read" : ", no metric read");
    return active && metrics ? "" : "the HPA could not read its custom metric";
  }
  if (expect == "available") {
    observed = condition_true(status, "Available") ? "Available" : "not Available";
    return condition_true(status, "Available") ? "" : "not available";
  }
  observed = "unknown expectation " + expect;
  return "unknown expectation";
}

std::string page(const Verdict& v, const std::string& version) {
  std::ostringstream md;
  md << "# " << v.id << " (" << v.level << ", " << version << ")\n\n"
     << "- Test: `" << v.test << "`\n- Result: **" << v.status << "**" << (v.reason.empty() ? "" : ": " + v.reason) << "\n"
     << "- Provided by: " << (v.components.empty() ? "-" : core::join(v.components)) << "\n";
  if (!v.what.empty()) {
    md << "- What ran: " << v.what << "\n";
  }
  if (!v.observed.empty()) {
    md << "\n## Observed\n\n";
    for (const auto& o : v.observed) {
      md << "- " << o << "\n";
    }
  }
  return md.str();
}

}  // namespace

std::vector<Json> read_results(const std::vector<std::pair<std::string, std::string>>& texts) {
  std::vector<Json> out;
  for (const auto& [name, text] : texts) {
    Json doc = core::parse_yaml(text, name).value;
    Json items = doc.is_object() && doc.value("kind", "") == "List" ? doc.value("items", Json::array()) : Json::array({doc});
    if (!items.is_array()) {
      throw core::Error(core::Exit::bad_input, core::Where{name, 0, "items"}, "not `kubectl get -o json` output");
    }
    for (const auto& o : items) {
      if (!o.is_object() || !o.contains("kind") || !o.contains("metadata")) {
        throw core::Error(core::Exit::bad_input, core::Where{name, 0, "items"}, "an item that is not a Kubernetes object");
      }
      bool owned = o["metadata"].is_object() && !o["metadata"].value("ownerReferences", Json::array()).empty();
      if (!label_of(o).empty() && !owned) {
        out.push_back(o);
      }
    }
  }
  return out;
}

std::vector<Verdict> judge(const std::vector<Probe>& probes, const std::vector<Json>& results, const EvidenceOptions& options) {
  if (results.empty()) {
    throw core::Error(core::Exit::bad_input, "the results hold no probe object (labelled " + std::string(k_probe_label) +
                                                 "); save them as the probes' README says");
  }
  std::map<std::string, const Json*> by_key;
  for (const auto& o : results) {
    by_key[label_of(o) + "|" + key_of(o)] = &o;
  }
  std::set<std::string> expected;
  std::vector<Verdict> out;
  for (const auto& p : probes) {
    Verdict v{p.id, p.level, p.test, "", "", p.components, {}, p.what};
    if (p.objects.empty()) {
      v.status = "not-applicable";
      v.reason = p.not_covered;
      out.push_back(v);
      continue;
    }
    std::vector<std::string> failed;
    std::vector<std::string> missing;
    for (const auto& o : p.objects) {
      std::string key = p.id + "|" + key_of(o);
      expected.insert(key);
      std::string expect = o["metadata"]["annotations"].value(k_expect_annotation, "exists");
      auto it = by_key.find(key);
      if (it == by_key.end()) {
        missing.push_back(key_of(o));
        continue;
      }
      std::string observed;
      std::string why = unmet(expect, *it->second, observed);
      std::string node = (*it->second).value("spec", Json::object()).value("nodeName", "");
      if (!node.empty()) {
        observed += ", on node " + (options.privacy == Privacy::full ? node : validate::pseudonym(node, options.salt));
      }
      v.observed.push_back(key_of(o) + ": " + observed);
      if (!why.empty()) {
        failed.push_back(key_of(o) + " " + why);
      }
    }
    if (!failed.empty()) {
      v.status = "fail";
      v.reason = core::join(failed, "; ");
    } else if (!missing.empty()) {
      v.status = "could-not-verify";
      v.reason = "not in the results: " + core::join(missing) + " (was the probe applied and saved?)";
    } else {
      v.status = "pass";
    }
    out.push_back(v);
  }
  for (const auto& [key, o] : by_key) {
    if (!expected.contains(key)) {
      throw core::Error(core::Exit::bad_input, core::Where{"results", 0, key_of(*o)},
                        "a probe object (" + label_of(*o) + ") that these probes do not have: results of other probes or another recipe");
    }
  }
  return out;
}

std::map<std::string, std::string> evidence_files(const Json& recipe, const std::string& version,
                                                  const std::vector<Verdict>& verdicts, const EvidenceOptions& options) {
  std::map<std::string, std::string> files;
  Json results = Json::array();
  Json list = Json::array();
  for (const auto& v : verdicts) {
    files["requirements/" + v.id + ".md"] = page(v, version);
    Json r = {{"category", v.level}, {"name", v.test}, {"status", v.status}, {"expected", v.what},
              {"observed", core::join(v.observed, "; ")}, {"source", core::join(v.components)}};
    if (!v.reason.empty()) {
      r["reason"] = v.reason;
    }
    results.push_back(r);
    list.push_back({{"id", v.id}, {"level", v.level}, {"test", v.test}, {"status", v.status}, {"reason", v.reason},
                    {"components", v.components}, {"observed", v.observed}});
  }
  Json summary = {{"passed", 0}, {"failed", 0}, {"notApplicable", 0}, {"couldNotVerify", 0}};
  Json report = {{"metadata", {{"name", recipe["metadata"]["name"]}, {"allow", Json::array()}}},
                 {"spec", {{"snapshots", {{{"snapshot", "conformance " + version}, {"summary", summary}, {"results", results}}}}}}};
  files["junit.xml"] = validate::format_report(report, validate::ReportFormat::junit, options.stamp_ms);
  files["ctrf.json"] = validate::format_report(report, validate::ReportFormat::ctrf, options.stamp_ms);
  Json doc = {{"apiVersion", "galley.dev/v1alpha1"},
              {"kind", "ConformanceEvidence"},
              {"metadata", {{"name", recipe["metadata"]["name"]}}},
              {"spec", {{"kubernetesVersion", version}, {"recipeDigest", recipe["metadata"]["digest"]},
                        {"privacy", options.privacy == Privacy::full ? "full" : "hashed"}, {"requirements", list}}}};
  files["evidence.yaml"] = core::to_yaml(doc);
  files["recipe-digest.txt"] = recipe["metadata"]["digest"].get<std::string>() + "\n";
  if (!options.validate_report.empty()) {
    files["validate-report.json"] = options.validate_report;
  }
  // A bundle of its own (deployer "conformance"): bundle.yaml's inventory lets a change be seen, and
  // `galley attest`, `verify`, `push` and `pull` take it as they take any bundle.
  files[bundle::k_recipe_file] = core::to_yaml(recipe);
  std::map<std::string, bundle::File> inventoried;
  for (const auto& [path, bytes] : files) {
    inventoried[path] = bundle::File{bytes, false};
  }
  files[bundle::k_manifest_file] = bundle::manifest_text(
      recipe["metadata"]["name"],
      {{"recipeDigest", recipe["metadata"]["digest"]},
       {"deployer", bundle::k_conformance_deployer},
       {"checklistDigest", checklist_digest(version)},  // what the evidence was judged against
       {"options", Json::object()}},
      inventoried);
  return files;
}

}  // namespace galley::conformance
