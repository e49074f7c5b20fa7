#pragma once
// Snapshots and validation: capture what a node or cluster runs (kind Snapshot), infer criteria from
// it, and check it against a Recipe (kind Report). Collecting (files, commands) happens in the
// collect_*.cpp edge files only; everything else is pure over in-memory documents.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.hpp"
#include "core/version.hpp"
#include "resolver/recipe_view.hpp"
#include "resolver/resolver.hpp"

namespace galley::validate {

// ---- Snapshot ---------------------------------------------------------------------------------

enum class Privacy { hashed, full };

// What `galley snapshot` collects and from where.
struct CollectOptions {
  std::string root = "/";          // /etc and /proc are read under it; tools run only when it is "/"
  bool skip_node = false;          // cluster only (a snapshot taken from a workstation)
  std::string nvidia_smi_xml;      // read this file instead of running `nvidia-smi -q -x`
  std::string amd_smi_json;        // read this `amd-smi static --json` or `rocm-smi --json` output
  std::string nvidia_smi_xml_name;  // how the snapshot's sources name that file ("" = its path)
  std::string nodes_json;          // `kubectl get nodes -o json` output
  std::string version_json;        // `kubectl version -o json` output
  std::string helm_releases_json;  // `helm list -A -o json` output
  std::string objects_json;        // `kubectl get <health-check kinds> -A -o json` output (see k_object_kinds)
  std::string metrics_text;        // `kubectl get --raw /metrics` output (feature gates)
  std::string resource_slices_json;  // `kubectl get resourceslices -o json` output
  std::string pods_json;           // `kubectl get pods -A -o json` output (running images, for drift)
  bool use_kubectl = true;         // run kubectl/helm when a kubeconfig exists and no files are given
  Privacy privacy = Privacy::hashed;
  std::string salt = "galley-snapshot-v1";  // the documented default: hashes are stable across runs
  std::string collected_at;                 // RFC 3339; "" = now (core::now_epoch)
};

// Collects a Snapshot document. Absent data is recorded as {state: absent, reason}; only input files
// named in `options` that are missing or malformed throw core::Error (not_found, bad_input).
core::Json collect_snapshot(const CollectOptions& options);

// A capture folder (what capture_script() writes) as collect options: `root` = DIR/root and
// `nvidia_smi_xml` = DIR/nvidia-smi.xml when the capture holds one; the rest of `options` is kept.
// DIR may also hold just one folder that is the capture (a tarball of the folder, unpacked).
// `shown_as` names the capture in the snapshot's sources instead of DIR (a tarball it came from).
// Throws core::Error(not_found) when neither DIR/root nor DIR/ONE/root is a folder.
void use_capture(const std::string& dir, CollectOptions& options, const std::string& shown_as = "");

// A POSIX sh script that copies every file a snapshot reads under a root (os-release, the /proc and
// /sys files, the sysctls) and `nvidia-smi -q -x` output into DIR/root/... and DIR/nvidia-smi.xml,
// or into a .tar.gz of that folder. CAPTURE_ROOT, when set, is the folder it reads as "/".
std::string capture_script();

// `nvidia-smi -q -x` output -> the snapshot's gpus object {state: present, driverVersion, cudaVersion,
// count, devices: [...]}. Throws core::Error(bad_input) naming `name` for malformed or truncated XML
// and for documents that declare entities.
core::Json parse_nvidia_smi(std::string_view xml, const std::string& name);

// `amd-smi static --json` / `amd-smi list --json` output (a list of GPUs or {"gpu_data": [...]}) or
// `rocm-smi --showproductname --showdriverversion --json` output ({"card0": {...}, "system": {...}})
// -> the snapshot's gpus object {state: present, source, driverVersion, count, devices: [{index,
// productName, pciBusId}]}. Throws core::Error(bad_input) naming `name` for text that is neither.
core::Json parse_amd_smi(std::string_view json, const std::string& name);

// /etc/os-release text -> {id, versionId, prettyName} (keys present only when set).
core::Json parse_os_release(std::string_view text);

// The most bytes of kubectl, helm or nvidia-smi output read (files and live runs alike): 32 MiB.
inline constexpr size_t k_max_tool_output_bytes = 32u << 20;

// `kubectl get nodes -o json`, `kubectl version -o json` and `helm list -A -o json` output -> the
// snapshot's cluster.nodes, cluster.serverVersion and cluster.components.items (unhashed).
// Throws core::Error(bad_input) naming `name` when the text is not that command's output.
core::Json parse_kubectl_nodes(std::string_view text, const std::string& name);
std::string parse_kubectl_version(std::string_view text, const std::string& name);
core::Json parse_helm_releases(std::string_view text, const std::string& name);

// The kinds `galley snapshot` asks kubectl for, comma-separated, for the recipe's health checks.
const std::string& object_kinds();

// `kubectl get <object_kinds()> -A -o json` -> [{kind, name, namespace?, ready?}], sorted. ready is
// set for Deployment/StatefulSet (readyReplicas >= replicas), DaemonSet (numberReady >=
// desiredNumberScheduled), CustomResourceDefinition (Established) and APIService (Available).
core::Json parse_kubectl_objects(std::string_view text, const std::string& name);

// `kubectl get pods -A -o json` -> [{namespace, name, containers: [{name, image, imageID}]}] (init
// containers too), sorted: what each container runs, as its status reports it. Throws
// core::Error(bad_input) for text that is not that command's output.
core::Json parse_kubectl_pods(std::string_view text, const std::string& name);

// The API server's metrics text -> {gate: enabled} from its kubernetes_feature_enabled samples.
// Throws core::Error(bad_input) when the text holds no such sample.
core::Json parse_feature_gates(std::string_view text, const std::string& name);

// `kubectl get resourceslices -o json` -> [{driver, nodeName?, pool?, devices}].
core::Json parse_resource_slices(std::string_view text, const std::string& name);

// Replaces identifying values (hostnames, node names, IPs, provider IDs, serials, UUIDs) by
// "sha256:" + the first 16 hex digits of sha256(salt + value). Idempotent on hashed values.
void apply_privacy(core::Json& snapshot, const std::string& salt);
std::string pseudonym(const std::string& value, const std::string& salt);

// Parses and schema-checks a Snapshot. JSON text takes a fast path (nlohmann, no line numbers
// unless the schema check fails). Throws core::Error(bad_input) naming `name`, line and field.
core::Document read_snapshot(std::string_view text, const std::string& name);

// ---- Criteria from a snapshot -------------------------------------------------------------------

struct Inference {
  std::map<std::string, std::string> fields;   // criteria key -> value
  std::map<std::string, std::string> sources;  // criteria key -> where it was read
  std::map<std::string, std::string> missing;  // criteria key -> why it could not be inferred
};

// Infers service, accelerator, os, osVersion and kubernetes from a checked Snapshot.
Inference infer_criteria(const core::Json& snapshot);

// The criteria needed to resolve a recipe from a snapshot.
const std::vector<std::string>& required_snapshot_criteria();  // service accelerator os kubernetes intent

// Criteria for `galley recipe --snapshot`: inferred, then `given` (a Criteria file and flags) laid
// over them. `notes` gets one line per optional criterion (osVersion) not inferred, with why.
// Throws core::Error(bad_input) naming every required criterion still missing (by criterion name).
resolver::Criteria criteria_from_snapshot(const core::Json& snapshot, const resolver::Criteria& given,
                                          std::vector<std::string>& notes);

// ---- Validation ---------------------------------------------------------------------------------

enum class AllowCouldNotVerify { no, yes };

// Which checks run: the node's (OS, kernel, CPU, GPUs, driver, runtime), the cluster's (Kubernetes
// version and features, components, health, advisories), or both.
enum class Scope { node, cluster, all };

// How snapshots are judged: the day for dated advisories, whether could-not-verify passes, and the scope.
struct ValidateOptions {
  std::string as_of;  // YYYY-MM-DD
  AllowCouldNotVerify allow = AllowCouldNotVerify::no;
  Scope scope = Scope::all;
  // validate_snapshots over a fleet (more than one file): called before each snapshot is checked
  // ("checking 3/120 NAME"), when set.
  std::function<void(const std::string&)> progress = nullptr;
};

// One recipe constraint, checked at load time.
struct Constraint {
  std::string name;
  std::string value;
  std::string source;
  std::optional<core::Range> range;  // absent for kubernetes.feature
};

// One node pool of a recipe for several pools: the labels that put a node in it and its constraints.
struct PoolPlan {
  std::string name;
  std::map<std::string, std::string> node_selector;
  std::vector<Constraint> constraints;
  std::map<std::string, std::string> node_labels;  // labels its nodes carry for per-pool settings
};

// A recipe made ready for checking many snapshots: read into a view and constraints parsed once.
struct Plan {
  resolver::RecipeView recipe;
  std::vector<Constraint> constraints;
  std::vector<PoolPlan> pools;  // empty for a one-pool recipe
};

// What a constraint's value is: a version range, a feature gate name (kubernetes.feature), or a
// name pattern: alternatives split by "|", each matched whole with "*" for any text, ignoring case
// and treating "-" and "_" as spaces ("NVIDIA H100*" matches "NVIDIA-H100-80GB-HBM3").
enum class ConstraintValue { range, feature_gate, pattern };

// Whether `observed` matches the name pattern `pattern` (see ConstraintValue::pattern).
bool pattern_matches(const std::string& pattern, const std::string& observed);

// The constraint names a recipe may use, sorted: the one table in checks.cpp, which the schemas'
// enum of constraint names matches.
const std::vector<std::string>& constraint_names();

// What the value of constraint `name` is; nullopt for a name not in the table.
std::optional<ConstraintValue> constraint_value(const std::string& name);

// Checks the recipe (schema, digest) and its constraints (known name, valid range). Throws
// core::Error(bad_input) with every problem as "file:line: spec.constraints[i].value: message".
Plan make_plan(const core::Document& recipe);

// Reads the Recipe at `path` ("-" = standard input) and makes its plan, as make_plan does; a
// problem names its line. Throws what resolver::read_recipe and make_plan throw.
Plan read_plan(const std::string& path);

// The Snapshot files at `path`: the file itself, or every *.yaml, *.yml and *.json in the folder,
// sorted by name. Throws core::Error(not_found) for a folder with none.
std::vector<std::string> snapshot_files(const std::string& path);

// Reads and checks every snapshot at `path` (see snapshot_files) against the plan: the Report.
// Throws what read_snapshot throws (the first bad snapshot stops the run).
core::Json validate_snapshots(const Plan& plan, const std::string& path, const ValidateOptions& options);

// Checks one snapshot: {snapshot, verdict: pass|fail, summary: {...}, results: [...]}. Pure.
core::Json check_snapshot(const Plan& plan, const core::Json& snapshot, const std::string& snapshot_name,
                          const ValidateOptions& options);

// The Report document over one or more checked snapshots, with totals.
core::Json make_report(const Plan& plan, core::Json entries, const ValidateOptions& options);

// 0 when every snapshot passed, else 1 (core::Exit::check_failed).
int report_exit(const core::Json& report);

enum class ReportFormat { table, json, junit, ctrf };

// The check statuses in the order a table groups them: fail, could-not-verify, pass, not-applicable.
const std::vector<std::string>& status_order();

// What the table shows: the checks whose status is in `only` (every check when empty), grouped by
// status in status_order(). Summaries, totals and the verdict always count every check.
struct TableOptions {
  std::vector<std::string> only = {};
  // One block per check instead of one row (status and name, then expected, observed and the
  // source or reason each on its own indented line): for a terminal too narrow for the row.
  bool blocks = false;
};

// Renders a Report. `stamp_ms` fills CTRF's start/stop (milliseconds since the epoch). `table`
// applies to ReportFormat::table only; throws core::Error(bad_input) naming field "only" when it
// restricts another format (a report for machines holds every check).
std::string format_report(const core::Json& report, ReportFormat format, long long stamp_ms,
                          const TableOptions& table = {});

// The clock, SOURCE_DATE_EPOCH and the as-of date's reader (core::check_date): core/clock.hpp.

}  // namespace galley::validate
