#!/usr/bin/env bash
# Black-box tests of `galley conformance`: the four accepted v1.35 submissions (tests/conformance/
# accepted, copied from upstream) pass `check`; broken copies of them fail with the rule's message
# (file:line: field) and exit 1; malformed input exits 2, a missing path 3.
# Usage: conformance_blackbox.sh GALLEY SOURCE_DIR
set -uo pipefail
GALLEY=$1
SRC=$2
T=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; bash "$SRC/tests/interop/registry.sh" stop "$T/reg" >/dev/null 2>&1; rm -rf "$T"' EXIT
A=$SRC/tests/conformance/accepted
export SOURCE_DATE_EPOCH=1795000000
# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"

# run EXPECTED_RC ARGS...: stdout in $T/out, stderr in $T/err; checks the exit code.
run() {
  local want=$1; shift
  "$GALLEY" "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  [ "$rc" = "$want" ] && ok || bad "exit $rc, expected $want; out: $(head -c 600 "$T/out") err: $(head -c 600 "$T/err")"
}
# product NAME: a fresh copy of accepted submission NAME at $T/sub/v1.35/NAME; prints its folder.
product() {
  rm -rf "$T/sub/v1.35/$1"
  mkdir -p "$T/sub/v1.35/$1"
  cp "$A/v1.35-$1-PRODUCT.yaml" "$T/sub/v1.35/$1/PRODUCT.yaml"
  echo "$T/sub/v1.35/$1"
}
# broken NAME SED_SCRIPT EXPECTED_MESSAGE: a copy of NAME edited by SED_SCRIPT fails check with it.
broken() {
  local dir
  dir=$(product "$1")
  sed -i "$2" "$dir/PRODUCT.yaml"
  cmp -s "$A/v1.35-$1-PRODUCT.yaml" "$dir/PRODUCT.yaml" && { bad "the edit '$2' changed nothing"; return; }
  run 1 conformance check "$dir"
  out_has "$3"
}

begin accepted_pass
# Each accepted submission passes the validator's rules of the moment it was merged (cncf/k8s-ai-
# conformance, first-parent history of main).
for merged in gke=2026-03-16T17:46:21Z nvidia-nim-eks=2026-05-26T18:15:16Z eks=2026-06-02T14:52:26Z \
  oke=2026-08-19T18:25:24Z; do
  p=${merged%%=*}
  run 0 conformance check "$(product "$p")" --as-of "${merged#*=}"
  out_has "check: OK"
  out_has "the CNCF validator's rules as of ${merged#*=})"
done
for p in eks nvidia-nim-eks oke; do
  run 0 conformance check "$(product $p)"
  out_has "check: OK"
  out_lacks "rules as of"
  run 0 conformance check "$T/sub/v1.35/$p/PRODUCT.yaml"
done
# GKE's was merged 24 minutes before the validator checked vendorName against the CNCF members
# (#73, "check that vendors are cncf members"): under the rules of its day "Google" is a warning
# saying so. The landscape lists "Google Cloud", so today's validator would refuse "Google", and so
# does check: that is its one problem.
run 0 conformance check "$(product gke)" --as-of 2026-02-21
out_has 'warning: '"$T"'/sub/v1.35/gke/PRODUCT.yaml:9: metadata.vendorName: "Google" is not a CNCF member'"'"'s name'
out_has '(a problem since 2026-03-16T18:10:43Z, when the CNCF validator took the rule on; not in force --as-of 2026-02-21T00:00:00Z)'
run 1 conformance check "$(product gke)" --as-of 2026-03-16T18:10:43Z
out_has 'PRODUCT.yaml:9: metadata.vendorName: "Google" is not a CNCF member'"'"'s name'
run 1 conformance check "$(product gke)"
out_has 'PRODUCT.yaml:9: metadata.vendorName: "Google" is not a CNCF member'"'"'s name as the CNCF Landscape lists it, which the CNCF validator requires exactly (close: "Google Cloud")'
out_has '1 problems)'
sed -i 's/^  vendorName: Google$/  vendorName: Google Cloud/' "$T/sub/v1.35/gke/PRODUCT.yaml"
run 0 conformance check "$T/sub/v1.35/gke"

begin as_of_rules
# k8sConformanceUrl became required at 2026-01-28T13:30:53Z: a second before, a submission without
# it passes, warned; from then on it fails.
dir=$(product eks)
sed -i '/^  k8sConformanceUrl:/d' "$dir/PRODUCT.yaml"
run 0 conformance check "$dir" --as-of 2026-01-28T13:30:52Z
out_has 'missing metadata field k8sConformanceUrl (a problem since 2026-01-28T13:30:53Z'
run 1 conformance check "$dir" --as-of 2026-01-28T14:30:53+01:00
out_has 'metadata: missing metadata field k8sConformanceUrl'
out_has "rules as of 2026-01-28T13:30:53Z"
# Bad moments: not a time, not a calendar day, before the validator existed: exit 2, nothing judged.
run 2 conformance check "$dir" --as-of 2026-1-28
err_has '--as-of'
run 2 conformance check "$dir" --as-of 2026-02-30
run 2 conformance check "$dir" --as-of 2026-01-27
err_has "is before the CNCF validator's first version (2026-01-27T19:46:38Z)"
[ ! -s "$T/out" ] && ok || bad "a refused --as-of printed a check: $(cat "$T/out")"

begin placeholder_left
broken eks 's|^  platformVersion: .*|  platformVersion: "[Platform Version]"|' \
  'PRODUCT.yaml:8: metadata.platformVersion: placeholder left in: [Platform Version]'
begin metadata_missing
broken gke '/^  contactEmailAddress:/d' 'metadata: missing metadata field contactEmailAddress'
begin conformance_url_malformed
broken eks 's|k8s-conformance/tree/master/v1.35/eks|k8s-conformance/blob/master/v1.35/eks|' \
  'PRODUCT.yaml:16: metadata.k8sConformanceUrl: "https://github.com/cncf/k8s-conformance/blob/master/v1.35/eks" is not'
begin unknown_id
broken eks 's/- id: gpu_sharing/- id: gpu_shareing/' 'spec.accelerators[2].id: unknown id "gpu_shareing" in accelerators for v1.35'
begin missing_id
broken eks 's/- id: gpu_sharing/- id: gpu_shareing/' 'missing requirement "gpu_sharing" (SHOULD) in accelerators'
begin wrong_status_word
broken gke '22s/"Implemented"/"Implemented."/' 'PRODUCT.yaml:22: spec.accelerators[0].status: "Implemented." is not one of'
begin must_not_implemented
broken gke '60s/"Implemented"/"Partially Implemented"/' \
  'PRODUCT.yaml:60: spec.schedulingOrchestration[0].status: "gang_scheduling" is MUST but its status is "Partially Implemented"'
begin na_without_notes
broken gke '67s|"Implemented"|"N/A"|' 'PRODUCT.yaml:72: spec.schedulingOrchestration[1].notes: N/A needs notes saying why'
begin na_with_notes_allowed_for_cluster_autoscaling
dir=$(product gke)
sed -i '67s|"Implemented"|"N/A"|; 72s|notes: ""|notes: "no cluster autoscaler: nodes are fixed"|' "$dir/PRODUCT.yaml"
sed -i 's/^  vendorName: Google$/  vendorName: Google Cloud/' "$dir/PRODUCT.yaml"  # the landscape's name (see accepted_pass)
run 0 conformance check "$dir"
begin description_changed
broken eks 's/beyond simple counts/beyond simple count/' 'spec.accelerators[0].description: differs from the v1.35 checklist'
begin level_changed
broken eks '0,/level: MUST/s//level: SHOULD/' 'spec.accelerators[0].level: must be MUST'
begin evidence_escapes
broken eks '25s|"https://docs.aws.amazon.com/eks/latest/userguide/device-management.html"|"../../secrets.txt"|' \
  'PRODUCT.yaml:25: spec.accelerators[0].evidence[0]: "../../secrets.txt" escapes the product folder'
begin evidence_file_missing
broken eks '25s|"https://docs.aws.amazon.com/eks/latest/userguide/device-management.html"|"file://evidence/dra.md"|' \
  '"file://evidence/dra.md" is not a file in the product folder'
begin malformed_url
broken eks '25s|"https://docs.aws.amazon.com/eks/latest/userguide/device-management.html"|"https://"|' \
  'spec.accelerators[0].evidence[0]: "https://" is not a well-formed http(s) URL'
broken oke '48s|Using%20the%20Kubernetes|Using the Kubernetes|' 'contains a space or control character'
begin failing_junit
dir=$(product eks)
mkdir -p "$dir/results"
cat >"$dir/results/junit.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="ai" tests="2" failures="1">
    <testcase name="TestSecureAcceleratorAccess"/>
    <testcase name="TestGangScheduling">
      <failure message="pods were admitted one by one"/>
    </testcase>
  </testsuite>
</testsuites>
XML
sed -i '25s|"https://docs.aws.amazon.com/eks/latest/userguide/device-management.html"|"file://results/junit.xml#TestSecureAcceleratorAccess"|' "$dir/PRODUCT.yaml"
run 1 conformance check "$dir"
out_has 'spec.accelerators[0].evidence[0]: '"$dir"'/results/junit.xml:6: test TestGangScheduling failed: pods were admitted one by one'
sed -i '/<failure/d' "$dir/results/junit.xml"
run 0 conformance check "$dir"
sed -i '25s|#TestSecureAcceleratorAccess|#TestNoSuchTest|' "$dir/PRODUCT.yaml"
run 1 conformance check "$dir"
out_has 'has no test named TestNoSuchTest'
begin failing_results_json
dir=$(product eks)
printf '{"results":{"tool":{"name":"x"},"tests":[{"name":"TestGangScheduling","status":"failed"}]}}' >"$dir/results.json"
sed -i '25s|"https://docs.aws.amazon.com/eks/latest/userguide/device-management.html"|"results.json"|' "$dir/PRODUCT.yaml"
run 1 conformance check "$dir"
out_has 'results.tests[0] TestGangScheduling failed'
begin failing_e2e_log
dir=$(product eks)
printf 'Ran 3 of 3 Specs\n[FAIL] gang scheduling admits all pods\nFAIL! -- 2 Passed | 1 Failed\n' >"$dir/e2e.log"
sed -i '25s|"https://docs.aws.amazon.com/eks/latest/userguide/device-management.html"|"e2e.log"|' "$dir/PRODUCT.yaml"
run 1 conformance check "$dir"
out_has 'e2e.log:2: a failing test: [FAIL] gang scheduling admits all pods'
begin version_mismatch
dir=$(product eks)
sed -i 's/^  kubernetesVersion: v1.35/  kubernetesVersion: v1.34/' "$dir/PRODUCT.yaml"
run 1 conformance check "$dir"
out_has 'metadata.kubernetesVersion: says v1.34 but the submission is for v1.35'
begin bad_input
mkdir -p "$T/sub/v1.29/x"
cp "$A/v1.35-eks-PRODUCT.yaml" "$T/sub/v1.29/x/PRODUCT.yaml"
run 2 conformance check "$T/sub/v1.29/x"
err_has 'no AI Conformance checklist for "v1.29"; known: v1.33, v1.34, v1.35, v1.36, v1.37'
dir=$(product eks)
printf 'metadata: [\n' >"$dir/PRODUCT.yaml"
run 2 conformance check "$dir"
run 3 conformance check "$T/nowhere"
run 2 conformance check
begin probes
"$GALLEY" recipe --service eks --intent inference --kubernetes 1.35 --log-level error -o "$T/r.yaml" || bad "recipe"
run 0 conformance probes --recipe "$T/r.yaml" -o "$T/probes"
for f in README.md probes.yaml secure_accelerator_access.yaml gang_scheduling.yaml cluster_autoscaling.yaml ai_inference.yaml; do
  check "[ -f '$T/probes/$f' ]" "probes/$f missing"
done
check "grep -q 'dra_support | MUST | TestDraSupport | - | not covered: the recipe has no DRA driver' '$T/probes/README.md'" "dra_support not listed as not covered"
check "grep -q 'conformance.galley.dev/requirement: gang_scheduling' '$T/probes/gang_scheduling.yaml'" "probe objects not labelled"
# Every probe object judged by schemas Galley did not write (tests/interop/k8s-check.mjs): Kubernetes'
# own, and the Gateway API, Inference Extension and KServe CRDs (tests/interop/crds); only Galley's
# index (probes.yaml) has none.
CRDS=(--crds="$SRC/tests/interop/crds/gateway-api" --crds="$SRC/tests/interop/crds/inference-extension"
      --crds="$SRC/tests/interop/crds/kserve" --crds="$SRC/tests/interop/crds/network-attachment-definition")
if [ -d "$SRC/tests/interop/node_modules/kubernetes-models" ]; then
  node "$SRC/tests/interop/k8s-check.mjs" "${CRDS[@]}" "$T/probes" >"$T/k8s" 2>&1 && ok || bad "k8s-check: $(cat "$T/k8s")"
  check "grep -q ', 0 failure(s), 1 without schema$' '$T/k8s'" "k8s-check: $(tail -1 "$T/k8s")"
  # probes_checked NAME WITHOUT_SCHEMA RECIPE_FLAGS...: the v1.37 probes of that recipe in $T/probes-NAME,
  # every object judged by k8s-check, WITHOUT_SCHEMA of them (probes.yaml, Galley's index, among them) without one.
  probes_checked() {
    local name=$1 unschema=$2; shift 2
    "$GALLEY" recipe "$@" --kubernetes 1.35 --log-level error -o "$T/r-$name.yaml" || bad "recipe $name"
    run 0 conformance probes --recipe "$T/r-$name.yaml" --version v1.37 -o "$T/probes-$name"
    node "$SRC/tests/interop/k8s-check.mjs" "${CRDS[@]}" "$T/probes-$name" >"$T/k8s" 2>&1 && ok || bad "k8s-check $name: $(cat "$T/k8s")"
    check "grep -q ', 0 failure(s), $unschema without schema$' '$T/k8s'" "k8s-check $name: $(cat "$T/k8s")"
  }
  # llm-d on EKS: the InferencePool of advanced_inference_ingress, the DRA claim template, prefill and
  # decode workers, the EFA pod.
  probes_checked llmd 1 --service eks --accelerator gb200 --os al2023 --intent inference --platform llm-d
  check "grep -q '^kind: InferencePool' '$T/probes-llmd/advanced_inference_ingress.yaml'" "no InferencePool probe"
  check "grep -q 'llm-d.ai/role: decode' '$T/probes-llmd/disaggregated_inference.yaml'" "no llm-d decode worker"
  check "grep -q 'vpc.amazonaws.com/efa: 1' '$T/probes-llmd/high_performance_networking.yaml'" "no EFA probe"
  # OKE with the Network Operator: the RDMA pod and its NetworkAttachmentDefinition (Multus CRD).
  probes_checked oke 1 --service oke --accelerator h200 --os ubuntu --intent inference --platform llm-d
  check "grep -q '^kind: NetworkAttachmentDefinition' '$T/probes-oke/high_performance_networking.yaml'" "no NetworkAttachmentDefinition"
  # Dynamo: the DynamoGraphDeployment is the one probe object without a vendored CRD (its upstream CRD
  # is 842 KB in a repository over the size this project can fetch; tests/interop/crds/CONFORMANCE-SOURCE.md).
  probes_checked dyn 2 --service kind --accelerator h100 --os ubuntu --intent inference --platform dynamo
  check "grep -q 'subComponentType: prefill' '$T/probes-dyn/disaggregated_inference.yaml'" "no Dynamo prefill worker"
  check "grep -q 'DynamoGraphDeployment/disagg: no schema' '$T/k8s'" "k8s-check dynamo: $(cat "$T/k8s")"
  # The CRD schemas bite: an unknown field in the InferencePool fails.
  sed 's/targetPorts:/targetPortz:/' "$T/probes-llmd/advanced_inference_ingress.yaml" >"$T/bad-pool.yaml"
  node "$SRC/tests/interop/k8s-check.mjs" "${CRDS[@]}" "$T/bad-pool.yaml" >"$T/k8s" 2>&1 && bad "a broken InferencePool passed" || ok
  check "grep -q '/spec/targetPortz: unknown field' '$T/k8s'" "k8s-check: $(cat "$T/k8s")"
  sed 's/^  config:/  konfig:/' "$T/probes-oke/high_performance_networking.yaml" >"$T/bad-nad.yaml"
  node "$SRC/tests/interop/k8s-check.mjs" "${CRDS[@]}" "$T/bad-nad.yaml" >"$T/k8s" 2>&1 && bad "a broken NetworkAttachmentDefinition passed" || ok
else
  bad "the interop checkers are not set up (run scripts/setup-interop.sh)"
fi
run 0 conformance probes --recipe "$T/r.yaml" --version v1.37 -o "$T/probes37"
check "grep -q 'workload_sandboxing | SHOULD | TestWorkloadSandboxing | - | not covered' '$T/probes37/README.md'"
run 2 conformance probes --recipe "$T/r.yaml" --version v1.29 -o "$T/probes29"
err_has 'no AI Conformance checklist for "v1.29"'
absent "$T/probes29"
run 2 conformance probes --recipe "$T/r.yaml" -o "$T/probes"
absent "$T/probes/../probes.tmp"
begin evidence
pod() {  # pod NAME REQUIREMENT PHASE MESSAGE
  printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"galley-conformance","labels":{"conformance.galley.dev/requirement":"%s"}},"spec":{"nodeName":"ip-10-0-0-1.ec2.internal"},"status":{"phase":"%s","containerStatuses":[{"state":{"terminated":{"exitCode":0,"message":"%s\\n"}}}]}}' "$1" "$2" "$3" "$4"
}
printf '{"apiVersion":"v1","kind":"List","items":[%s,%s]}' "$(pod gpu-one secure_accelerator_access Succeeded gpus=1)" \
  "$(pod gpu-none secure_accelerator_access Succeeded gpus=0)" >"$T/results.json"
run 1 conformance evidence --recipe "$T/r.yaml" --results "$T/results.json" -o "$T/evidence"
out_has 'pass  secure_accelerator_access (MUST)'
out_has 'could-not-verify  gang_scheduling (MUST): not in the results: Job/gang'
out_has 'not-applicable  dra_support (MUST): the recipe has no DRA driver'
check "grep -q 'name=\"TestSecureAcceleratorAccess\"' '$T/evidence/junit.xml'" "junit lacks TestSecureAcceleratorAccess"
check "grep -q 'name=\"TestAcceleratorClusterAutoscaling\"' '$T/evidence/junit.xml'" "junit lacks TestAcceleratorClusterAutoscaling"
check "[ -f '$T/evidence/requirements/secure_accelerator_access.md' ] && [ -f '$T/evidence/ctrf.json' ]"
check "! grep -rq 'ip-10-0-0-1' '$T/evidence'" "a node name was left unhashed"
run 1 conformance evidence --recipe "$T/r.yaml" --results "$T/results.json" --full -o "$T/evidence-full"
check "grep -rq 'ip-10-0-0-1' '$T/evidence-full'" "--full hashed the node name"
printf '{"apiVersion":"v1","kind":"List","items":[%s]}' "$(pod gpu-one secure_accelerator_access Failed gpus=2)" >"$T/failed.json"
run 1 conformance evidence --recipe "$T/r.yaml" --results "$T/failed.json" -o "$T/evidence-failed"
out_has 'fail  secure_accelerator_access (MUST): Pod/gpu-one did not succeed'
printf '{"apiVersion":"v1","kind":"List","items":[%s]}' "$(pod stranger workload_sandboxing Succeeded x)" >"$T/foreign.json"
run 2 conformance evidence --recipe "$T/r.yaml" --results "$T/foreign.json" -o "$T/evidence-foreign"
err_has 'that these probes do not have'
absent "$T/evidence-foreign"
printf '{"apiVersion":"v1","kind":"List","items":[]}' >"$T/empty.json"
run 2 conformance evidence --recipe "$T/r.yaml" --results "$T/empty.json" -o "$T/evidence-empty"
absent "$T/evidence-empty"
begin evidence_live
# Without --results the probe objects are read with kubectl: a stand-in kubectl first on PATH (as the
# deploy.sh tests give one) records its arguments and answers as FAKE_KUBECTL says.
mkdir -p "$T/fakebin" "$T/nokubectl"
cat >"$T/fakebin/kubectl" <<'EOF_K'
#!/bin/sh
echo "$@" >"$FAKE_ARGS"
case $FAKE_KUBECTL in
  fail) echo 'E1207 memcache.go:265] couldn'"'"'t get current server API group list' >&2
        echo 'error: the server doesn'"'"'t have a resource type "inferencepool"' >&2; exit 1 ;;
  slow) exec sleep 30 ;;
  *) cat "$FAKE_KUBECTL" ;;
esac
EOF_K
chmod +x "$T/fakebin/kubectl"
live() {  # EXPECTED_RC RESULTS|fail|slow ARGS...: conformance evidence with the stand-in kubectl
  local want=$1 mode=$2; shift 2
  FAKE_KUBECTL=$mode FAKE_ARGS=$T/kubectl-args PATH="$T/fakebin:$PATH" run "$want" conformance evidence --recipe "$T/r.yaml" "$@"
}
live 1 "$T/results.json" -o "$T/ev-live"
out_has 'pass  secure_accelerator_access (MUST)'
check "grep -q -- '^get .*jobs.v1.batch.*pods.* --namespace=galley-conformance --selector=conformance.galley.dev/requirement --output=json --request-timeout=60s$' '$T/kubectl-args'" \
  "kubectl arguments: $(cat "$T/kubectl-args")"
"$GALLEY" conformance evidence --recipe "$T/r.yaml" --results "$T/results.json" -o "$T/ev-saved" >/dev/null 2>&1
diff -r "$T/ev-live" "$T/ev-saved" >/dev/null && ok || bad "live and saved results judged differently"
live 1 "$T/results.json" --context prod --kubectl-timeout 20 -o "$T/ev-live2"
check "grep -q -- '^--context=prod get .* --request-timeout=20s$' '$T/kubectl-args'" "kubectl arguments: $(cat "$T/kubectl-args")"
# The pods a probe Job made carry its label too; they are not foreign probe objects.
jq '.items += [.items[0] | .metadata.name = "gang-x7k2p" | .metadata.ownerReferences = [{"apiVersion":"batch/v1","kind":"Job","name":"gang","uid":"u","controller":true}]]' \
  "$T/results.json" >"$T/owned.json"
live 1 "$T/owned.json" -o "$T/ev-owned"
out_has 'pass  secure_accelerator_access (MUST)'
# Fail closed: kubectl failing, too slow, missing, or answering what the probes do not have.
live 5 fail -o "$T/ev-fail"
err_has "kubectl failed (exit 1): error: the server doesn't have a resource type \"inferencepool\"; no results read"
absent "$T/ev-fail"
start=$(date +%s)
live 5 slow --kubectl-timeout 1 -o "$T/ev-slow"
err_has 'kubectl timed out after 6 s; no results read'
check "[ \$(( \$(date +%s) - start )) -lt 20 ]" "the timeout did not stop kubectl"
absent "$T/ev-slow"
PATH=$T/nokubectl run 3 conformance evidence --recipe "$T/r.yaml" -o "$T/ev-missing"
err_has 'kubectl: not found on PATH'
absent "$T/ev-missing"
live 2 "$T/foreign.json" -o "$T/ev-foreign"
err_has 'that these probes do not have'
live 2 "$T/empty.json" -o "$T/ev-empty"
err_has 'the results hold no probe object'
printf 'Error from server (NotFound): namespaces "galley-conformance" not found\n' >"$T/not-json"
live 2 "$T/not-json" -o "$T/ev-notjson"
absent "$T/ev-notjson"
run 2 conformance evidence --recipe "$T/r.yaml" --results "$T/results.json" --context prod -o "$T/ev-both"
absent "$T/ev-both"
begin submission
E=$SRC/examples/conformance
run 0 conformance evidence --recipe "$E/recipe.yaml" --results "$E/results.json" -o "$T/ev"
cp "$E/product.yaml" "$T/product.yaml"
run 0 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/ev" -o "$T/fork"
P=$T/fork/v1.35/acme-gpu-cloud
out_has "wrote $P (20 files; check: OK, 12 requirements)"
run 0 conformance check "$P" --landscape "$E/landscape.yml"
run 1 conformance check "$P"  # Acme is no CNCF member: against the embedded list it fails
out_has 'metadata.vendorName: "Acme" is not a CNCF member'
# ids, descriptions and levels byte for byte: the checklist's own lines all appear, in order.
grep -E '^    +(- id|description|level):' "$SRC/conformance/data/checklists/AIConformance-1.35.yaml" >"$T/want-lines"
grep -E '^    +(- id|description|level):' "$P/PRODUCT.yaml" >"$T/got-lines"
same "$T/want-lines" "$T/got-lines"
check "grep -q '^| cluster_autoscaling | MUST | Implemented | Amazon EKS v1.35 (base) |' '$P/README.md'" "layered table lacks the base layer"
check "grep -q '^| gang_scheduling | MUST | Implemented | Acme GPU Cloud (kai-scheduler' '$P/README.md'" "layered table lacks the product layer"
check "[ -f '$P/evidence/junit.xml' ] && [ -f '$P/evidence/requirements/dra_support.md' ]" "evidence not copied"
check "grep -q 'file://evidence/junit.xml#TestGangScheduling' '$P/PRODUCT.yaml'" "no junit link"
run 2 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/ev" -o "$T/fork"
err_has 'already holds a submission; give --force'
run 0 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/ev" -o "$T/fork" --force
no_temp_left "$T/fork/v1.35"
begin submission_version
run 2 conformance submission --version v1.37 --product "$T/product.yaml" --evidence "$T/ev" -o "$T/v37"
err_has "the evidence was judged against v1.35's checklist, not v1.37"
absent "$T/v37"
run 2 conformance submission --version v1.29 --product "$T/product.yaml" --evidence "$T/ev" -o "$T/v29"
err_has 'no AI Conformance checklist for "v1.29"'
absent "$T/v29"
begin submission_product_file
bad_product() {  # SED_SCRIPT EXPECTED_MESSAGE: the edited product file is refused (exit 2), nothing written
  sed "$1" "$E/product.yaml" >"$T/bad-product.yaml"
  run 2 conformance submission --landscape "$E/landscape.yml" --product "$T/bad-product.yaml" --evidence "$T/ev" -o "$T/bad-out"
  err_has "$2"
  absent "$T/bad-out"
}
bad_product '/^vendorName:/d' "$T/bad-product.yaml:1: vendorName: missing metadata field vendorName"
bad_product '/^contactEmailAddress:/d' 'contactEmailAddress: missing metadata field contactEmailAddress'
bad_product 's|^k8sConformanceUrl: .*|k8sConformanceUrl: "https://github.com/cncf/k8s-conformance/blob/master/v1.35/eks"|' \
  "$T/bad-product.yaml:10: k8sConformanceUrl: \"https://github.com/cncf/k8s-conformance/blob/master/v1.35/eks\" is not"
bad_product '/^k8sConformanceUrl:/d' 'missing metadata field k8sConformanceUrl'
bad_product 's|^websiteUrl: .*|websiteUrl: "[Website URL]"|' "$T/bad-product.yaml:5: websiteUrl: placeholder left in: [Website URL]"
bad_product 's|^documentationUrl: .*|documentationUrl: "https://"|' 'documentationUrl: "https://" is not a well-formed http(s) URL'
bad_product '/^product:/d' 'missing field product'
bad_product 's/^product: .*/product: Acme Cloud/' 'product: not a folder name'
bad_product 's/\[cluster_autoscaling\]/[cluster_autoscalin]/' 'layered.baseProvides[0]: "cluster_autoscalin" is not a requirement id of v1.35'
bad_product 's/^platformName:/platfromName:/' "$T/bad-product.yaml:2: platfromName: unknown field"
# Long strings are refused, never a crash (std::regex recursed per character; issue 16's class).
long_field() {  # FIELD PREFIX EXPECTED: FIELD set to PREFIX and 200,000 characters is refused (exit 2), nothing written
  python3 -c 'import re, sys; t = open(sys.argv[1]).read()
print(re.sub("(?m)^" + sys.argv[2] + ": .*$", sys.argv[2] + ": \"" + sys.argv[3] + "a" * 200000 + "\"", t), end="")' \
    "$E/product.yaml" "$1" "$2" >"$T/bad-product.yaml"
  run 2 conformance submission --landscape "$E/landscape.yml" --product "$T/bad-product.yaml" --evidence "$T/ev" -o "$T/bad-out"
  err_has "$3"
  absent "$T/bad-out"
}
long_field product "" 'product: not a folder name'
long_field k8sConformanceUrl "https://github.com/cncf/k8s-conformance/tree/master/v1.35/" \
  'k8sConformanceUrl: "https://github.com/cncf/k8s-conformance/tree/master/v1.35/aaaa'
begin submission_refuses_must
run 1 conformance evidence --recipe "$T/r.yaml" --results "$T/results.json" -o "$T/ev-partial"
run 1 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/ev-partial" -o "$T/refused"
err_has 'a MUST requirement is Implemented only with passing evidence; without it: dra_support (not-applicable'
err_has 'gang_scheduling (could-not-verify'
absent "$T/refused"
run 3 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/nowhere" -o "$T/refused"
run 3 conformance submission --landscape "$E/landscape.yml" --product "$T/nowhere.yaml" --evidence "$T/ev" -o "$T/refused"
absent "$T/refused"
mkdir -p "$T/not-evidence" && echo x >"$T/not-evidence/a.txt"
run 2 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/not-evidence" -o "$T/refused"
err_has 'no evidence.yaml'
begin publish
# The submission committed on a branch of a local bare "fork" with libgit2 (file://), as publish does.
git init -q --bare "$T/fork.git"
git -C "$T/fork.git" symbolic-ref HEAD refs/heads/main
git clone -q "$T/fork.git" "$T/fork-work" 2>/dev/null
mkdir -p "$T/fork-work/v1.35/eks" && echo "upstream" >"$T/fork-work/v1.35/eks/README.md"
git -C "$T/fork-work" -c user.name=t -c user.email=t@t add -A && git -C "$T/fork-work" -c user.name=t -c user.email=t@t commit -qm base
git -C "$T/fork-work" push -q origin main 2>/dev/null
git -C "$T/fork.git" branch acme-v1.35 main
run 0 conformance publish "$T/fork" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch acme-v1.35 --dry-run
out_has 'dry run: would commit to branch acme-v1.35'
out_has 'A v1.35/acme-gpu-cloud/PRODUCT.yaml'
out_has 'A v1.35/acme-gpu-cloud/evidence/junit.xml'
out_has 'nothing committed or pushed'
check "[ \"\$(git -C '$T/fork.git' rev-parse acme-v1.35)\" = \"\$(git -C '$T/fork.git' rev-parse main)\" ]" "--dry-run moved the branch"
run 0 conformance publish "$T/fork" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch acme-v1.35 --author "Acme CI <ci@acme.example.com>"
out_has 'published '
out_has "acme-v1.35:v1.35/acme-gpu-cloud"
git -C "$T/fork.git" show acme-v1.35:v1.35/acme-gpu-cloud/PRODUCT.yaml >"$T/published.yaml" 2>/dev/null
same "$T/published.yaml" "$P/PRODUCT.yaml"
check "git -C '$T/fork.git' show acme-v1.35:v1.35/eks/README.md | grep -q upstream" "the rest of the fork changed"
check "git -C '$T/fork.git' log -1 --format=%an%n%B acme-v1.35 | grep -q 'Kubernetes AI Conformance submission v1.35/acme-gpu-cloud (12 requirements)'" "commit message"
check "[ \"\$(git -C '$T/fork.git' log -1 --format=%ct acme-v1.35)\" = 1795000000 ]" "commit time is not SOURCE_DATE_EPOCH"
run 0 conformance publish "$P" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch acme-v1.35
out_has 'unchanged: '
run 0 conformance publish "$T/fork" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch new-branch
check "git -C '$T/fork.git' rev-parse -q --verify new-branch >/dev/null" "new branch not created"
begin publish_refuses
cp -r "$T/fork" "$T/fork-broken"
sed -i 's/^      status: "Implemented"/      status: "Implemented."/' "$T/fork-broken/v1.35/acme-gpu-cloud/PRODUCT.yaml"
run 1 conformance publish "$T/fork-broken" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch broken
err_has 'the submission fails its check; not published'
check "! git -C '$T/fork.git' rev-parse -q --verify broken >/dev/null" "a failing submission was pushed"
mkdir -p "$T/two/v1.35/a" "$T/two/v1.35/b"
cp "$P/PRODUCT.yaml" "$T/two/v1.35/a/" && cp "$P/PRODUCT.yaml" "$T/two/v1.35/b/"
run 2 conformance publish "$T/two" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch x
err_has 'holds several submissions'
mkdir -p "$T/none"
run 2 conformance publish "$T/none" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch x
err_has 'holds no submission'
run 3 conformance publish "$T/nowhere" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch x
run 2 conformance publish "$T/fork" --landscape "$E/landscape.yml" --git "file://$T/fork.git" --branch 'bad..branch'
run 5 conformance publish "$T/fork" --landscape "$E/landscape.yml" --git "file://$T/no-such-fork.git" --branch x
begin evidence_signed
# The evidence folder is a bundle of its own (deployer conformance): signed, verified, pushed, pulled.
"$GALLEY" keygen --out "$T/k" >/dev/null 2>&1 || bad "keygen"
"$GALLEY" keygen --out "$T/other" >/dev/null 2>&1 || bad "keygen"
run 0 conformance evidence --recipe "$E/recipe.yaml" --results "$E/results.json" -o "$T/evs" --sign --key "$T/k.key"
check "[ -f '$T/evs/attestation.sigstore.json' ] && grep -q '^  deployer: conformance' '$T/evs/bundle.yaml'" "not signed or no deployer"
run 0 verify "$T/evs" --key "$T/k.pub"
out_has VERIFIED
run 1 verify "$T/evs" --key "$T/other.pub"
run 0 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/evs" -o "$T/signed-sub" --key "$T/k.pub"
check "[ -f '$T/signed-sub/v1.35/acme-gpu-cloud/evidence/attestation.sigstore.json' ]" "the signature was not carried into the submission"
run 0 conformance check "$T/signed-sub/v1.35/acme-gpu-cloud" --landscape "$E/landscape.yml"
run 1 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/evs" -o "$T/wrong-key" --key "$T/other.pub"
err_has "the evidence does not verify with $T/other.pub"
absent "$T/wrong-key"
run 2 conformance evidence --recipe "$E/recipe.yaml" --results "$E/results.json" -o "$T/evs-nokey" --sign
absent "$T/evs-nokey"
begin evidence_tampered
cp -r "$T/evs" "$T/evt"
sed -i 's/status: pass/status: fail/' "$T/evt/evidence.yaml"
run 1 verify "$T/evt" --key "$T/k.pub"
out_has 'evidence.yaml'
run 1 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/evt" -o "$T/tampered"
err_has 'the evidence folder does not match its inventory (changed after it was written or signed): "evidence.yaml": sha256'
absent "$T/tampered"
cp -r "$E/out/v1.35/acme-gpu-cloud/evidence" "$T/evu"  # unsigned evidence is checked against its inventory too
echo '<!-- edited -->' >>"$T/evu/junit.xml"
run 1 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/evu" -o "$T/tampered"
err_has '"junit.xml": sha256'
rm "$T/evu/bundle.yaml"
run 2 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/evu" -o "$T/tampered"
err_has 'no bundle.yaml'
absent "$T/tampered"
begin evidence_checklist_digest
# bundle.yaml names the checklist judged against in spec.checklistDigest (templatesDigest is the
# render templates' digest of ordinary bundles); evidence written before that field keeps verifying.
check "grep -q '^  checklistDigest: sha256:' '$T/evs/bundle.yaml' && ! grep -q templatesDigest '$T/evs/bundle.yaml'" "bundle.yaml: $(cat "$T/evs/bundle.yaml" | head -8)"
check "jq -e '[.dsseEnvelope.payload | @base64d | fromjson | .predicate.buildDefinition.resolvedDependencies[].name] | index(\"checklist\") != null' '$T/evs/attestation.sigstore.json' >/dev/null" \
  "the signed statement does not name the checklist"
cp -r "$SRC/tests/fixtures/conformance/legacy-evidence" "$T/legacy"
chmod -R u+w "$T/legacy"
run 0 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/legacy" -o "$T/legacy-sub"
run 0 attest "$T/legacy" --key "$T/k.key"
run 0 verify "$T/legacy" --key "$T/k.pub"
out_has VERIFIED
cp -r "$SRC/tests/fixtures/conformance/legacy-evidence" "$T/legacy-other"
chmod -R u+w "$T/legacy-other"
sed -i 's/^  templatesDigest: sha256:cf/  templatesDigest: sha256:00/' "$T/legacy-other/bundle.yaml"
run 2 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/legacy-other" -o "$T/legacy-other-sub"
err_has "bundle.yaml:78: spec.templatesDigest: the evidence was judged against another v1.35 checklist text"
absent "$T/legacy-other-sub"
cp -r "$T/ev" "$T/both" && sed -i 's/^\(  checklistDigest: \)\(.*\)$/\1\2\n  templatesDigest: \2/' "$T/both/bundle.yaml"
run 2 attest "$T/both" --key "$T/k.key"
err_has 'bundle.yaml'
begin evidence_push_pull
d1=$("$GALLEY" push "$T/evs" --oci-layout "$T/lay" --tag v1 2>"$T/err") && ok || bad "push --oci-layout: $(cat "$T/err")"
check "jq -e '.artifactType == \"application/vnd.galley.conformance-evidence.v1\" and .annotations[\"dev.galley.deployer\"] == \"conformance\"' '$T/lay/blobs/sha256/${d1#sha256:}' >/dev/null" \
  "manifest: $(cat "$T/lay/blobs/sha256/${d1#sha256:}")"
check "jq -e '.manifests[0].artifactType == \"application/vnd.galley.conformance-evidence.v1\"' '$T/lay/index.json' >/dev/null" "index.json artifactType"
if command -v docker-registry >/dev/null; then
  addr=$(bash "$SRC/tests/interop/registry.sh" start "$T/reg") || bad "registry start"
  p1=$("$GALLEY" push "$T/evs" "oci://$addr/acme/evidence:v1.35" --plain-http 2>"$T/err")
  [ "$p1" = "$d1" ] && ok || bad "push to the registry: $p1 $(cat "$T/err")"
  run 0 pull "oci://$addr/acme/evidence:v1.35" -o "$T/evp" --plain-http --verify --key "$T/k.pub"
  diff -r "$T/evs" "$T/evp" >/dev/null && ok || bad "pulled evidence differs"
  run 0 conformance submission --landscape "$E/landscape.yml" --product "$T/product.yaml" --evidence "$T/evp" -o "$T/pulled-sub" --key "$T/k.pub"
  bash "$SRC/tests/interop/registry.sh" stop "$T/reg" >/dev/null 2>&1
else
  bad "docker-registry is missing (run scripts/setup-interop.sh)"
fi
begin check_online
# --online asks every http(s) link: a loopback server answers (tests/conformance/link_server.py) and,
# as the https proxy, refuses every tunnel, so the github.com link is asked and reported.
python3 "$SRC/tests/conformance/link_server.py" "$T/port" "$E/landscape.yml" &
server=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
L=http://127.0.0.1:$(cat "$T/port")
cp -r "$E/out/v1.35/acme-gpu-cloud" "$T/online-sub"
mkdir -p "$T/online/v1.35" && mv "$T/online-sub" "$T/online/v1.35/acme-gpu-cloud"
O=$T/online/v1.35/acme-gpu-cloud
sed -i "s|^  websiteUrl: .*|  websiteUrl: \"$L/ok\"|; s|^  documentationUrl: .*|  documentationUrl: \"$L/head-refused\"|; s|^  productLogoUrl: .*|  productLogoUrl: \"$L/busy.svg\"|" "$O/PRODUCT.yaml"
run 0 conformance check "$O" --landscape "$E/landscape.yml"
out_has '4 links'
export https_proxy=$L HTTPS_PROXY=$L no_proxy=127.0.0.1 NO_PROXY=127.0.0.1
run 1 conformance check "$O" --online
out_has 'metadata.k8sConformanceUrl: https://github.com/cncf/k8s-conformance/tree/master/v1.35/eks does not answer'
# --online reads the current CNCF Landscape for vendorName; when it does not answer that is a problem,
# never a pass (the validator fails without it too).
out_has 'metadata.vendorName: CNCF membership not checked: https://raw.githubusercontent.com/cncf/landscape/master/landscape.yml'
run 1 conformance check "$O" --online --landscape "$L/landscape.yml"
out_lacks 'metadata.vendorName'
out_has 'metadata.k8sConformanceUrl'
run 1 conformance check "$O" --landscape "$L/no-landscape.yml"
out_has "metadata.vendorName: CNCF membership not checked: $L/no-landscape.yml: HTTP 404"
run 2 conformance check "$O" --landscape "$E/product.yaml"
err_has 'no "CNCF Members" category with members'
run 3 conformance check "$O" --landscape "$T/nowhere.yml"
run 5 conformance submission --landscape "$L/no-landscape.yml" --product "$T/product.yaml" --evidence "$T/ev" -o "$T/no-landscape"
absent "$T/no-landscape"
out_lacks 'metadata.websiteUrl'
out_lacks 'metadata.documentationUrl'
out_lacks 'metadata.productLogoUrl'
sed -i "s|^  documentationUrl: .*|  documentationUrl: \"$L/gone\"|" "$O/PRODUCT.yaml"
run 1 conformance check "$O" --online
out_has "PRODUCT.yaml:10: metadata.documentationUrl: $L/gone does not answer: HTTP 404"
unset https_proxy HTTPS_PROXY no_proxy NO_PROXY
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
begin example_golden
# examples/conformance/out is regenerated by examples/conformance/update.sh; regenerate and compare.
bash "$E/update.sh" "$GALLEY" "$T/regen" >"$T/out" 2>"$T/err" && ok || bad "update.sh: $(cat "$T/err")"
diff -r "$E/out" "$T/regen" >"$T/diff" && ok || bad "examples/conformance/out is stale (run examples/conformance/update.sh): $(head -c 800 "$T/diff")"
finish conformance_blackbox
