#pragma once
// CNCF Kubernetes AI Conformance: the embedded checklists (v1.33 ...), the offline check of a
// submission folder (every rule the CNCF validator enforces), probes rendered from a recipe, evidence
// judged from saved `kubectl get -o json` output, and the submission written from that evidence.
// See docs/conformance.md.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/document.hpp"

namespace galley::conformance {

// ---- Checklists -----------------------------------------------------------------------------------

// One requirement of a checklist, as the checklist writes it.
struct Requirement {
  std::string category;     // "accelerators", "networking", ...
  std::string id;           // "gang_scheduling"
  std::string description;  // the parsed text (what must be copied byte for byte)
  std::string level;        // MUST or SHOULD
};

// One version's checklist: its raw text (embedded, byte for byte as upstream) and requirements in order.
struct Checklist {
  std::string version;  // "v1.37"
  std::string text;
  std::vector<Requirement> requirements;
  const Requirement* find(const std::string& id) const;  // nullptr when the version has no such id
};

// The versions with a checklist, oldest first ("v1.33", ...).
std::vector<std::string> versions();

// The checklist of `version` ("v1.37" or "1.37"). Throws core::Error(bad_input) naming the known
// versions for any other.
const Checklist& checklist(const std::string& version);

// "sha256:<hex>" of `version`'s checklist text: what evidence records as judged against (bundle.yaml's
// spec.checklistDigest). Throws as checklist() does.
std::string checklist_digest(const std::string& version);

// The MUST requirements that the validator lets be N/A (with notes): cluster_autoscaling.
bool must_allows_na(const std::string& id);

// The junit test name Galley uses for requirement `id` (the CNCF-mapped ones first:
// secure_accelerator_access -> TestSecureAcceleratorAccess, gang_scheduling -> TestGangScheduling,
// cluster_autoscaling -> TestAcceleratorClusterAutoscaling; the others "Test" + CamelCase of the id).
std::string test_name(const std::string& id);

// ---- CNCF members ---------------------------------------------------------------------------------

// Where the CNCF validator reads the CNCF Landscape from.
inline constexpr const char* k_landscape_url = "https://raw.githubusercontent.com/cncf/landscape/master/landscape.yml";

// The names the CNCF validator accepts as vendorName: every item of the "CNCF Members" category of the
// CNCF Landscape (landscape.yml), its " (member)" / " (supporter)" suffix stripped, trimmed.
struct MemberList {
  std::string source;  // "Galley's embedded list (cncf/landscape 153d699)", a file name or a URL
  std::string as_of;   // the embedded list's date ("2026-08-07"); "" for a landscape read now
  std::set<std::string> names;
};

// The list embedded at build time (conformance/data/cncf-members.txt, from conformance/data/cncf_members.py).
// Throws nothing.
const MemberList& embedded_members();

// The members in a landscape.yml text, read as the validator reads it; `name` names it in messages and
// becomes the list's source. Throws core::Error(bad_input) naming `name` when the text is not YAML or
// has no "CNCF Members" category with members.
MemberList members_from_landscape(const std::string& text, const std::string& name);

// ---- Check ----------------------------------------------------------------------------------------

// The CNCF validator's rules as they stood at a moment. The validator (cncf/k8s-ai-conformance
// scripts/validate.go) runs on the PRODUCT.yaml files a pull request changes, so an accepted
// submission was judged by the rules of its day, and later rules may fail it (GKE v1.35, merged
// 2026-03-16T17:46:21Z, names vendorName "Google", no CNCF member's name; the membership rule was
// merged 24 minutes later). Each rule with the moment its pull request was merged into main:
struct ValidatorRules {
  std::string as_of;            // RFC 3339 UTC; "" for today's rules (all of them)
  bool conformance_url = true;  // k8sConformanceUrl present and well formed
  bool membership = true;       // vendorName a CNCF member's name
};
inline constexpr const char* k_validator_first = "2026-01-27T19:46:38Z";     // PR #46, the validator
inline constexpr const char* k_rule_conformance_url = "2026-01-28T13:30:53Z";  // PR #57
inline constexpr const char* k_rule_membership = "2026-03-16T18:10:43Z";       // PR #73

// The rules in force at `as_of` (YYYY-MM-DD, meaning 00:00 UTC, or an RFC 3339 time; "" for today's).
// Throws core::Error(bad_input) naming `what` for text that is neither, or a moment before the
// validator's first version.
ValidatorRules validator_rules(const std::string& as_of, const std::string& what);

// How `check` judges a submission.
struct CheckOptions {
  // The validator's rules of a moment (--as-of); by default today's.
  ValidatorRules rules;
  // Called for every http(s) URL when set (--online): returns "" when the link answers, else why not.
  std::function<std::string(const std::string& url)> link_answers;
  // The CNCF members vendorName must be one of; null: embedded_members().
  std::shared_ptr<const MemberList> members;
  // Why the members to check against could not be read (the landscape did not answer): then
  // vendorName is a problem, membership unchecked (as the validator fails without the landscape).
  std::string members_unavailable;
};

// What `check` found: problems ("PRODUCT.yaml:12: spec.security[0].status: ..."), warnings (rules
// reviewers apply that the validator does not), and what was judged.
struct CheckReport {
  std::string product_file;
  std::string version;
  std::string rules_as_of;  // the moment whose validator rules judged it (RFC 3339); "" today's
  std::vector<std::string> problems;
  std::vector<std::string> warnings;
  int requirements = 0;
  int local_files = 0;
  int links = 0;
  bool ok() const { return problems.empty(); }
};

// Checks the submission at `path`: a product folder holding PRODUCT.yaml (vX.Y/<product>/), or a
// PRODUCT.yaml file whose version is read from its metadata. Every rule of the CNCF validator
// (docs/conformance.md): metadata fields present, not placeholders, k8sConformanceUrl well formed;
// every id of the version present with its description and level; status words; MUST Implemented
// (cluster_autoscaling may be N/A); N/A with notes; local evidence inside the folder and present;
// linked junit.xml / results.json / e2e.log without a failing test; http(s) URLs well formed.
// Throws core::Error: not_found (no such path), bad_input (not YAML, no checklist for its version).
CheckReport check_submission(const std::string& path, const CheckOptions& options);

// "check: OK ..." or the problems, one a line.
std::string to_text(const CheckReport& report);

// ---- Probes ---------------------------------------------------------------------------------------

// The label every probe object carries, its value the probe's requirement id.
inline constexpr const char* k_probe_label = "conformance.galley.dev/requirement";

// One requirement's probe: the objects to apply, or why there is none.
struct Probe {
  std::string id;
  std::string level;
  std::string test;                     // junit test name
  std::vector<std::string> components;  // recipe components that provide it ("gpu-operator 25.3.0")
  std::string what;                     // what the probe demonstrates, in words
  std::vector<core::Json> objects;      // empty when not covered
  std::string not_covered;              // why no probe ("" when objects are given)
};

// The checklist version of a recipe's Kubernetes criterion ("1.35.1-gke.1" -> "v1.35"). Throws
// core::Error(bad_input) when the recipe names none.
std::string recipe_version(const core::Json& recipe);

// The probes for a checked Recipe: one per requirement of its Kubernetes version's checklist
// (`version` overrides: "v1.37"). Throws core::Error(bad_input) when the recipe names no Kubernetes
// version or no checklist exists for it.
std::vector<Probe> make_probes(const core::Json& recipe, const std::string& version);

// The probe folder: README.md (what each probe shows, what is not covered), one YAML file per
// covered requirement (<id>.yaml, objects in apply order) and probes.yaml (the index). Path -> bytes.
std::map<std::string, std::string> probe_files(const std::vector<Probe>& probes, const std::string& version,
                                               const core::Json& recipe);

// ---- Evidence -------------------------------------------------------------------------------------

enum class Privacy { hashed, full };

// How evidence is judged and written.
struct EvidenceOptions {
  std::string version;  // "" = the recipe's Kubernetes minor
  Privacy privacy = Privacy::hashed;
  std::string salt = "galley-snapshot-v1";  // as snapshots hash (validate::pseudonym)
  std::string validate_report;              // JSON text of a validate Report to include ("" = none)
  long long stamp_ms = 0;                   // CTRF start/stop (SOURCE_DATE_EPOCH)
};

// One requirement judged: pass | fail | could-not-verify | not-applicable, with the reason.
struct Verdict {
  std::string id;
  std::string level;
  std::string test;
  std::string status;
  std::string reason;
  std::vector<std::string> components;
  std::vector<std::string> observed;  // one line per object looked at
  std::string what;
};

// The probe objects found in `results`: `kubectl get ... -o json` output (a List, or a single object),
// text -> JSON, with every object that carries k_probe_label and is not owned by another (the pods a
// probe Job or Deployment made carry its label too; the probe object itself is judged). Throws core::Error(bad_input) naming
// `name` for anything else.
std::vector<core::Json> read_results(const std::vector<std::pair<std::string, std::string>>& texts);

// How the probes' results are read live from the cluster.
struct KubectlOptions {
  std::string context;  // kubectl --context ("" = its current context)
  int timeout_s = 60;   // kubectl --request-timeout; the whole run is stopped 5 s later
};

// The `kubectl get` command line that reads back every probe object: the probes' kinds at the API
// versions they were written for ("jobs.v1.batch,pods"), in namespace galley-conformance, selected by
// k_probe_label, as JSON. Throws core::Error(bad_input) when no probe has objects.
std::vector<std::string> kubectl_command(const std::vector<Probe>& probes, const KubectlOptions& options);

// Runs kubectl_command and returns (the command line, its stdout) for read_results. Fails closed,
// never an empty result: throws core::Error not_found when kubectl is not on PATH, io when it exits
// non-zero (its stderr quoted) or runs past the timeout, bad_input as kubectl_command does.
std::pair<std::string, std::string> kubectl_results(const std::vector<Probe>& probes, const KubectlOptions& options);

// Judges every probe from the objects read back. Throws core::Error(bad_input) when the results hold
// a probe object that the probes do not (results of other probes, another recipe), or none at all.
std::vector<Verdict> judge(const std::vector<Probe>& probes, const std::vector<core::Json>& results,
                           const EvidenceOptions& options);

// The evidence files (path -> bytes): evidence.yaml (every verdict), junit.xml and ctrf.json (validate's
// report formats; test names from test_name()), requirements/<id>.md, recipe-digest.txt and, when
// given, validate-report.json; with recipe.yaml and bundle.yaml (deployer "conformance", the
// inventory of every other file) the folder is a bundle that can be signed, verified and pushed.
// Throws nothing.
std::map<std::string, std::string> evidence_files(const core::Json& recipe, const std::string& version,
                                                  const std::vector<Verdict>& verdicts, const EvidenceOptions& options);

// ---- Submission -----------------------------------------------------------------------------------

// What a submission is made from.
struct SubmissionInput {
  std::string version;       // "vX.Y"; "" = the version the evidence was judged against
  std::string product_file;  // the product file's name, for messages
  std::string product_text;  // its bytes (PRODUCT_INFO.yaml, docs/conformance.md)
  std::string evidence_dir;  // a folder written by `conformance evidence`
  std::shared_ptr<const MemberList> members;  // vendorName's members; null: embedded_members()
};

// A submission in memory: the files of vX.Y/<product>/ (PRODUCT.yaml, README.md, evidence/...).
struct Submission {
  std::string version;
  std::string product;  // the folder name under vX.Y/
  std::map<std::string, std::string> files;
  std::shared_ptr<const MemberList> members;  // what its check judges vendorName against (null: embedded)
};

// Makes the submission: PRODUCT.yaml is the version's checklist text with the metadata, status,
// evidence and notes filled in line by line (ids, descriptions and levels stay byte for byte); a
// MUST is Implemented only with passing evidence (cluster_autoscaling N/A with its reason); README.md
// with one row per requirement (and the providing layer of a layered product); the evidence folder
// under evidence/. Throws core::Error: bad_input naming the product file's line and field (a field
// missing, malformed or a placeholder; an unknown id in its layer table), or the evidence (not an
// evidence folder, judged against another version); check_failed naming every MUST without passing
// evidence, or every file of the evidence that differs from its inventory (bundle.yaml: tampered);
// not_found when the evidence folder is missing.
Submission make_submission(const SubmissionInput& input);

// Writes OUT/<version>/<product>/ atomically: built beside it, checked with check_submission, and
// moved into place only when the check passes (an existing product folder is replaced only with
// `replace`; the folders above it must exist). Returns the check's report. Throws core::Error: check_failed with the check's
// problems (nothing written), bad_input when the folder exists and `replace` is false, io.
CheckReport write_submission(const Submission& submission, const std::string& out, bool replace);

// A submission on disk, ready to publish: its product folder and where it goes in the
// cncf/k8s-ai-conformance repository ("v1.35/acme-gpu-cloud").
struct SubmissionFolder {
  std::string dir;
  std::string repo_path;
  CheckReport report;
};

// Finds the one submission under `out` (OUT/vX.Y/<product>/PRODUCT.yaml, or `out` itself a product
// folder) and checks it with `options`. Throws core::Error: not_found (no such folder), bad_input (no submission,
// or several: name one), check_failed (the check's problems: a failing submission is not published).
SubmissionFolder find_submission(const std::string& out, const CheckOptions& options = {});

}  // namespace galley::conformance
