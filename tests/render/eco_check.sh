#!/usr/bin/env bash
# Bundles judged by software we did not write (tests/interop, prepared by scripts/setup-interop.sh):
# Argo CD Applications and Kubernetes objects against their real schemas, Flux objects against Flux's
# CRDs, real helm v3 and v4 running deploy.sh/undeploy.sh, shellcheck, yamllint, and kubectl
# kustomize building the Flux kustomization.
# Usage: eco_check.sh GALLEY SOURCE_DIR BIN_DIR   (BIN_DIR: helm, helm4, kubectl; .cache/interop/bin)
set -uo pipefail
GALLEY=$1
SRC=$2
BIN=$3
ECO=$SRC/tests/interop
CRDS=$ECO/crds/flux
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
# judge NAME COMMAND...: the third-party checker COMMAND accepts; its output is shown when not.
judge() {
  local name=$1; shift
  if "$@" >"$T/log" 2>&1; then ok; else bad "$name"; tail -40 "$T/log"; fi
}
[ -d "$ECO/node_modules/kubernetes-models" ] && [ -x "$BIN/helm" ] && [ -x "$BIN/helm4" ] || {
  echo "FAIL: the interop checkers are not set up (run scripts/setup-interop.sh)"; exit 1; }

# k8s-check, and every object it has no schema for must be one of ours (recipe.yaml, bundle.yaml).
k8s_only_galley_unknown() {
  node "$ECO/k8s-check.mjs" "$@" >"$T/k8s" 2>&1; local rc=$?
  cat "$T/k8s"
  [ $rc = 0 ] && grep -q ", 2 without schema$" "$T/k8s" || { echo "a failure, or objects other than ours without schema"; return 1; }
}

# One leaf per cloud, both intents and all three platforms, plus a partial (non-leaf) recipe.
leaves=(
  "--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34"
  "--service gke --accelerator gb200 --os cos --intent inference --platform dynamo --kubernetes v1.35.1-gke.1616000"
  "--service aks --accelerator h100 --os ubuntu --intent inference --platform llm-d"
  "--service oke --accelerator b200 --os ubuntu --intent training --platform kubeflow"
  "--service kind --accelerator h100 --os ubuntu --intent inference --platform dynamo"
  "--service eks --intent inference --kubernetes 1.34"
)
i=0
for leaf in "${leaves[@]}"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$GALLEY" recipe $leaf --log-level error -o "$T/r$i.yaml" || { echo "FAIL: recipe $leaf"; exit 1; }
  common=(--recipe "$T/r$i.yaml" --log-level error --toleration dedicated=gpu:NoSchedule --node-selector pool=gpu)
  git=(--repo-url https://git.example.com/platform/gitops.git --revision main --path "clusters/c$i")
  "$GALLEY" bundle "${common[@]}" --deployer helm -o "$T/helm$i" >/dev/null
  "$GALLEY" bundle "${common[@]}" "${git[@]}" --deployer argocd -o "$T/argocd$i" >/dev/null
  "$GALLEY" bundle "${common[@]}" "${git[@]}" --deployer flux -o "$T/flux$i" >/dev/null
  judge "helm bundle $i: helm v3+v4, shellcheck, yamllint" bash "$ECO/helm-check.sh" "$BIN" "$T/helm$i"
  judge "argocd bundle $i: Argo CD and Kubernetes schemas" k8s_only_galley_unknown "$T/argocd$i"
  judge "flux bundle $i: Flux CRD schemas" k8s_only_galley_unknown --crds="$CRDS" "$T/flux$i"
  judge "flux bundle $i: kubectl kustomize" bash "$ECO/kustomize-check.sh" "$BIN" "$T/flux$i" --crds="$CRDS"
done
finish render_eco
