#!/usr/bin/env bash
# Black-box tests of `galley snapshot`, `galley validate` and `galley recipe --snapshot` on the real
# binary: real fixtures (an H100 node's nvidia-smi, this machine's os-release and kernel), bad input
# (exit code, message, nothing written), reports in every format, fleets, advisories, drift.
# Recipes are made by the binary at test time (the catalog changes; no recipe copies are kept).
# Usage: validate_blackbox.sh GALLEY SOURCE_DIR [sanitized]
set -uo pipefail
GALLEY=$1
SRC=$2
SANITIZED=${3:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
F=$SRC/tests/fixtures/snapshot
export SOURCE_DATE_EPOCH=1795000000   # 2026-11-18: reproducible collectedAt and default --as-of
export HOME=$T/home                   # no ~/.kube/config: never reach a real cluster
unset KUBECONFIG
mkdir -p "$HOME"

# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"

run() { plain_run "$@"; }  # tests/lib.sh
# jq_is FILE FILTER EXPECTED: the filter's raw output equals EXPECTED.
jq_is() {
  local got
  got=$(jq -r "$2" "$1" 2>&1)
  [ "$got" = "$3" ] && ok || bad "$2 on $(basename "$1") is '$got', expected '$3'"
}

# Cluster and node snapshots from the fixtures.
CLUSTER_FILES=(--from-kubectl-json "$F/eks-cluster/nodes.json" --kubectl-version "$F/eks-cluster/version.json"
               --helm-releases "$F/eks-cluster/releases.json" --objects-json "$F/eks-cluster/objects.json"
               --metrics "$F/eks-cluster/metrics.txt" --resource-slices "$F/eks-cluster/resourceslices.json")
NODE_FILES=(--root "$F/h100-node-real/root" --nvidia-smi-xml "$F/h100-node-real/nvidia-smi-q-x.xml")
EKS=(--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34)

# ---- snapshot ------------------------------------------------------------------------------------

begin snapshot_of_the_real_h100_node
run 0 snapshot "${NODE_FILES[@]}" --format json -o "$T/node.json"
jq_is "$T/node.json" .kind Snapshot
jq_is "$T/node.json" .spec.node.gpus.devices[0].productName "NVIDIA H100 80GB HBM3"
jq_is "$T/node.json" .spec.node.gpus.driverVersion 580.159.04
jq_is "$T/node.json" .spec.node.os.versionId 24.04
jq_is "$T/node.json" .spec.node.kernel.release 6.18.44-fc-v657-gpu
jq_is "$T/node.json" .spec.cluster.state absent
jq_is "$T/node.json" '.spec.node.hostname | startswith("sha256:")' true
jq_is "$T/node.json" '.spec.node.gpus.devices[0].uuid | startswith("sha256:")' true
jq_is "$T/node.json" .metadata.collectedAt 2026-11-18T11:06:40Z

begin snapshot_is_byte_identical_across_runs
run 0 snapshot "${NODE_FILES[@]}" -o "$T/n1.yaml"
run 0 snapshot "${NODE_FILES[@]}" -o "$T/n2.yaml"
cmp -s "$T/n1.yaml" "$T/n2.yaml" && ok || bad "two snapshots of the same input differ"

begin snapshot_full_keeps_identifying_values
run 0 snapshot "${NODE_FILES[@]}" --full --format json -o "$T/full.json"
jq_is "$T/full.json" .spec.node.gpus.devices[0].uuid GPU-857fb23f-c0d4-29ec-c287-cde5785819b9
jq_is "$T/full.json" .metadata.privacy full

begin snapshot_of_this_machine_fixture
run 0 snapshot --root "$F/this-machine/root" --format json -o "$T/this.json"
jq_is "$T/this.json" .spec.node.os.id "$(sed -n 's/^ID=//p' "$F/this-machine/root/etc/os-release" | tr -d '"')"
jq_is "$T/this.json" .spec.node.kernel.release "$(cat "$F/this-machine/root/proc/sys/kernel/osrelease")"
jq_is "$T/this.json" .spec.node.gpus.reason "not run: --root given (use --nvidia-smi-xml FILE or --amd-smi-json FILE)"

begin snapshot_of_this_machine_live_records_absent_parts
run 0 snapshot --format json -o "$T/live.json"
jq_is "$T/live.json" .spec.node.kernel.release "$(uname -r)"
jq_is "$T/live.json" .spec.node.os.id "$(. /etc/os-release && echo "$ID")"
if ! command -v nvidia-smi >/dev/null; then
  jq_is "$T/live.json" .spec.node.gpus "$(jq -n '{reason: "nvidia-smi not found", state: "absent"}')"
fi
jq_is "$T/live.json" .spec.cluster.state absent
jq_is "$T/live.json" '.spec.cluster.reason | startswith("not Kubernetes")' true

begin snapshot_parses_mig_and_multi_gpu_output
run 0 snapshot --skip-node --nvidia-smi-xml "$F/nvidia-smi/h100-mig.xml" --format json -o "$T/skip.json"
jq_is "$T/skip.json" .spec.node.state absent   # --skip-node wins: nothing of the node is recorded
run 0 snapshot --root "$F/h100-node-real/root" --nvidia-smi-xml "$F/nvidia-smi/h100-mig.xml" --format json -o "$T/mig.json"
jq_is "$T/mig.json" .spec.node.gpus.devices[0].migMode.current Enabled
jq_is "$T/mig.json" '.spec.node.gpus.devices[0].migDevices | length' 3
run 0 snapshot --root "$F/h100-node-real/root" --nvidia-smi-xml "$F/nvidia-smi/8x-h100.xml" --format json -o "$T/8x.json"
jq_is "$T/8x.json" .spec.node.gpus.count 8

begin snapshot_of_a_cluster_from_files
run 0 snapshot --skip-node "${CLUSTER_FILES[@]}" --format json -o "$T/cluster.json"
jq_is "$T/cluster.json" .spec.cluster.serverVersion v1.33.4-eks-1a2b3c4
jq_is "$T/cluster.json" '.spec.cluster.nodes | length' 3
jq_is "$T/cluster.json" '.spec.cluster.nodes[0].allocatable["nvidia.com/gpu"]' 8
jq_is "$T/cluster.json" '.spec.cluster.resourceSlices.items[0].devices' 8
jq_is "$T/cluster.json" '.spec.cluster.featureGates.values.InPlacePodVerticalScaling' true
jq_is "$T/cluster.json" '[.spec.cluster.nodes[].name | startswith("sha256:")] | all' true
grep -q "ip-10-0-1-17\|10\.0\.1\.17\|i-0a1b2c3d4e5f60718" "$T/cluster.json" && bad "an identifying value leaked" || ok

# ---- snapshot: bad input ------------------------------------------------------------------------

begin truncated_nvidia_smi_xml_is_refused
run 2 snapshot "${NODE_FILES[@]:0:2}" --nvidia-smi-xml "$F/nvidia-smi/truncated.xml" -o "$T/bad.yaml"
err_has "galley: error: $F/nvidia-smi/truncated.xml:111: malformed or truncated XML"
absent "$T/bad.yaml"

begin xml_with_an_external_entity_is_refused
run 2 snapshot "${NODE_FILES[@]:0:2}" --nvidia-smi-xml "$F/nvidia-smi/external-entity.xml" -o "$T/bad.yaml"
err_has "external-entity.xml:3: the XML declares an entity (<!ENTITY)"
absent "$T/bad.yaml"
grep -q "SYSTEM" "$F/nvidia-smi/external-entity.xml" && ok || bad "the fixture declares no external entity"

begin a_50_MB_nodes_json_is_refused
python3 - "$F/eks-cluster/nodes.json" "$T/big-nodes.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
node = doc["items"][0]
# A realistic node object (images make most of a real one) repeated until the file passes 50 MB.
node["status"]["images"] = [{"names": ["registry.example.com/team/image-%d@sha256:%064d" % (i, i)], "sizeBytes": 1 << 30}
                            for i in range(60)]
one = len(json.dumps(node))
doc["items"] = []
for i in range(52_000_000 // one + 1):
    n = json.loads(json.dumps(node))
    n["metadata"]["name"] = "node-%05d" % i
    doc["items"].append(n)
json.dump(doc, open(sys.argv[2], "w"))
EOF
size=$(stat -c %s "$T/big-nodes.json")
[ "$size" -ge 50000000 ] && ok || bad "the generated nodes.json is only $size bytes"
run 2 snapshot --skip-node --from-kubectl-json "$T/big-nodes.json" -o "$T/bad.yaml"
err_has "galley: error: $T/big-nodes.json: file is $size bytes; the limit is 33554432"
absent "$T/bad.yaml"
no_temp_left "$T"
rm -f "$T/big-nodes.json"

begin kubectl_output_of_the_wrong_command_is_refused
run 2 snapshot --skip-node --from-kubectl-json "$F/eks-cluster/version.json" -o "$T/bad.yaml"
err_has "not the output of \`kubectl get nodes -o json\`"
absent "$T/bad.yaml"

begin missing_input_file_is_not_found
run 3 snapshot --skip-node --kubectl-version "$T/nope.json" -o "$T/bad.yaml"
one_error_line
absent "$T/bad.yaml"

begin snapshot_unknown_format_is_refused
run 2 snapshot "${NODE_FILES[@]}" --format xml -o "$T/bad.yaml"
err_has "--format"
absent "$T/bad.yaml"

# ---- recipes for validation -------------------------------------------------------------------------

run 0 recipe "${EKS[@]}" --format json -o "$T/recipe.json"
[ "$(jq '.spec.components | length' "$T/recipe.json")" -gt 0 ] && ok || bad "the EKS recipe has no components"
# A recipe edited into another with a new digest (sha256 over canonical JSON without the digest).
redigest() {  # redigest IN OUT JQ_FILTER
  jq -cS "$3 | del(.metadata.digest)" "$1" > "$T/body.json"
  local digest
  digest=$(tr -d '\n' < "$T/body.json" | sha256sum | cut -d' ' -f1)
  jq -S --arg d "sha256:$digest" '.metadata.digest = $d' "$T/body.json" > "$2"
}

# ---- validate ---------------------------------------------------------------------------------

begin validate_a_cluster_reports_drift
run 1 validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format json -o "$T/report.json"
jq_is "$T/report.json" .kind Report
jq_is "$T/report.json" .spec.verdict fail
R='.spec.snapshots[0].results[]'
jq_is "$T/report.json" "$R | select(.name == \"component/cert-manager\") | .reason" "other version"
jq_is "$T/report.json" "$R | select(.name == \"component/cert-manager\") | .observed" "v1.17.2 in cert-manager"
jq_is "$T/report.json" "$R | select(.name == \"component/kueue\") | .reason" "missing: no Helm release kueue"
jq_is "$T/report.json" "$R | select(.name == \"extra/ingress/ingress-nginx\") | .status" not-applicable
jq_is "$T/report.json" "$R | select(.name == \"advisory/karpenter-1-11-0-cpu-regression\") | .status" fail
jq_is "$T/report.json" "[$R | has(\"expected\") and has(\"observed\") and has(\"source\")] | all" true

begin kubernetes_vendor_suffix_versions_are_compared_by_release
jq_is "$T/report.json" "$R | select(.name == \"constraint/kubernetes.version\") | .observed" v1.33.4-eks-1a2b3c4
jq_is "$T/report.json" "$R | select(.name == \"constraint/kubernetes.version\") | .status" pass
jq '.serverVersion.gitVersion = "v1.35.1-gke.1616000"' "$F/eks-cluster/version.json" > "$T/gke-version.json"
run 0 snapshot --skip-node --kubectl-version "$T/gke-version.json" --format json -o "$T/gke.json"
redigest "$T/recipe.json" "$T/k135.json" '.spec.constraints = [{name: "kubernetes.version", value: ">=1.35.1, <1.36", source: "test"}] | .spec.components = [] | .spec.advisories = []'
run 0 validate --recipe "$T/k135.json" --snapshot "$T/gke.json"
out_has "constraint/kubernetes.version"
out_has "v1.35.1-gke.1616000"
redigest "$T/recipe.json" "$T/k134.json" '.spec.constraints = [{name: "kubernetes.version", value: "<=1.34", source: "test"}] | .spec.components = [] | .spec.advisories = []'
run 1 validate --recipe "$T/k134.json" --snapshot "$T/gke.json"

begin a_version_like_v1_x_is_refused_in_a_recipe_and_unverifiable_in_a_snapshot
redigest "$T/recipe.json" "$T/v1x.json" '.spec.constraints = [{name: "kubernetes.version", value: "v1.x", source: "test"}]'
run 2 validate --recipe "$T/v1x.json" --snapshot "$T/cluster.json" -o "$T/bad-report.txt"
err_has "spec.constraints[0].value"
err_has '"v1.x"'
absent "$T/bad-report.txt"
run 2 recipe --service eks --accelerator h100 --intent training --kubernetes v1.x -o "$T/bad.yaml"
err_has "v1.x"
absent "$T/bad.yaml"
jq '.serverVersion.gitVersion = "v1.x"' "$F/eks-cluster/version.json" > "$T/v1x-version.json"
run 0 snapshot --skip-node --kubectl-version "$T/v1x-version.json" --format json -o "$T/v1x-snap.json"
run 1 validate --recipe "$T/k135.json" --snapshot "$T/v1x-snap.json" --format json
jq_is "$T/out" "$R | .reason" "unparseable: v1.x is not a version"

begin could_not_verify_fails_unless_allowed
redigest "$T/recipe.json" "$T/node-recipe.json" '.spec.constraints = [{name: "driver.version", value: ">=570", source: "test"}, {name: "kubernetes.version", value: ">=1.31", source: "test"}] | .spec.components = [] | .spec.advisories = []'
run 1 validate --recipe "$T/node-recipe.json" --snapshot "$T/node.json" --format json
jq_is "$T/out" "$R | select(.name == \"constraint/driver.version\") | .status" pass
jq_is "$T/out" "$R | select(.name == \"constraint/kubernetes.version\") | .status" could-not-verify
jq_is "$T/out" "$R | select(.name == \"constraint/kubernetes.version\") | .reason | startswith(\"data absent\")" true
jq_is "$T/out" .spec.snapshots[0].summary.failed 0
run 0 validate --recipe "$T/node-recipe.json" --snapshot "$T/node.json" --allow could-not-verify
out_has "verdict: PASS (could-not-verify allowed)"
run 2 validate --recipe "$T/node-recipe.json" --snapshot "$T/node.json" --allow everything
err_has "--allow"

begin advisories_are_judged_at_the_as_of_date
mkdir -p "$T/data/advisories"
cat > "$T/data/advisories/test-ubuntu-2404-eol.yaml" <<'EOF'
apiVersion: galley.dev/v1alpha1
kind: Advisory
metadata:
  name: test-ubuntu-2404-eol
spec:
  summary: a test end of life for Ubuntu 24.04 on EKS
  source: https://example.com/eol
  published: "2026-01-01"
  severity: high
  action: Move node groups to a newer image
  endOfLife:
    criteria: {service: eks, os: ubuntu, osVersion: "24.04"}
    warnFrom: "2026-10-01"
    date: "2027-01-01"
EOF
run 0 --data "$T/data" recipe "${EKS[@]}" --os-version 24.04 --format json -o "$T/eol-recipe.json"
redigest "$T/eol-recipe.json" "$T/eol.json" '.spec.constraints = [] | .spec.components = [] | .spec.advisories |= map(select(.name == "test-ubuntu-2404-eol"))'
run 0 validate --recipe "$T/eol.json" --snapshot "$T/node.json" --as-of 2026-06-01
out_has "pass  "
run 0 validate --recipe "$T/eol.json" --snapshot "$T/node.json" --as-of 2026-12-01 --format json
jq_is "$T/out" "$R | .reason" "end of life on 2027-01-01 (warnings from 2026-10-01)"
run 1 validate --recipe "$T/eol.json" --snapshot "$T/node.json" --as-of 2027-01-01 --format json
jq_is "$T/out" "$R | .reason" "end of life since 2027-01-01: Move node groups to a newer image"
run 0 validate --recipe "$T/eol.json" --snapshot "$T/node.json"   # default: SOURCE_DATE_EPOCH's day, 2026-11-18
SOURCE_DATE_EPOCH=1800000000 run 1 validate --recipe "$T/eol.json" --snapshot "$T/node.json"   # 2027-01-15
SOURCE_DATE_EPOCH=1800000000 run 0 validate --recipe "$T/eol.json" --snapshot "$T/node.json" --as-of 2026-12-31
run 2 validate --recipe "$T/eol.json" --snapshot "$T/node.json" --as-of 2026-02-30 -o "$T/bad-report.txt"
err_has '"2026-02-30" is not a date'
absent "$T/bad-report.txt"

# ---- reports ----------------------------------------------------------------------------------

begin reports_in_every_format_agree
run 1 validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format json -o "$T/r.json"
run 1 validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format junit -o "$T/r.xml"
run 1 validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format ctrf -o "$T/r.ctrf.json"
run 1 validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format table -o "$T/r.txt"
total=$(jq .spec.totals.results.total "$T/r.json")
failed=$(jq .spec.totals.results.failed "$T/r.json")
xmllint --noout "$T/r.xml" && ok || bad "JUnit XML is not well-formed"
[ "$(xmllint --xpath 'string(/testsuites/@tests)' "$T/r.xml")" = "$total" ] && ok || bad "JUnit tests != $total"
[ "$(xmllint --xpath 'string(/testsuites/@failures)' "$T/r.xml")" = "$failed" ] && ok || bad "JUnit failures != $failed"
jq_is "$T/r.ctrf.json" .results.summary.tests "$total"
jq_is "$T/r.ctrf.json" .results.summary.failed "$failed"
jq_is "$T/r.ctrf.json" .results.summary.start 1795000000000
jq_is "$T/r.ctrf.json" '[.results.tests[].status] - ["passed", "failed", "skipped", "pending", "other"] | length' 0
grep -q "^verdict: FAIL$" "$T/r.txt" && ok || bad "the table has no verdict line"
grep -q "^STATUS  *CHECK  *EXPECTED  *OBSERVED  *SOURCE / REASON$" "$T/r.txt" && ok || bad "the table has no header"

begin reports_are_byte_identical_across_runs
run 1 validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format json -o "$T/r2.json"
cmp -s "$T/r.json" "$T/r2.json" && ok || bad "two reports of the same input differ"

begin unknown_report_format_is_refused
echo precious > "$T/keep.txt"
run 2 validate --recipe "$T/recipe.json" --snapshot "$T/cluster.json" --format xml -o "$T/keep.txt"
err_has "--format"
[ "$(cat "$T/keep.txt")" = precious ] && ok || bad "the existing report was changed"

begin a_snapshot_of_the_wrong_kind_is_refused
run 2 validate --recipe "$T/recipe.json" --snapshot "$T/recipe.json" -o "$T/bad-report.txt"
err_has "$T/recipe.json:"
err_has 'kind: kind "Recipe" is not accepted here; expected Snapshot'
absent "$T/bad-report.txt"
run 2 validate --recipe "$T/cluster.json" --snapshot "$T/cluster.json" -o "$T/bad-report.txt"
err_has "$T/cluster.json:3: kind: "
err_has 'expected Recipe'
absent "$T/bad-report.txt"
jq '.spec.node.surprise = 1' "$T/node.json" > "$T/extra-field.json"
run 2 validate --recipe "$T/recipe.json" --snapshot "$T/extra-field.json" -o "$T/bad-report.txt"
err_has "spec.node.surprise"
absent "$T/bad-report.txt"

begin a_tampered_recipe_is_refused
jq '.spec.constraints[0].value = ">=1"' "$T/recipe.json" > "$T/tampered.json"
run 2 validate --recipe "$T/tampered.json" --snapshot "$T/cluster.json" -o "$T/bad-report.txt"
err_has "digest"
absent "$T/bad-report.txt"

# ---- fleets -----------------------------------------------------------------------------------

begin a_folder_of_snapshots_is_a_fleet_with_one_line_each_and_totals
mkdir -p "$T/fleet"
cp "$T/node.json" "$T/fleet/a-node.json"
cp "$T/mig.json" "$T/fleet/b-mig.json"
cp "$T/n1.yaml" "$T/fleet/c-node.yaml"
echo "not a snapshot" > "$T/fleet/README.txt"   # other files are ignored
run 1 validate --recipe "$T/node-recipe.json" --snapshot "$T/fleet"
[ "$(grep -c -- '-> FAIL$' "$T/out")" = 3 ] && ok || bad "expected 3 summary lines: $(cat "$T/out")"
out_has "$T/fleet/a-node.json: 1 passed, 0 failed, 0 not applicable, 1 could not verify -> FAIL"
out_has "totals: 3 snapshots, 0 passed, 3 failed; checks: 3 passed, 0 failed, 0 not applicable, 3 could not verify"
run 0 validate --recipe "$T/node-recipe.json" --snapshot "$T/fleet" --allow could-not-verify --format junit
[ "$(grep -c '<testsuite ' "$T/out")" = 3 ] && ok || bad "expected 3 JUnit suites"
cp "$T/recipe.json" "$T/fleet/d-wrong-kind.json"
run 2 validate --recipe "$T/node-recipe.json" --snapshot "$T/fleet" -o "$T/fleet-report.txt"
err_has "d-wrong-kind.json"
absent "$T/fleet-report.txt"
mkdir -p "$T/empty"
run 3 validate --recipe "$T/node-recipe.json" --snapshot "$T/empty"
err_has "no *.yaml or *.json snapshots"

# ---- recipe --snapshot ---------------------------------------------------------------------------

begin recipe_infers_criteria_from_a_cluster_snapshot
run 0 recipe --snapshot "$T/cluster.json" --intent training --platform kubeflow --format json -o "$T/inferred.json"
jq_is "$T/inferred.json" .spec.criteria.service eks
jq_is "$T/inferred.json" .spec.criteria.accelerator h100
jq_is "$T/inferred.json" .spec.criteria.os ubuntu
jq_is "$T/inferred.json" .spec.criteria.kubernetes v1.33.4-eks-1a2b3c4
run 0 recipe --snapshot "$T/cluster.json" --intent training --accelerator h200 --allow-partial --format json -o "$T/override.json"
jq_is "$T/override.json" .spec.criteria.accelerator h200

begin recipe_from_a_snapshot_reports_what_it_cannot_infer
run 2 recipe --snapshot "$T/cluster.json" -o "$T/bad.yaml"
err_has "missing intent (a snapshot never shows the workload intent)"
absent "$T/bad.yaml"
run 2 recipe --snapshot "$T/node.json" --intent training -o "$T/bad.yaml"
err_has "kubernetes (no cluster server version in the snapshot)"
err_has "service (no cluster nodes in the snapshot)"
absent "$T/bad.yaml"
run 0 recipe --snapshot "$T/node.json" --intent training --platform kubeflow --service eks --kubernetes 1.34 --format json -o "$T/node-inferred.json"
jq_is "$T/node-inferred.json" .spec.criteria.accelerator h100

begin recipe_from_an_invalid_snapshot_is_an_error_not_a_fallback
run 2 recipe --snapshot "$T/recipe.json" --intent training -o "$T/bad.yaml"
err_has 'kind "Recipe" is not accepted here; expected Snapshot'
absent "$T/bad.yaml"
printf '{"apiVersion": "galley.dev/v1alpha1", "kind": "Snapshot", ' > "$T/cut.json"
run 2 recipe --snapshot "$T/cut.json" --intent training -o "$T/bad.yaml"
err_has "$T/cut.json:1: invalid JSON"
absent "$T/bad.yaml"

# ---- hardware, CPU and OS constraints (issue 11: never a wrong answer with exit 0) -----------------

begin x86_h100_node_fails_an_eks_gb200_recipe_on_architecture_and_gpu_product
run 0 snapshot "${NODE_FILES[@]}" --format json -o "$T/hw-node.json"
jq_is "$T/hw-node.json" .spec.node.kernel.architecture amd64
run 0 recipe --service eks --accelerator gb200 --os al2023 --intent training --platform kubeflow --kubernetes 1.34 \
  --format json -o "$T/hw-gb200.json"
run 1 validate --recipe "$T/hw-gb200.json" --snapshot "$T/hw-node.json" --scope node --format json -o "$T/hw-gb200-report.json"
jq_is "$T/hw-gb200-report.json" '.spec.snapshots[0].results[] | select(.name == "constraint/cpu.architecture") | .status + " " + .expected + " " + .observed' "fail arm64 amd64"
jq_is "$T/hw-gb200-report.json" '.spec.snapshots[0].results[] | select(.name == "constraint/gpu.product") | .status + " " + .expected + " " + .observed' "fail NVIDIA GB200* NVIDIA H100 80GB HBM3"
jq_is "$T/hw-gb200-report.json" '.spec.snapshots[0].results[] | select(.name == "constraint/os.id") | .status + " " + .observed' "fail ubuntu"
run 1 validate --recipe "$T/hw-gb200.json" --snapshot "$T/hw-node.json"
out_has "constraint/cpu.architecture"
out_has "constraint/gpu.product"

begin x86_h100_node_fails_a_gke_cos_b200_recipe_on_os_id
run 0 recipe --service gke --accelerator b200 --os cos --intent inference --platform dynamo \
  --kubernetes 1.35.1-gke.1616000 --format json -o "$T/hw-cos.json"
run 1 validate --recipe "$T/hw-cos.json" --snapshot "$T/hw-node.json" --scope node --format json -o "$T/hw-cos-report.json"
jq_is "$T/hw-cos-report.json" '.spec.snapshots[0].results[] | select(.name == "constraint/os.id") | .status + " " + .expected + " " + .observed' "fail cos ubuntu"
jq_is "$T/hw-cos-report.json" '.metadata.scope' node

begin x86_h100_node_passes_the_hardware_checks_of_an_eks_h100_ubuntu_recipe
run 0 recipe "${EKS[@]}" --format json -o "$T/hw-h100.json"
run 0 validate --recipe "$T/hw-h100.json" --snapshot "$T/hw-node.json" --scope node --format json -o "$T/hw-h100-report.json"
jq_is "$T/hw-h100-report.json" '[.spec.snapshots[0].results[] | select(.name | test("cpu.architecture|gpu.product|os.id|os.version|driver.version")) | .status] | join(",")' "pass,pass,pass,pass,pass"
jq_is "$T/hw-h100-report.json" '[.spec.snapshots[0].results[] | select(.category != "constraint")] | length' 0

begin scope_node_leaves_out_cluster_rows_and_the_table_counts_each_status
run 1 validate --recipe "$T/hw-h100.json" --snapshot "$T/hw-node.json"
out_has "could not verify -> FAIL"
grep -q "component/" "$T/out" && ok || bad "the default scope lost the cluster rows"
run 0 validate --recipe "$T/hw-h100.json" --snapshot "$T/hw-node.json" --scope node
grep -q "component/\|kubernetes.version" "$T/out" && bad "--scope node printed cluster rows" || ok
out_has "0 failed, 0 not applicable, 0 could not verify -> PASS"
out_has "verdict: PASS (scope: node)"
run 1 validate --recipe "$T/hw-h100.json" --snapshot "$T/hw-node.json" --scope cluster
grep -q "gpu.product" "$T/out" && bad "--scope cluster printed node rows" || ok
run 2 validate --recipe "$T/hw-h100.json" --snapshot "$T/hw-node.json" --scope rack

begin every_leaf_rejects_the_h100_node_unless_it_is_an_h100_leaf_of_its_os
for a in "$SRC"/tests/golden/leaves/*.args; do
  leaf=$(basename "$a" .args)
  # shellcheck disable=SC2046
  "$GALLEY" recipe $(sed -n 's/^# args: //p' "$a") --log-level error --format json -o "$T/leaf.json" ||
    { bad "$leaf does not resolve"; continue; }
  "$GALLEY" validate --recipe "$T/leaf.json" --snapshot "$T/hw-node.json" --scope node --format json -o "$T/leaf-report.json" >/dev/null
  fails=$(jq '[.spec.snapshots[0].results[] | select(.category == "constraint" and .status == "fail")] | length' "$T/leaf-report.json")
  case "$leaf" in
    *-h100-ubuntu-*) [ "$fails" = 0 ] && ok || bad "$leaf rejects the H100 Ubuntu node ($fails failed constraints)" ;;
    *) [ "$fails" -gt 0 ] && ok || bad "$leaf accepts the x86 H100 Ubuntu node" ;;
  esac
done

# ---- node captures (snapshot --capture-script, --from-capture) ----------------------------------

begin capture_script_is_posix_sh_and_shellcheck_clean
run 0 snapshot --capture-script
cp "$T/out" "$T/capture.sh"
head -1 "$T/capture.sh" | grep -qx '#!/bin/sh' && ok || bad "the capture script does not start with #!/bin/sh"
if command -v shellcheck >/dev/null; then
  shellcheck -s sh "$T/capture.sh" >"$T/sc.txt" 2>&1 && ok || bad "shellcheck -s sh: $(head -20 "$T/sc.txt")"
fi
# Every file the snapshot reads under a root is one the script copies.
for f in etc/os-release proc/sys/kernel/osrelease proc/sys/kernel/arch proc/sys/kernel/hostname proc/cmdline \
         proc/modules proc/meminfo sys/devices/system/cpu/online proc/sys/vm/swappiness proc/sys/net/core/rmem_max; do
  grep -qx "copy /$f" "$T/capture.sh" && ok || bad "the capture script does not copy /$f"
done

begin capture_of_a_fake_root_reads_back_as_the_same_snapshot
cp -r "$F/h100-node-real/root" "$T/fake"
mkdir -p "$T/fakebin"
printf '#!/bin/sh\n[ "$*" = "-q -x" ] || exit 9\ncat "%s"\n' "$F/h100-node-real/nvidia-smi-q-x.xml" >"$T/fakebin/nvidia-smi"
chmod +x "$T/fakebin/nvidia-smi"
CAPTURE_ROOT=$T/fake PATH="$T/fakebin:$PATH" sh "$T/capture.sh" "$T/cap" 2>"$T/cap.err" && ok || bad "capture: $(cat "$T/cap.err")"
diff -r "$T/fake" "$T/cap/root" >/dev/null && ok || bad "the capture's root differs from the root it read"
cmp -s "$F/h100-node-real/nvidia-smi-q-x.xml" "$T/cap/nvidia-smi.xml" && ok || bad "nvidia-smi -q -x output not captured byte for byte"
grep -q "not readable: $T/fake/proc/sys/kernel/pid_max" "$T/cap.err" && ok || bad "a missing file is not reported: $(cat "$T/cap.err")"
run 0 snapshot --from-capture "$T/cap" -o "$T/cap-a.yaml"
run 0 snapshot --root "$T/cap/root" --nvidia-smi-xml "$T/cap/nvidia-smi.xml" -o "$T/cap-b.yaml"
cmp -s "$T/cap-a.yaml" "$T/cap-b.yaml" && ok || bad "--from-capture DIR differs from --root DIR/root --nvidia-smi-xml DIR/nvidia-smi.xml"
# ... and from a snapshot of the data it was captured from (only the XML's file name differs).
run 0 snapshot --from-capture "$T/cap" --format json -o "$T/cap-a.json"
run 0 snapshot "${NODE_FILES[@]}" --format json -o "$T/cap-orig.json"
[ "$(jq -S 'del(.spec.node.gpus.source)' "$T/cap-a.json")" = "$(jq -S 'del(.spec.node.gpus.source)' "$T/cap-orig.json")" ] && ok ||
  bad "the captured node reads differently from the original files"
# A .tar.gz holds the same folder.
CAPTURE_ROOT=$T/fake PATH="$T/fakebin:$PATH" sh "$T/capture.sh" "$T/cap.tar.gz" 2>/dev/null && ok || bad "capture into a .tar.gz"
mkdir "$T/capx" && tar -xzf "$T/cap.tar.gz" -C "$T/capx" && diff -r "$T/cap" "$T/capx" >/dev/null && ok || bad "the .tar.gz capture differs"
[ ! -e "$T/cap.tar.gz.part.$$" ] && [ -z "$(find "$T" -maxdepth 1 -name 'cap.tar.gz.part.*')" ] && ok || bad "the .tar.gz capture left its folder"
# An existing folder is refused; a failing nvidia-smi leaves the GPU part out.
CAPTURE_ROOT=$T/fake sh "$T/capture.sh" "$T/cap" 2>"$T/cap.err"; [ $? = 2 ] && grep -q "already exists" "$T/cap.err" && ok || bad "an existing folder was not refused"
printf '#!/bin/sh\nexit 9\n' >"$T/fakebin/nvidia-smi"
CAPTURE_ROOT=$T/fake PATH="$T/fakebin:$PATH" sh "$T/capture.sh" "$T/cap-nogpu" 2>"$T/cap.err" && [ ! -e "$T/cap-nogpu/nvidia-smi.xml" ] &&
  [ -z "$(find "$T/cap-nogpu" -name '*.part')" ] && grep -q "nvidia-smi -q -x failed" "$T/cap.err" && ok || bad "failing nvidia-smi: $(cat "$T/cap.err")"
run 0 snapshot --from-capture "$T/cap-nogpu" --format json -o "$T/nogpu.json"
jq_is "$T/nogpu.json" .spec.node.gpus.state absent
jq_is "$T/nogpu.json" .spec.node.os.versionId 24.04

begin from_capture_refuses_what_is_not_a_capture
run 3 snapshot --from-capture "$T/fake" -o "$T/never.yaml"
grep -q -- "--from-capture: $T/fake is not a capture folder" "$T/err" && ok || bad "message: $(cat "$T/err")"
[ ! -e "$T/never.yaml" ] && ok || bad "a refused capture wrote output"
run 2 snapshot --from-capture "$T/cap" --root "$T/cap/root"

begin the_shipped_samples_are_the_fixtures
run 0 snapshot --from-capture "$SRC/examples/snapshot/h100-node" --format json -o "$T/example-node.json"
[ "$(jq -S 'del(.spec.node.gpus.source)' "$T/example-node.json")" = "$(jq -S 'del(.spec.node.gpus.source)' "$T/cap-orig.json")" ] && ok ||
  bad "examples/snapshot/h100-node reads differently from the h100-node-real fixture"
for f in "$F"/eks-cluster/*; do
  cmp -s "$f" "$SRC/examples/snapshot/eks-cluster/$(basename "$f")" && ok || bad "examples/snapshot/eks-cluster/$(basename "$f") differs"
done

finish validate_blackbox
