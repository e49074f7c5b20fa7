// Unit tests of the conformance library's rules: checklists, metadata rules, the judge, the
// submission's refusals and its own check. Data: examples/conformance (run from the source root).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "conformance/conformance.hpp"
#include "conformance/internal/metadata_rules.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "resolver/recipe_doc.hpp"

namespace c = galley::conformance;
namespace fs = std::filesystem;
using galley::core::Json;

namespace {

// A fresh temporary folder, removed at the end of the test.
struct Scratch {
  fs::path path;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "galley-conformance-test-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
}

const std::string k_example = "examples/conformance/";

Json recipe() { return galley::resolver::read_recipe(k_example + "recipe.yaml").value; }

std::vector<Json> results() {
  return c::read_results({{"results.json", galley::core::read_file(k_example + "results.json")}});
}

// Judges the example's results, edited by `edit`, and writes the evidence into `dir`.
std::vector<c::Verdict> evidence_into(const fs::path& dir, const std::function<void(std::vector<Json>&)>& edit = {}) {
  Json r = recipe();
  std::vector<Json> res = results();
  if (edit) {
    edit(res);
  }
  c::EvidenceOptions options;
  options.version = "v1.35";
  auto verdicts = c::judge(c::make_probes(r, "v1.35"), res, options);
  for (const auto& [path, bytes] : c::evidence_files(r, "v1.35", verdicts, options)) {
    write(dir / path, bytes);
  }
  return verdicts;
}

const c::Verdict& verdict(const std::vector<c::Verdict>& all, const std::string& id) {
  for (const auto& v : all) {
    if (v.id == id) {
      return v;
    }
  }
  FAIL("no verdict for " << id);
  return all.front();
}

int exit_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const galley::core::Error& e) {
    return galley::core::to_int(e.exit());
  }
  return 0;
}

}  // namespace

TEST_CASE("checklists: versions, lookups, test names", "[conformance]") {
  CHECK(c::versions() == std::vector<std::string>{"v1.33", "v1.34", "v1.35", "v1.36", "v1.37"});
  const c::Checklist& list = c::checklist("1.35");
  CHECK(list.version == "v1.35");
  REQUIRE(list.find("gang_scheduling") != nullptr);
  CHECK(list.find("gang_scheduling")->level == "MUST");
  CHECK(list.find("advanced_inference_ingress") == nullptr);  // a v1.36 requirement
  CHECK(c::checklist("v1.37").find("advanced_inference_ingress") != nullptr);
  CHECK(exit_of([] { c::checklist("v1.29"); }) == 2);
  CHECK(c::test_name("secure_accelerator_access") == "TestSecureAcceleratorAccess");
  CHECK(c::test_name("cluster_autoscaling") == "TestAcceleratorClusterAutoscaling");
  CHECK(c::test_name("dra_support") == "TestDraSupport");
  CHECK(c::must_allows_na("cluster_autoscaling"));
  CHECK_FALSE(c::must_allows_na("gang_scheduling"));
}

TEST_CASE("metadata rules: missing, placeholder, malformed, warnings and links", "[conformance]") {
  Json meta = {{"platformName", "P"},
               {"platformVersion", "[Platform Version]"},
               {"websiteUrl", "https://p.example.com"},
               {"documentationUrl", "https://"},
               {"productLogoUrl", "https://p.example.com/logo.png"},
               {"description", "d"},
               {"contactEmailAddress", "nobody"},
               {"k8sConformanceUrl", "https://github.com/cncf/k8s-conformance/blob/master/v1.35/p"}};
  std::map<std::string, std::string> problems;
  std::vector<std::string> warnings;
  std::vector<std::string> links;
  for (const auto& f : c::metadata_findings(meta, "", "")) {
    if (f.kind == c::MetadataFinding::Kind::problem) {
      problems[f.field] = f.message;
    } else if (f.kind == c::MetadataFinding::Kind::warning) {
      warnings.push_back(f.field + ": " + f.message);
    } else {
      links.push_back(f.message);
    }
  }
  CHECK(problems["vendorName"] == "missing metadata field vendorName");
  CHECK(problems["platformVersion"] == "placeholder left in: [Platform Version]");
  CHECK(problems["documentationUrl"] == "\"https://\" is not a well-formed http(s) URL");
  CHECK(problems["contactEmailAddress"] == "\"nobody\" is not an e-mail address");
  CHECK(problems["k8sConformanceUrl"].find("is not https://github.com/cncf/k8s-conformance/tree/master/vX.Y/<product>") !=
        std::string::npos);
  CHECK_FALSE(problems.contains("repoUrl"));  // optional
  CHECK_FALSE(problems.contains("kubernetesVersion"));  // no version given: a product file
  CHECK(warnings == std::vector<std::string>{"productLogoUrl: reviewers ask for an SVG, EPS or AI logo"});
  CHECK(links == std::vector<std::string>{"https://p.example.com", "https://p.example.com/logo.png"});
  // Under "metadata", with the version checked.
  meta = {{"kubernetesVersion", "v1.34"}};
  bool version_problem = false;
  for (const auto& f : c::metadata_findings(meta, "metadata", "v1.35")) {
    version_problem = version_problem || (f.field == "metadata.kubernetesVersion" && f.message.starts_with("says v1.34"));
  }
  CHECK(version_problem);
}

TEST_CASE("judge: pass, fail, could-not-verify, not-applicable, foreign objects", "[conformance]") {
  Scratch s;
  auto all = evidence_into(s.path / "ok");
  CHECK(verdict(all, "gang_scheduling").status == "pass");
  CHECK(verdict(all, "virtualized_accelerator").status == "not-applicable");
  auto edited = evidence_into(s.path / "edited", [](std::vector<Json>& res) {
    for (auto it = res.begin(); it != res.end();) {
      std::string req = (*it)["metadata"]["labels"][c::k_probe_label];
      if (req == "secure_accelerator_access" && (*it)["kind"] == "Pod") {
        (*it)["status"]["phase"] = "Failed";
      }
      it = req == "gang_scheduling" ? res.erase(it) : it + 1;
    }
  });
  CHECK(verdict(edited, "secure_accelerator_access").status == "fail");
  CHECK(verdict(edited, "gang_scheduling").status == "could-not-verify");
  CHECK(verdict(edited, "gang_scheduling").reason.find("not in the results") != std::string::npos);
  std::vector<Json> foreign = results();
  foreign[0]["metadata"]["name"] = "stranger";
  CHECK(exit_of([&] { c::judge(c::make_probes(recipe(), "v1.35"), foreign, {}); }) == 2);
  CHECK(exit_of([&] { c::judge(c::make_probes(recipe(), "v1.35"), {}, {}); }) == 2);
}

TEST_CASE("submission: filled checklist, refusals, tampering, its own check", "[conformance]") {
  Scratch s;
  evidence_into(s.path / "ev");
  c::SubmissionInput in{"", "product.yaml", galley::core::read_file(k_example + "product.yaml"), (s.path / "ev").string()};
  c::Submission sub = c::make_submission(in);
  CHECK(sub.version == "v1.35");
  CHECK(sub.product == "acme-gpu-cloud");
  const std::string& product = sub.files.at("PRODUCT.yaml");
  CHECK(product.find(c::checklist("v1.35").find("gpu_sharing")->description) != std::string::npos);
  CHECK(product.find("  k8sConformanceUrl: \"https://github.com/cncf/k8s-conformance/tree/master/v1.35/eks\"") !=
        std::string::npos);
  CHECK(product.find("[Platform Name]") == std::string::npos);
  CHECK(sub.files.at("README.md").find("| cluster_autoscaling | MUST | Implemented | Amazon EKS v1.35 (base) |") !=
        std::string::npos);
  CHECK(sub.files.contains("evidence/bundle.yaml"));
  fs::create_directories(s.path / "out/v1.35");  // the folders above the product folder exist (the CLI makes them)
  c::CheckReport report = c::write_submission(sub, (s.path / "out").string(), false);
  CHECK(report.ok());
  CHECK(c::check_submission((s.path / "out/v1.35/acme-gpu-cloud").string(), {}).ok());
  CHECK(exit_of([&] { c::write_submission(sub, (s.path / "out").string(), false); }) == 2);  // exists
  CHECK(c::find_submission((s.path / "out").string()).repo_path == "v1.35/acme-gpu-cloud");

  // Another version than the evidence's.
  in.version = "v1.37";
  CHECK(exit_of([&] { c::make_submission(in); }) == 2);
  in.version = "";
  // A MUST without passing evidence.
  evidence_into(s.path / "ev-missing", [](std::vector<Json>& res) {
    std::erase_if(res, [](const Json& o) { return o["metadata"]["labels"][c::k_probe_label] == "dra_support"; });
  });
  in.evidence_dir = (s.path / "ev-missing").string();
  CHECK(exit_of([&] { c::make_submission(in); }) == 1);
  // Tampered evidence.
  in.evidence_dir = (s.path / "ev").string();
  write(s.path / "ev" / "ctrf.json", "{}");
  CHECK(exit_of([&] { c::make_submission(in); }) == 1);
  // A product file without its product name.
  evidence_into(s.path / "ev2");
  in.evidence_dir = (s.path / "ev2").string();
  in.product_text = "platformName: P\n";
  CHECK(exit_of([&] { c::make_submission(in); }) == 2);
}

TEST_CASE("submission: the written result must pass check, else nothing is written", "[conformance]") {
  Scratch s;
  c::Submission sub{"v1.35", "p", {{"PRODUCT.yaml", "metadata: {}\nspec: {}\n"}}};
  fs::create_directories(s.path / "v1.35");
  CHECK(exit_of([&] { c::write_submission(sub, s.path.string(), false); }) == 1);
  CHECK_FALSE(fs::exists(s.path / "v1.35" / "p"));
}
