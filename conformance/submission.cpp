// `galley conformance submission`: the version's checklist filled in from judged evidence and the
// product file, written as vX.Y/<product>/ only once `check` accepts it.
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "bundle/bundle.hpp"
#include "bundle/folder.hpp"
#include "bundle/folder_write.hpp"
#include "bundle/inventory.hpp"
#include "conformance/conformance.hpp"
#include "conformance/internal/metadata_rules.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"

namespace galley::conformance {

namespace fs = std::filesystem;
using core::Error;
using core::Exit;
using core::Json;

namespace {

// The product file: metadata for PRODUCT.yaml, the folder name, and a layered product's base.
struct ProductInfo {
  Json meta = Json::object();
  std::string product;
  std::string base;                     // "" = not layered
  std::set<std::string> base_provides;  // requirement ids the base distribution provides
};

ProductInfo read_product(const SubmissionInput& in, const Checklist& list) {
  core::Document doc = core::parse_yaml(in.product_text, in.product_file);
  auto fail = [&](const std::string& field, const std::string& message) {
    return Error(Exit::bad_input, core::Where{in.product_file, doc.line_of(field), field}, message);
  };
  if (!doc.value.is_object()) {
    throw fail("", "not a product file (a map: product, platformName, ... k8sConformanceUrl)");
  }
  ProductInfo info;
  static const std::set<std::string> k_known = {
      "product",     "platformName",        "platformVersion",   "vendorName", "websiteUrl", "repoUrl",
      "documentationUrl", "productLogoUrl", "description", "contactEmailAddress", "k8sConformanceUrl", "layered"};
  for (const auto& [key, value] : doc.value.items()) {
    if (!k_known.contains(key)) {
      throw fail(key, "unknown field; known: " + core::join(std::vector<std::string>(k_known.begin(), k_known.end())));
    }
    if (key != "product" && key != "layered") {
      info.meta[key] = value;
    }
  }
  const Json product = doc.value.value("product", Json());
  static const std::regex k_name("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");
  // Bounded before matching: std::regex recurses per character (a 200,000-character name overflowed the stack).
  if (!product.is_string() || product.get<std::string>().size() > 253 ||
      !std::regex_match(product.get<std::string>(), k_name)) {
    throw fail(product.is_null() ? "" : "product",
               product.is_null() ? "missing field product (the folder name under " + list.version + "/, e.g. my-platform)"
                                 : "product: not a folder name (lowercase letters, digits, '.', '_', '-')");
  }
  info.product = product.get<std::string>();
  for (const auto& f : metadata_findings(info.meta, "", "", in.members ? in.members.get() : &embedded_members())) {
    if (f.kind == MetadataFinding::Kind::problem) {
      throw fail(f.field, f.message);
    }
  }
  if (doc.value.contains("layered")) {
    const Json& layered = doc.value["layered"];
    if (!layered.is_object() || !layered.value("base", Json()).is_string() || layered["base"].get<std::string>().empty()) {
      throw fail("layered.base", "a layered product names its base distribution (layered.base: \"Amazon EKS v1.35\")");
    }
    info.base = layered["base"].get<std::string>();
    const Json provides = layered.value("baseProvides", Json::array());
    if (!provides.is_array()) {
      throw fail("layered.baseProvides", "not a list of requirement ids");
    }
    for (size_t i = 0; i < provides.size(); ++i) {
      std::string field = core::index("layered.baseProvides", i);
      if (!provides[i].is_string() || list.find(provides[i].get<std::string>()) == nullptr) {
        throw fail(field, provides[i].dump() + " is not a requirement id of " + list.version);
      }
      info.base_provides.insert(provides[i].get<std::string>());
    }
  }
  return info;
}

// The evidence folder: every file (path -> bytes) and evidence.yaml's verdicts by id.
struct Evidence {
  std::map<std::string, std::string> files;
  std::string version;
  std::string recipe_digest;
  std::map<std::string, Json> verdicts;
};

// The checklist the evidence was judged against must be the text Galley embeds for its version:
// spec.checklistDigest, or templatesDigest in evidence written before that field existed.
void check_checklist_digest(const core::Document& manifest, const std::string& name, const std::string& version) {
  const Json spec = manifest.value.is_object() ? manifest.value.value("spec", Json::object()) : Json::object();
  std::string field = spec.contains("checklistDigest") ? "spec.checklistDigest" : "spec.templatesDigest";
  const Json stated = spec.value(field.substr(5), Json());
  std::string want = checklist_digest(version);
  if (!stated.is_string()) {
    throw Error(Exit::bad_input, core::Where{name, manifest.line_of("spec"), "spec.checklistDigest"},
                "missing: not evidence written by `conformance evidence`");
  }
  if (stated.get<std::string>() != want) {
    throw Error(Exit::bad_input, core::Where{name, manifest.line_of(field), field},
                "the evidence was judged against another " + version + " checklist text (" + stated.get<std::string>() +
                    ", Galley's is " + want + "); judge it again with this galley");
  }
}

Evidence read_evidence(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(Exit::not_found, core::Where{dir, 0, ""}, "no such evidence folder");
  }
  Evidence ev;
  for (const auto& [path, facts] : bundle::walk_folder(dir, bundle::WalkOptions{}).files) {
    ev.files[path] = core::read_file((fs::path(dir) / path).string());
  }
  const std::string name = (fs::path(dir) / "evidence.yaml").string();
  if (!ev.files.contains("evidence.yaml")) {
    throw Error(Exit::bad_input, core::Where{name, 0, ""}, "no evidence.yaml: not a folder written by `conformance evidence`");
  }
  // The inventory in bundle.yaml: any file changed, added or removed after the evidence was written
  // (or signed) is refused.
  const std::string manifest_name = (fs::path(dir) / bundle::k_manifest_file).string();
  if (!ev.files.contains(bundle::k_manifest_file)) {
    throw Error(Exit::bad_input, core::Where{manifest_name, 0, ""}, "no bundle.yaml: not a folder written by `conformance evidence`");
  }
  bundle::WalkOptions walk;
  walk.on_problem = bundle::OnProblem::collect;
  walk.attestation = bundle::Attestation::leave_out;
  walk.hashing = bundle::Hashing::sha256;
  std::vector<std::string> diffs = bundle::inventory_differences(core::parse_yaml(ev.files[bundle::k_manifest_file], manifest_name).value,
                                                                 bundle::walk_folder(dir, walk));
  if (!diffs.empty()) {
    throw Error(Exit::check_failed, core::Where{dir, 0, ""},
                "the evidence folder does not match its inventory (changed after it was written or signed): " + core::join(diffs, "; "));
  }
  core::Document doc = core::parse_yaml(ev.files["evidence.yaml"], name);
  const Json& spec = doc.value.is_object() ? doc.value.value("spec", Json()) : Json();
  if (doc.value.value("kind", Json()) != "ConformanceEvidence" || !spec.is_object() ||
      !spec.value("kubernetesVersion", Json()).is_string() || !spec.value("requirements", Json()).is_array()) {
    throw Error(Exit::bad_input, core::Where{name, 1, "kind"}, "not a ConformanceEvidence document with spec.kubernetesVersion and spec.requirements");
  }
  ev.version = spec["kubernetesVersion"].get<std::string>();
  check_checklist_digest(core::parse_yaml(ev.files[bundle::k_manifest_file], manifest_name), manifest_name, ev.version);
  ev.recipe_digest = spec.value("recipeDigest", "");
  const Json& reqs = spec["requirements"];
  for (size_t i = 0; i < reqs.size(); ++i) {
    if (!reqs[i].is_object() || !reqs[i].value("id", Json()).is_string() || !reqs[i].value("status", Json()).is_string()) {
      std::string field = core::index("spec.requirements", i);
      throw Error(Exit::bad_input, core::Where{name, doc.line_of(field), field}, "a requirement without id or status");
    }
    ev.verdicts[reqs[i]["id"].get<std::string>()] = reqs[i];
  }
  return ev;
}

// What PRODUCT.yaml says for one requirement.
struct Filled {
  std::string status;
  std::vector<std::string> evidence;
  std::string notes;
  std::string provider;  // README's "provided by"
};

std::string quoted(const std::string& v) { return Json(v).dump(); }

Filled fill(const Requirement& r, const Json& v, const ProductInfo& info, bool junit_clean) {
  Filled out;
  std::string status = v.value("status", "");
  std::string reason = v.value("reason", "");
  std::vector<std::string> components = v.value("components", std::vector<std::string>{});
  const std::string parts = components.empty() ? "" : core::join(components);
  if (info.base.empty()) {
    out.provider = parts.empty() ? "-" : parts;
  } else {
    out.provider = info.base_provides.contains(r.id) ? info.base + " (base)"
                                                     : info.meta.value("platformName", "") + (parts.empty() ? "" : " (" + parts + ")");
  }
  std::string layer = info.base.empty() ? "" : " Layer: " + out.provider + ".";
  if (status == "pass") {
    out.status = "Implemented";
    out.evidence.push_back("evidence/requirements/" + r.id + ".md");
    if (junit_clean) {
      out.evidence.push_back("file://evidence/junit.xml#" + v.value("test", test_name(r.id)));
    }
    out.notes = "Demonstrated by probe " + v.value("test", test_name(r.id)) + " on the platform" +
                (components.empty() ? "" : " with " + core::join(components)) + "." + layer;
  } else if (status == "not-applicable" && (r.level == "SHOULD" || must_allows_na(r.id))) {
    out.status = "N/A";
    out.notes = reason + "." + layer;
  } else {
    out.status = "Not Implemented";  // a SHOULD without passing evidence (a MUST was refused before)
    out.notes = "No passing evidence (" + status + (reason.empty() ? "" : ": " + reason) + ")." + layer;
  }
  return out;
}

// The checklist text with metadata and every requirement's status, evidence and notes filled in.
std::string product_yaml(const Checklist& list, const ProductInfo& info, const std::map<std::string, Filled>& filled,
                         const std::string& recipe_digest) {
  std::istringstream lines(list.text);
  std::ostringstream out;
  static const std::regex k_meta(R"(^  ([A-Za-z0-9]+): .*$)");
  static const std::regex k_id(R"(^\s+- id: (\S+)\s*$)");
  static const std::regex k_field(R"(^(\s+)(status|evidence|notes): .*$)");
  bool header = true;
  bool in_metadata = false;
  const Filled* current = nullptr;
  std::smatch m;
  for (std::string line; std::getline(lines, line);) {
    if (header && line.starts_with("#")) {
      continue;  // the checklist's instructions to participants; replaced below
    }
    if (header) {
      header = false;
      out << "# Kubernetes AI Conformance " << list.version << ": " << info.meta.value("platformName", "") << " "
          << info.meta.value("platformVersion", "") << "\n# Written by `galley conformance submission` from the evidence in evidence/"
          << (recipe_digest.empty() ? "" : " (recipe " + recipe_digest + ")") << ".\n";
    }
    if (line == "metadata:" || line == "spec:") {
      in_metadata = line == "metadata:";
    } else if (in_metadata && std::regex_match(line, m, k_meta) && m[1] != "kubernetesVersion") {
      std::string key = m[1];
      if (!info.meta.contains(key)) {
        continue;  // an optional field (repoUrl) the product file leaves out
      }
      line = "  " + key + ": " + quoted(info.meta[key].get<std::string>());
    } else if (std::regex_match(line, m, k_id)) {
      auto it = filled.find(m[1]);
      current = it == filled.end() ? nullptr : &it->second;
    } else if (current != nullptr && std::regex_match(line, m, k_field)) {
      std::string indent = m[1];
      if (m[2] == "status") {
        line = indent + "status: " + quoted(current->status);
      } else if (m[2] == "notes") {
        line = indent + "notes: " + quoted(current->notes);
      } else if (current->evidence.empty()) {
        line = indent + "evidence: []";
      } else {
        line = indent + "evidence:";
        for (const auto& e : current->evidence) {
          line += "\n" + indent + "  - " + quoted(e);
        }
      }
    }
    out << line << "\n";
  }
  return out.str();
}

std::string readme(const Checklist& list, const ProductInfo& info, const std::map<std::string, Filled>& filled,
                   const Evidence& ev) {
  std::ostringstream md;
  md << "# " << info.meta.value("platformName", "") << " " << info.meta.value("platformVersion", "") << ": Kubernetes AI Conformance "
     << list.version << "\n\n"
     << info.meta.value("description", "") << "\n\n"
     << "- Vendor: " << info.meta.value("vendorName", "") << "\n"
     << "- Kubernetes Conformance: " << info.meta.value("k8sConformanceUrl", "") << "\n"
     << "- Evidence: `evidence/` (junit.xml, ctrf.json, one page per requirement in requirements/), judged by "
        "`galley conformance evidence` from the probes' results"
     << (ev.recipe_digest.empty() ? "" : "; recipe " + ev.recipe_digest) << "\n";
  if (ev.files.contains("attestation.sigstore.json")) {
    md << "- The evidence folder is signed (evidence/attestation.sigstore.json): `galley verify evidence --key KEY.pub`\n";
  }
  if (!info.base.empty()) {
    md << "\nA layered product on top of " << info.base
       << ", whose Kubernetes Conformance entry is referenced above. Every requirement was re-tested on the layered "
          "platform; the table names the layer that provides each.\n";
  }
  md << "\n| Requirement | Level | Status | " << (info.base.empty() ? "Provided by" : "Layer") << " | Evidence |\n"
     << "|---|---|---|---|---|\n";
  for (const auto& r : list.requirements) {
    const Filled& f = filled.at(r.id);
    md << "| " << r.id << " | " << r.level << " | " << f.status << " | " << f.provider << " | "
       << (f.evidence.empty() ? std::string("-") : "[page](" + f.evidence.front() + ")") << " |\n";
  }
  return md.str();
}

}  // namespace

Submission make_submission(const SubmissionInput& input) {
  Evidence ev = read_evidence(input.evidence_dir);
  const Checklist& list = checklist(input.version.empty() ? ev.version : input.version);
  if (list.version != checklist(ev.version).version) {
    throw Error(Exit::bad_input, core::Where{(fs::path(input.evidence_dir) / "evidence.yaml").string(), 0, "spec.kubernetesVersion"},
                "the evidence was judged against " + ev.version + "'s checklist, not " + list.version +
                    "; make the evidence again with --version " + list.version);
  }
  ProductInfo info = read_product(input, list);
  bool junit_clean = true;
  for (const auto& [id, v] : ev.verdicts) {
    junit_clean = junit_clean && v.value("status", "") != "fail";
  }
  std::map<std::string, Filled> filled;
  std::vector<std::string> refused;
  for (const auto& r : list.requirements) {
    auto it = ev.verdicts.find(r.id);
    if (it == ev.verdicts.end()) {
      throw Error(Exit::bad_input, core::Where{(fs::path(input.evidence_dir) / "evidence.yaml").string(), 0, "spec.requirements"},
                  "no verdict for " + r.id + ": not evidence of " + list.version);
    }
    const std::string status = it->second.value("status", "");
    if (r.level == "MUST" && status != "pass" && !(status == "not-applicable" && must_allows_na(r.id))) {
      refused.push_back(r.id + " (" + status + (it->second.value("reason", "").empty() ? "" : ": " + it->second.value("reason", "")) + ")");
    }
    filled[r.id] = fill(r, it->second, info, junit_clean);
  }
  if (!refused.empty()) {
    throw Error(Exit::check_failed, "a MUST requirement is Implemented only with passing evidence; without it: " +
                                        core::join(refused, "; ") + ". Nothing written");
  }
  Submission out{list.version, info.product, {}, input.members};
  out.files["PRODUCT.yaml"] = product_yaml(list, info, filled, ev.recipe_digest);
  out.files["README.md"] = readme(list, info, filled, ev);
  for (const auto& [path, bytes] : ev.files) {
    out.files["evidence/" + path] = bytes;
  }
  return out;
}

CheckReport write_submission(const Submission& submission, const std::string& out, bool replace) {
  const fs::path target = bundle::normal_target((fs::path(out) / submission.version / submission.product).string());
  bundle::Target state = bundle::target_state(target);
  if (state == bundle::Target::other || (state == bundle::Target::folder && !replace)) {
    throw Error(Exit::bad_input, core::Where{target.string(), 0, ""},
                state == bundle::Target::other ? "exists and is not a folder" : "already holds a submission; give --force to replace it");
  }
  bundle::TempDir tmp(bundle::temp_beside(target, "submission"));
  for (const auto& [path, bytes] : submission.files) {
    fs::path file = tmp.path() / path;
    fs::create_directories(file.parent_path());
    bundle::write_new_file(file, bytes);
  }
  // The temporary folder sits beside the target, so the check reads the version from the path above it.
  CheckOptions options;
  options.members = submission.members;
  CheckReport report = check_submission(tmp.path().string(), options);
  if (!report.ok()) {
    std::string problems = core::join(report.problems, "\n");
    throw Error(Exit::check_failed, "the submission fails its own check; nothing written:\n" + problems);
  }
  for (auto& w : report.warnings) {  // named where the submission lands, not where it was checked
    if (w.starts_with(tmp.path().string())) {
      w = target.string() + w.substr(tmp.path().string().size());
    }
  }
  report.product_file = (target / "PRODUCT.yaml").string();
  bundle::move_into_place(tmp, target, target.string(), "submission",
                          state == bundle::Target::folder ? bundle::Replace::yes : bundle::Replace::no);
  return report;
}

SubmissionFolder find_submission(const std::string& out, const CheckOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(out, ec)) {
    throw Error(Exit::not_found, core::Where{out, 0, ""}, "no such folder");
  }
  static const std::regex k_version(R"(v\d+\.\d+)");
  std::vector<fs::path> found;
  fs::path root = fs::path(out).lexically_normal();
  if (fs::is_regular_file(root / "PRODUCT.yaml", ec)) {
    found.push_back(root);
  } else {
    for (const auto& version : fs::directory_iterator(root)) {
      if (!version.is_directory() || !std::regex_match(version.path().filename().string(), k_version)) {
        continue;
      }
      for (const auto& product : fs::directory_iterator(version.path())) {
        if (product.is_directory() && fs::is_regular_file(product.path() / "PRODUCT.yaml", ec)) {
          found.push_back(product.path());
        }
      }
    }
  }
  if (found.size() != 1) {
    std::vector<std::string> names;
    for (const auto& f : found) {
      names.push_back(f.string());
    }
    throw Error(Exit::bad_input, core::Where{out, 0, ""},
                found.empty() ? "holds no submission (vX.Y/<product>/PRODUCT.yaml)"
                              : "holds several submissions (" + core::join(names) + "); name one product folder");
  }
  fs::path dir = fs::absolute(found.front()).lexically_normal();
  if (dir.filename().empty()) {
    dir = dir.parent_path();
  }
  std::string version = dir.parent_path().filename().string();
  if (version.size() > 16 || !std::regex_match(version, k_version)) {
    throw Error(Exit::bad_input, core::Where{out, 0, ""}, "not under a vX.Y folder: publish OUT (holding vX.Y/<product>/)");
  }
  SubmissionFolder sub{found.front().string(), version + "/" + dir.filename().string(), check_submission(found.front().string(), options)};
  if (!sub.report.ok()) {
    throw Error(Exit::check_failed, "the submission fails its check; not published:\n" + core::join(sub.report.problems, "\n"));
  }
  return sub;
}

}  // namespace galley::conformance
