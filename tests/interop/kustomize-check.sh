#!/usr/bin/env bash
# kustomize-check.sh: `kubectl kustomize` (BIN_DIR/kubectl, else the one on PATH) builds the bundle's
# kustomization offline, and every object it outputs goes through k8s-check.mjs (extra arguments,
# such as --crds=PATH, are passed on). Usage: kustomize-check.sh BIN_DIR DIR [k8s-check options...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: kustomize-check.sh BIN_DIR DIR [options...]}; dir=${2:?usage: kustomize-check.sh BIN_DIR DIR [options...]}; shift 2
kubectl=$bin/kubectl; [ -x "$kubectl" ] || kubectl=$(command -v kubectl) || { echo "kustomize-check: no kubectl"; exit 2; }
offline=(); unshare -n true 2>/dev/null && offline=(unshare -n)
out=$(mktemp "${TMPDIR:-/tmp}/galley-kustomize.XXXXXX.yaml"); trap 'rm -f "$out"' EXIT
"${offline[@]}" "$kubectl" kustomize "$dir" >"$out" || { echo "FAIL kubectl kustomize $dir"; exit 1; }
echo "kubectl kustomize: $(grep -c '^kind:' "$out") object(s)"
node "$here/k8s-check.mjs" "$@" "$out"
