// Unit tests of the conformance library's rules: checklists, metadata rules, the judge, the
// submission's refusals and its own check. Data: examples/conformance (run from the source root).
#include <catch2/catch.hpp>

#include <algorithm>
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

// The member list of the worked example (examples/conformance/landscape.yml: Acme is fictional).
std::shared_ptr<const c::MemberList> acme() {
  return std::make_shared<const c::MemberList>(c::members_from_landscape(galley::core::read_file(k_example + "landscape.yml"), "landscape.yml"));
}

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

// The verdict or probe of requirement `id`.
template <typename T>
const T& by_id(const std::vector<T>& all, const std::string& id) {
  for (const auto& v : all) {
    if (v.id == id) {
      return v;
    }
  }
  FAIL("nothing for " << id);
  return all.front();
}

const c::Verdict& verdict(const std::vector<c::Verdict>& all, const std::string& id) { return by_id(all, id); }

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
  for (const auto& f : c::metadata_findings(meta, "", "", &c::embedded_members())) {
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
  for (const auto& f : c::metadata_findings(meta, "metadata", "v1.35", &c::embedded_members())) {
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
  c::SubmissionInput in{"", "product.yaml", galley::core::read_file(k_example + "product.yaml"), (s.path / "ev").string(), acme()};
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
  c::CheckOptions with_acme;
  with_acme.members = acme();
  CHECK(c::check_submission((s.path / "out/v1.35/acme-gpu-cloud").string(), with_acme).ok());
  CHECK(exit_of([&] { c::write_submission(sub, (s.path / "out").string(), false); }) == 2);  // exists
  CHECK(c::find_submission((s.path / "out").string(), with_acme).repo_path == "v1.35/acme-gpu-cloud");
  // Acme is in no real member list: against the embedded one the same submission fails.
  c::CheckReport embedded = c::check_submission((s.path / "out/v1.35/acme-gpu-cloud").string(), {});
  REQUIRE(embedded.problems.size() == 1);
  CHECK(embedded.problems[0].find("metadata.vendorName: \"Acme\" is not a CNCF member's name") != std::string::npos);
  CHECK(exit_of([&] { c::find_submission((s.path / "out").string()); }) == 1);
  c::SubmissionInput unlisted = in;
  unlisted.members = nullptr;
  CHECK(exit_of([&] { c::make_submission(unlisted); }) == 2);  // refused at the product file, line and field

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
  c::Submission sub{"v1.35", "p", {{"PRODUCT.yaml", "metadata: {}\nspec: {}\n"}}, nullptr};
  fs::create_directories(s.path / "v1.35");
  CHECK(exit_of([&] { c::write_submission(sub, s.path.string(), false); }) == 1);
  CHECK_FALSE(fs::exists(s.path / "v1.35" / "p"));
}

namespace {

// The example recipe with one more component (or `values` merged into an existing one's).
Json with_component(Json r, const std::string& name, const std::string& version, const Json& values = Json::object()) {
  for (auto& comp : r["spec"]["components"]) {
    if (comp["name"] == name) {
      comp["values"].merge_patch(values);
      return r;
    }
  }
  r["spec"]["components"].push_back(
      {{"name", name}, {"type", "helm"}, {"version", version}, {"namespace", name}, {"values", values}});
  return r;
}

const c::Probe& probe(const std::vector<c::Probe>& all, const std::string& id) { return by_id(all, id); }

// The probe's objects as the cluster would return them, each given `status` (by kind).
std::vector<Json> observed(const c::Probe& p, const std::map<std::string, Json>& status) {
  std::vector<Json> out;
  for (Json o : p.objects) {
    if (status.contains(o["kind"])) {
      o["status"] = status.at(o["kind"]);
    }
    out.push_back(o);
  }
  return out;
}

Json pod_status(const std::string& phase, const std::string& message) {
  return {{"phase", phase}, {"containerStatuses", {{{"state", {{"terminated", {{"message", message + "\n"}}}}}}}}};
}

Json conditions(const std::string& type, const std::string& value) {
  return {{"conditions", {{{"type", type}, {"status", value}}}}};
}

std::string status_of(const std::vector<c::Probe>& probes, const std::string& id, const std::vector<Json>& results) {
  return verdict(c::judge(probes, results, {}), id).status;
}

}  // namespace

TEST_CASE("probes: disaggregated inference through Dynamo or llm-d, judged", "[conformance]") {
  auto dynamo = c::make_probes(with_component(recipe(), "dynamo-platform", "1.3.0"), "v1.37");
  const c::Probe& dgd = probe(dynamo, "disaggregated_inference");
  REQUIRE(dgd.objects.size() == 1);
  CHECK(dgd.objects[0]["kind"] == "DynamoGraphDeployment");
  const Json& services = dgd.objects[0]["spec"]["services"];
  CHECK(services["VllmPrefillWorker"]["subComponentType"] == "prefill");
  CHECK(services["VllmDecodeWorker"]["subComponentType"] == "decode");
  CHECK(services["VllmDecodeWorker"]["extraPodSpec"]["mainContainer"]["image"] == "nvcr.io/nvidia/ai-dynamo/vllm-runtime:1.3.0");
  CHECK(status_of(dynamo, "disaggregated_inference", observed(dgd, {{"DynamoGraphDeployment", conditions("Ready", "True")}})) == "pass");
  CHECK(status_of(dynamo, "disaggregated_inference", observed(dgd, {{"DynamoGraphDeployment", conditions("Ready", "False")}})) == "fail");

  auto llmd = c::make_probes(with_component(recipe(), "llm-d-infra", "v1.4.0"), "v1.37");
  const c::Probe& pd = probe(llmd, "disaggregated_inference");
  REQUIRE(pd.objects.size() == 2);
  CHECK(pd.objects[0]["spec"]["template"]["metadata"]["labels"]["llm-d.ai/role"] == "prefill");
  CHECK(pd.objects[1]["spec"]["template"]["metadata"]["labels"]["llm-d.ai/role"] == "decode");
  CHECK(pd.components == std::vector<std::string>{"llm-d-infra v1.4.0"});
  std::vector<Json> both = observed(pd, {{"Deployment", conditions("Available", "True")}});
  CHECK(status_of(llmd, "disaggregated_inference", both) == "pass");
  both[1]["status"] = conditions("Available", "False");  // decode not ready: the split is not shown
  CHECK(status_of(llmd, "disaggregated_inference", both) == "fail");
  both.pop_back();  // decode never saved
  auto verdicts = c::judge(llmd, both, {});
  CHECK(verdict(verdicts, "disaggregated_inference").status == "could-not-verify");
  CHECK(verdict(verdicts, "disaggregated_inference").reason.find("Deployment/llm-d-decode") != std::string::npos);

  auto none = c::make_probes(recipe(), "v1.37");
  CHECK(probe(none, "disaggregated_inference").not_covered == "the recipe has no disaggregated serving platform (NVIDIA Dynamo or llm-d)");
}

TEST_CASE("probes: high-performance networking through the Network Operator or EFA, judged", "[conformance]") {
  auto efa = c::make_probes(recipe(), "v1.37");  // the example is EKS: the EFA device plugin
  const c::Probe& e = probe(efa, "high_performance_networking");
  REQUIRE(e.objects.size() == 1);
  CHECK(e.objects[0]["spec"]["containers"][0]["resources"]["limits"]["vpc.amazonaws.com/efa"] == 1);
  CHECK(e.what.find("not through DRA") != std::string::npos);
  CHECK(status_of(efa, "high_performance_networking", observed(e, {{"Pod", pod_status("Succeeded", "rdma_devices=1")}})) == "pass");
  CHECK(status_of(efa, "high_performance_networking", observed(e, {{"Pod", pod_status("Failed", "rdma_devices=0")}})) == "fail");

  auto nvnet = c::make_probes(with_component(recipe(), "network-operator", "26.4.1"), "v1.37");
  const c::Probe& n = probe(nvnet, "high_performance_networking");
  REQUIRE(n.objects.size() == 2);
  CHECK(n.objects[0]["kind"] == "NetworkAttachmentDefinition");
  CHECK(n.objects[1]["metadata"]["annotations"]["k8s.v1.cni.cncf.io/networks"] == "galley-rdma");
  CHECK(status_of(nvnet, "high_performance_networking",
                  observed(n, {{"Pod", pod_status("Succeeded", "rdma_devices=2,secondary=net1")}})) == "pass");
  CHECK(status_of(nvnet, "high_performance_networking",
                  observed(n, {{"Pod", pod_status("Failed", "rdma_devices=2,secondary=none")}})) == "fail");

  Json bare = recipe();
  Json kept = Json::array();
  for (const auto& comp : bare["spec"]["components"]) {
    if (comp["name"] != "aws-efa-k8s-device-plugin") {
      kept.push_back(comp);
    }
  }
  bare["spec"]["components"] = kept;
  CHECK(probe(c::make_probes(bare, "v1.37"), "high_performance_networking").not_covered.find("no high-performance network component") !=
        std::string::npos);
  CHECK(c::make_probes(recipe(), "v1.35").size() == 12);  // v1.35 has no such requirement
}

TEST_CASE("probes: virtualized accelerators with a licensed vGPU guest driver, judged", "[conformance]") {
  CHECK(probe(c::make_probes(recipe(), "v1.35"), "virtualized_accelerator").not_covered.find("no licensed vGPU guest driver") !=
        std::string::npos);
  Json host = with_component(recipe(), "gpu-operator", "", {{"vgpuManager", {{"enabled", true}}}});
  CHECK(probe(c::make_probes(host, "v1.35"), "virtualized_accelerator").not_covered.find("virtual machines (KubeVirt)") !=
        std::string::npos);
  Json guest = with_component(recipe(), "gpu-operator", "", {{"driver", {{"licensingConfig", {{"secretName", "vgpu-licence"}}}}}});
  auto probes = c::make_probes(guest, "v1.35");
  const c::Probe& v = probe(probes, "virtualized_accelerator");
  REQUIRE(v.objects.size() == 1);
  CHECK(status_of(probes, "virtualized_accelerator", observed(v, {{"Pod", pod_status("Succeeded", "virtualization=VGPU")}})) == "pass");
  CHECK(status_of(probes, "virtualized_accelerator", observed(v, {{"Pod", pod_status("Failed", "virtualization=Pass-Through")}})) ==
        "fail");
  CHECK(status_of(probes, "virtualized_accelerator", observed(v, {{"Pod", pod_status("Succeeded", "virtualization=None")}})) == "fail");
}

TEST_CASE("live results: the kubectl command line, fail-closed refusals", "[conformance]") {
  auto probes = c::make_probes(with_component(recipe(), "network-operator", "26.4.1"), "v1.37");
  c::KubectlOptions options;
  options.context = "prod";
  options.timeout_s = 20;
  auto argv = c::kubectl_command(probes, options);
  REQUIRE(argv.size() == 8);
  CHECK(argv[0] == "kubectl");
  CHECK(argv[1] == "--context=prod");
  CHECK(argv[3].find("network-attachment-definitions.v1.k8s.cni.cncf.io") != std::string::npos);
  CHECK(argv[3].find("jobs.v1.batch") != std::string::npos);
  CHECK(argv[3].find(",pods,") != std::string::npos);
  CHECK(argv[4] == "--namespace=galley-conformance");
  CHECK(argv[5] == std::string("--selector=") + c::k_probe_label);
  CHECK(argv[7] == "--request-timeout=20s");
  std::vector<c::Probe> empty = probes;
  for (auto& p : empty) {
    p.objects.clear();
  }
  CHECK(exit_of([&] { c::kubectl_command(empty, {}); }) == 2);
  // A pod a probe Job made carries its label; it is not read as a foreign probe object.
  Json list = {{"kind", "List"}, {"items", Json::array()}};
  Json owned = {{"apiVersion", "v1"}, {"kind", "Pod"},
                {"metadata", {{"name", "gang-abcde"}, {"labels", {{c::k_probe_label, "gang_scheduling"}}},
                              {"ownerReferences", {{{"kind", "Job"}, {"name", "gang"}}}}}}};
  list["items"].push_back(owned);
  CHECK(c::read_results({{"r.json", list.dump()}}).empty());
}

TEST_CASE("evidence: bundle.yaml names the checklist in checklistDigest", "[conformance]") {
  Scratch s;
  evidence_into(s.path / "ev");
  std::string manifest = galley::core::read_file((s.path / "ev" / "bundle.yaml").string());
  CHECK(manifest.find("  checklistDigest: " + c::checklist_digest("v1.35") + "\n") != std::string::npos);
  CHECK(manifest.find("templatesDigest") == std::string::npos);
  CHECK(c::checklist_digest("v1.35").starts_with("sha256:"));
  CHECK(c::checklist_digest("v1.35") != c::checklist_digest("v1.37"));
}

TEST_CASE("vendorName: a CNCF member's name exactly, as the validator reads the landscape", "[conformance]") {
  const c::MemberList& embedded = c::embedded_members();
  CHECK(embedded.as_of == "2026-08-07");
  CHECK(embedded.source == "Galley's embedded list (cncf/landscape 153d699)");
  CHECK(embedded.names.size() == 722);
  CHECK(embedded.names.contains("NVIDIA"));
  CHECK(embedded.names.contains("Amazon Web Services"));
  CHECK_FALSE(embedded.names.contains("NVIDIA (member)"));
  auto vendor = [](const std::string& name, const c::MemberList* members) {
    Json meta = {{"vendorName", name}};
    for (const auto& f : c::metadata_findings(meta, "metadata", "", members)) {
      if (f.field == "metadata.vendorName") {
        return f.message;
      }
    }
    return std::string();
  };
  CHECK(vendor("NVIDIA", &embedded).empty());
  CHECK(vendor(" NVIDIA ", &embedded).empty());  // trimmed, as the validator trims
  std::string lower = vendor("nvidia", &embedded);
  CHECK(lower == "\"nvidia\" is not a CNCF member's name as the CNCF Landscape lists it, which the CNCF validator requires "
                 "exactly (close: \"NVIDIA\"); checked against Galley's embedded list (cncf/landscape 153d699) of 2026-08-07: a "
                 "member since then is checked against the current landscape");
  CHECK(vendor("Google", &embedded).find("(close: \"Google Cloud\")") != std::string::npos);
  CHECK(vendor("Acme", nullptr).empty());  // not checked (the landscape could not be read: the caller says so)
  CHECK(vendor("[Vendor Name]", &embedded) == "placeholder left in: [Vendor Name]");  // that rule alone
  // A landscape.yml read as the validator reads it: only " (member)" and " (supporter)" are stripped.
  std::string landscape = R"yaml(landscape:
  - category:
    name: Platform
    subcategories: [{subcategory: null, name: X, items: [{item: null, name: Notamember}]}]
  - category:
    name: CNCF Members
    subcategories:
      - subcategory:
        name: Gold
        items:
          - item:
            name: "Example Corp (member)"
          - item:
            name: "Helper Inc (supporter)"
          - item:
            name: "Other Co (contributor)"
)yaml";
  c::MemberList parsed = c::members_from_landscape(landscape, "landscape.yml");
  CHECK(parsed.names == std::set<std::string>{"Example Corp", "Helper Inc", "Other Co (contributor)"});
  CHECK(parsed.source == "landscape.yml");
  CHECK(parsed.as_of.empty());
  CHECK(vendor("Notamember", &parsed).find("checked against landscape.yml;") == std::string::npos);
  CHECK(vendor("Notamember", &parsed).find("checked against landscape.yml") != std::string::npos);
  CHECK(exit_of([] { c::members_from_landscape("landscape: []\n", "l.yml"); }) == 2);
  CHECK(exit_of([] { c::members_from_landscape("items: [\n", "l.yml"); }) == 2);
  // The check: unavailable members are a problem (fail closed), never a pass.
  c::CheckOptions options;
  options.members_unavailable = "https://raw.githubusercontent.com/cncf/landscape/master/landscape.yml: no answer";
  c::CheckReport r = c::check_submission("tests/conformance/accepted/v1.35-eks-PRODUCT.yaml", options);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].find("metadata.vendorName: CNCF membership not checked: https://raw.githubusercontent.com") != std::string::npos);
}

TEST_CASE("validator rules: each rule from the moment it was merged, a rule not in force only warned", "[conformance]") {
  c::ValidatorRules today = c::validator_rules("", "--as-of");
  CHECK(today.as_of.empty());
  CHECK(today.conformance_url);
  CHECK(today.membership);
  c::ValidatorRules gke = c::validator_rules("2026-03-16T10:46:21-07:00", "--as-of");  // GKE v1.35 merged
  CHECK(gke.as_of == "2026-03-16T17:46:21Z");
  CHECK(gke.conformance_url);
  CHECK_FALSE(gke.membership);
  CHECK(c::validator_rules("2026-03-16T18:10:43Z", "--as-of").membership);
  CHECK_FALSE(c::validator_rules("2026-03-16T18:10:42Z", "--as-of").membership);
  c::ValidatorRules first = c::validator_rules("2026-01-27T19:46:38Z", "--as-of");
  CHECK_FALSE(first.conformance_url);
  CHECK_FALSE(first.membership);
  auto refused = [](const std::string& at) {
    try {
      c::validator_rules(at, "--as-of");
    } catch (const galley::core::Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(refused("2026-01-27T19:46:37Z").find("is before the CNCF validator's first version") != std::string::npos);
  CHECK(refused("yesterday").find("--as-of") != std::string::npos);
  CHECK(refused("2026-02-29").find("--as-of") != std::string::npos);  // 2026 is no leap year

  // The same finding is a problem under today's rules and a warning, saying since when, before them.
  Json meta = {{"vendorName", "Google"}};
  const c::MemberList& members = c::embedded_members();
  auto findings = c::metadata_findings(meta, "metadata", "", &members, gke);
  auto vendor = std::find_if(findings.begin(), findings.end(), [](const auto& f) { return f.field == "metadata.vendorName"; });
  REQUIRE(vendor != findings.end());
  CHECK(vendor->kind == c::MetadataFinding::Kind::warning);
  CHECK(vendor->message.ends_with("(a problem since 2026-03-16T18:10:43Z, when the CNCF validator took the rule on; not in force --as-of 2026-03-16T17:46:21Z)"));
  findings = c::metadata_findings(meta, "metadata", "", &members, today);
  vendor = std::find_if(findings.begin(), findings.end(), [](const auto& f) { return f.field == "metadata.vendorName"; });
  REQUIRE(vendor != findings.end());
  CHECK(vendor->kind == c::MetadataFinding::Kind::problem);
  // Before the URL rule a missing k8sConformanceUrl is warned; every other missing field stays a problem.
  findings = c::metadata_findings(Json::object(), "", "", nullptr, first);
  int url_warnings = 0, problems = 0;
  for (const auto& f : findings) {
    url_warnings += f.kind == c::MetadataFinding::Kind::warning && f.message.starts_with("missing metadata field k8sConformanceUrl");
    problems += f.kind == c::MetadataFinding::Kind::problem;
  }
  CHECK(url_warnings == 1);
  CHECK(problems == 8);  // kubernetesVersion skipped (no version), repoUrl optional, k8sConformanceUrl warned
}
