#!/usr/bin/env bash
# Black-box tests of recipes for clusters of several node pools on the real binary: --pool and a
# Criteria file with pools give the same recipe (the golden ones, tests/golden/*-pools.yaml, are
# compared byte for byte by cli_blackbox); bad pools are refused (message, exit code, nothing
# written); two pools needing different versions of one component are unsatisfiable; bundles
# (helm, argocd, flux) place per-pool components with their pool's label; validate judges each
# node by its pool (tests/fixtures/snapshot/pools, synthetic kubectl output made by make.py there);
# per-pool settings (node labels, one NVIDIADriver per pool) reach their pool's nodes and README; two
# providers of a capability on one pool and pools disagreeing on a cluster-wide value are unsatisfiable;
# the MI300X driver constraint is judged from amd-smi output.
# Usage: pools_blackbox.sh GALLEY SOURCE_DIR [sanitized]
set -uo pipefail
GALLEY=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
F=$SRC/tests/fixtures/snapshot/pools
G=$SRC/tests/golden
export SOURCE_DATE_EPOCH=1795000000
export HOME=$T/home
unset KUBECONFIG
mkdir -p "$HOME"

# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"

run() { plain_run "$@"; }  # tests/lib.sh
err_has() { grep -qF -- "$1" "$T/err" && ok || bad "stderr lacks '$1': $(head -c 600 "$T/err")"; }
jq_is() {
  local got
  got=$(jq -r "$2" "$1" 2>&1)
  [ "$got" = "$3" ] && ok || bad "$2 on $(basename "$1") is '$got', expected '$3'"
}

begin criteria_file_with_pools_equals_flags
cat >"$T/cluster.yaml" <<'EOF'
apiVersion: galley.dev/v1alpha1
kind: Criteria
spec:
  service: eks
  os: ubuntu
  kubernetes: "1.34"
  pools:
    - {name: train, accelerator: h100, intent: training, platform: kubeflow, nodes: 16}
    - {name: infer, accelerator: l40s, intent: inference, platform: dynamo, nodes: 8}
EOF
run 0 recipe --criteria "$T/cluster.yaml" -o "$T/file.yaml"
cmp -s "$T/file.yaml" "$G/eks-h100-l40s-pools.yaml" && ok || bad "the Criteria file's recipe differs from the golden --pool one"
run 0 query --recipe "$G/eks-h100-l40s-pools.yaml" --selector pools --format json
jq_is "$T/out" '[.[] | .name + "=" + .nodeSelector["galley.dev/pool"]] | join(",")' "train=train,infer=infer"
jq_is "$T/out" '[.[] | .constraints[] | select(.name == "gpu.product") | .value] | join(",")' "NVIDIA H100*,NVIDIA L40S*"
jq_is "$T/out" '.[1].components | index("dynamo-platform") != null' "true"
jq_is "$T/out" '.[0].components | index("dynamo-platform") == null' "true"
run 0 query --recipe "$G/gke-gpu-tpu-pools.yaml" --selector pools --format json
jq_is "$T/out" '[.[] | .criteria.accelerator] | join(",")' "h100,tpu"
jq_is "$T/out" '.[1].components | index("gpu-operator") == null' "true"

begin bad_pools_are_refused
cat >"$T/unknown.yaml" <<'EOF'
apiVersion: galley.dev/v1alpha1
kind: Criteria
spec:
  service: eks
  pools:
    - name: train
      accelerator: h100
      colour: red
EOF
run 2 recipe --criteria "$T/unknown.yaml" -o "$T/never.yaml"
err_has "unknown.yaml:8"
err_has "colour"
cat >"$T/twice.yaml" <<'EOF'
apiVersion: galley.dev/v1alpha1
kind: Criteria
spec:
  service: eks
  pools:
    - {name: a, accelerator: h100, intent: training}
    - {name: a, accelerator: l40s, intent: inference}
EOF
run 2 recipe --criteria "$T/twice.yaml" -o "$T/never.yaml"
err_has "twice.yaml:7: spec.pools[1].name"
err_has "given twice"
run 2 recipe --service eks --pool a:intent=training -o "$T/never.yaml"
err_has "no accelerator for this pool"
run 2 recipe --service eks --pool a:accelerator=h100,colour=red -o "$T/never.yaml"
err_has "--pool a:accelerator=h100,colour=red: unknown pool key \"colour\""
run 2 recipe --service eks --pool "Bad:accelerator=h100" -o "$T/never.yaml"
err_has "not a lowercase DNS label"
run 2 recipe --service eks --pool a:accelerator=h200x,intent=training -o "$T/never.yaml"
err_has "pool a: criteria: accelerator: unknown value"
[ ! -e "$T/never.yaml" ] && ok || bad "a refused recipe was written"

begin conflicting_pools_are_unsatisfiable
mkdir -p "$T/layer/overlays"
cat >"$T/layer/overlays/pin-l40s.yaml" <<'EOF'
apiVersion: galley.dev/v1alpha1
kind: Overlay
metadata:
  name: pin-l40s
spec:
  description: an older cert-manager on L40S inference pools (a test layer)
  base: eks-l40s-inference
  criteria: {service: eks, accelerator: l40s, intent: inference, platform: dynamo, os: ubuntu}
  componentRefs:
    - name: cert-manager
      version: "<1.21"
EOF
run 4 --data "$T/layer" recipe --service eks --os ubuntu --pool train:accelerator=h100,intent=training,platform=kubeflow \
  --pool infer:accelerator=l40s,intent=inference,platform=dynamo -o "$T/never.yaml"
err_has "pools train and infer need different versions of cert-manager"
err_has "pin-l40s.yaml:11"
[ ! -e "$T/never.yaml" ] && ok || bad "a refused recipe was written"

begin bundles_place_pool_components
for d in helm argocd flux; do
  run 0 bundle --recipe "$G/gke-gpu-tpu-pools.yaml" --deployer $d -o "$T/gke-$d" --repo-url https://git.example.com/g.git
  # gpu-operator serves pool gpu only, but its chart takes no node selector: said, never silent.
  err_has "gpu-operator runs on GPU nodes but its chart has no node selector"
  values=$(grep -rl "dra-driver-google-tpu" "$T/gke-$d" --include=values.yaml | head -1)
  [ -n "$values" ] || values=$(grep -rlF "gke-tpu-dra-driver" "$T/gke-$d" | head -1)
  grep -qF "galley.dev/pool: tpu" "$values" && ok || bad "$d: the TPU DRA driver is not placed on pool tpu ($values)"
  run 0 bundle --recipe "$G/eks-h100-l40s-pools.yaml" --deployer $d -o "$T/eks-$d" --repo-url https://git.example.com/g.git
done
grep -A2 "key: galley.dev/pool" "$T/eks-helm"/*-gpu-operator/values.yaml | grep -qF "operator: Exists" && ok ||
  bad "gpu-operator (both pools) does not tolerate every pool's taint"
grep -qF "galley.dev/pool" "$T/eks-helm"/*-cert-manager/values.yaml && bad "cert-manager (no GPU nodes) got a pool placement" || ok

begin validate_judges_each_node_by_its_pool
run 0 snapshot --skip-node --from-kubectl-json "$F/eks-nodes.json" --kubectl-version "$F/eks-version.json" -o "$T/eks.yaml"
run 0 validate --recipe "$G/eks-h100-l40s-pools.yaml" --snapshot "$T/eks.yaml" --scope node --format json
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/membership") | .status' "pass"
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/infer/constraint/gpu.product") | .observed' "NVIDIA-L40S"
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/train/constraint/gpu.product") | .observed' "NVIDIA-H100-80GB-HBM3"
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/train/node-labels") | .status + " " + .expected' \
  "pass every node of pool train labelled nvidia.com/gpu.deploy.mig-manager=false"
# A training node without the label would get the cluster's MIG manager: a failure naming the node.
jq '(.items[0].metadata.labels) |= del(.["nvidia.com/gpu.deploy.mig-manager"])' "$F/eks-nodes.json" >"$T/unlabelled.json"
run 0 snapshot --skip-node --from-kubectl-json "$T/unlabelled.json" --kubectl-version "$F/eks-version.json" -o "$T/unlabelled.yaml"
run 1 validate --recipe "$G/eks-h100-l40s-pools.yaml" --snapshot "$T/unlabelled.yaml" --scope node --format json
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/train/node-labels") | .status + " " + (.observed | test("^[^;]+: no nvidia.com/gpu.deploy.mig-manager$") | tostring)' \
  "fail true"
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/infer/node-labels") | .status' "pass"
run 0 snapshot --skip-node --from-kubectl-json "$F/eks-stray-nodes.json" --kubectl-version "$F/eks-version.json" -o "$T/stray.yaml"
run 1 validate --recipe "$G/eks-h100-l40s-pools.yaml" --snapshot "$T/stray.yaml" --scope node --format json
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/membership") | .status' "fail"
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/membership") | .observed | test("accelerator nodes in no pool: sha256:")' "true"
run 0 snapshot --skip-node --from-kubectl-json "$F/gke-nodes.json" --kubectl-version "$F/gke-version.json" -o "$T/gke.yaml"
run 0 validate --recipe "$G/gke-gpu-tpu-pools.yaml" --snapshot "$T/gke.yaml" --scope node --format json
jq_is "$T/out" '[.spec.snapshots[0].results[] | select(.status != "pass")] | length' "0"
# The GKE nodes against the EKS recipe: no node is in pool train or infer.
run 1 validate --recipe "$G/eks-h100-l40s-pools.yaml" --snapshot "$T/gke.yaml" --scope node --format json
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/train/constraint/gpu.product") | .status' "could-not-verify"
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "pool/membership") | .status' "fail"

begin per_pool_settings_reach_their_own_nodes
# GB300 (open kernel modules) beside A100 (MIG): one NVIDIADriver per pool, the MIG manager off by
# node label on the training pool, and the bundle README saying so pool by pool.
run 0 query --recipe "$G/eks-gb300-a100-pools.yaml" --selector pools --format json
jq_is "$T/out" '.[0].nodeLabels["nvidia.com/gpu.deploy.mig-manager"]' "false"
jq_is "$T/out" '.[1].nodeLabels["nvidia.com/gpu.deploy.mig-manager"]' "true"
jq_is "$T/out" '[.[0].settings[] | select(.path == "driver.kernelModuleType") | .appliedBy + "=" + .value] | join(",")' \
  "NVIDIADriver gpu-operator-train=open"
jq_is "$T/out" '[.[1].overridden[] | select(.path | test("migManager|kernelModuleType|mig.strategy"))] | length' "0"
run 0 bundle --recipe "$G/eks-gb300-a100-pools.yaml" --deployer helm -o "$T/gb300-helm"
gpu_dir=$(ls -d "$T/gb300-helm"/*-gpu-operator)
grep -qF "galley.dev/pool: train" "$gpu_dir/manifests/train-nvidiadriver.yaml" &&
  grep -qF "kernelModuleType: open" "$gpu_dir/manifests/train-nvidiadriver.yaml" && ok ||
  bad "the train pool's NVIDIADriver is not placed on its nodes with open kernel modules"
grep -qF "kernelModuleType: auto" "$gpu_dir/manifests/infer-nvidiadriver.yaml" && ok || bad "no NVIDIADriver for pool infer"
grep -qF "deployDefaultCR: false" "$gpu_dir/values.yaml" && ok || bad "the chart would still deploy its default NVIDIADriver"
grep -qF '### Pool `infer`' "$T/gb300-helm/README.md" &&
  grep -qF 'taint: `galley.dev/pool=train:NoSchedule`' "$T/gb300-helm/README.md" &&
  grep -qF '`nvidia.com/gpu.deploy.mig-manager=false`' "$T/gb300-helm/README.md" && ok ||
  bad "the README does not list the pools with their taints and node labels"
# deploy.sh applies the component's manifests (the NVIDIADrivers) after its chart (their CRD).
awk '/helm upgrade --install gpu-operator /{h=NR} /kubectl apply .*gpu-operator\/manifests/{k=NR} END{exit !(h && k > h)}' \
  "$T/gb300-helm/deploy.sh" && ok || bad "deploy.sh does not apply the NVIDIADrivers after the gpu-operator chart"

# The EKS H100 training + L40S inference pools with a --data layer DIR: exit 4, nothing written.
eks_train_infer_refused() {
  run 4 --data "$1" recipe --service eks --os ubuntu --pool train:accelerator=h100,intent=training,platform=kubeflow \
    --pool infer:accelerator=l40s,intent=inference,platform=dynamo -o "$T/never.yaml"
  [ ! -e "$T/never.yaml" ] && ok || bad "a refused recipe was written"
}

begin two_providers_on_one_pool_are_unsatisfiable
mkdir -p "$T/hami/overlays"
cat >"$T/hami/overlays/eks-l40s-inference.yaml" <<'YAML'
apiVersion: galley.dev/v1alpha1
kind: OverlayPatch
metadata:
  name: eks-l40s-inference
spec:
  componentRefs:
    - name: hami
YAML
eks_train_infer_refused "$T/hami"
err_has "pool infer: two providers of nvidia.com/gpu on one node pool: gpu-operator (device plugin, devicePlugin.enabled = true at recipes/values/gpu-operator/base.yaml:"
err_has "hami (HAMi device plugin, devicePlugin.enabled = true at the chart's default; recipes/components/hami.yaml:"
err_has "rule: a node pool has one provider of each capability"
# The pool without HAMi resolves alone.
run 0 --data "$T/hami" recipe --service eks --os ubuntu --accelerator h100 --intent training --platform kubeflow -o "$T/h100.yaml"

begin cluster_wide_values_must_agree_between_pools
mkdir -p "$T/mig/overlays"
for overlay in eks-h100-training eks-l40s-inference; do
  cat >"$T/mig/overlays/$overlay.yaml" <<YAML
apiVersion: galley.dev/v1alpha1
kind: OverlayPatch
metadata:
  name: $overlay
spec:
  componentRefs:
    - name: gpu-operator
      values:
        migManager:
          config:
            name: $overlay-mig-configs
YAML
done
eks_train_infer_refused "$T/mig"
err_has "pools train and infer set gpu-operator values migManager.config.name differently (pool train at "
err_has "mig/overlays/eks-h100-training.yaml:11, pool infer at "
err_has "rule: gpu-operator has one migManager.config.name for the whole cluster (recipes/components/gpu-operator.yaml:"

begin mi300x_driver_is_judged_from_amd_smi
A=$SRC/tests/fixtures/snapshot/amd-smi
MI=$G/leaves/aks-mi300x-ubuntu-training-kubeflow.yaml
ROOT=$SRC/tests/fixtures/snapshot/h100-node-real/root
run 0 snapshot --root "$ROOT" --amd-smi-json "$A/static-mi300x.json" -o "$T/mi.yaml"
run 0 validate --recipe "$MI" --snapshot "$T/mi.yaml" --scope node --format json
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "constraint/driver.version") | .status + " " + .observed' \
  "pass 6.12.12"
sed 's/"6\.12\.12"/"6.0.5"/' "$A/static-mi300x.json" >"$T/old-driver.json"
run 0 snapshot --root "$ROOT" --amd-smi-json "$T/old-driver.json" -o "$T/old.yaml"
run 1 validate --recipe "$MI" --snapshot "$T/old.yaml" --scope node --format json
jq_is "$T/out" '.spec.snapshots[0].results[] | select(.name == "constraint/driver.version") | .status + " " + .expected' \
  "fail >=6.1"

finish pools_blackbox
