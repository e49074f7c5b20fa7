#!/usr/bin/env bash
# galley images and bundle --registry-mirror, end to end with the real binary; the skopeo-sync list is
# read by the real skopeo (`skopeo sync --dry-run`, which copies nothing and needs no network when
# every image names its tags). Usage: images_blackbox.sh GALLEY
set -u
G=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
run() { "$G" "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ] && ok || bad "exit $(cat "$T/rc"), expected $1: $(head -c 400 "$T/err")"; }

"$G" recipe --service eks --intent training --kubernetes 1.33 -o "$T/recipe.yaml" 2>/dev/null

begin images_text
run images --recipe "$T/recipe.yaml"
rc_is 0
out_has "nvcr.io/nvidia/gpu-operator:v26.7.0"
out_has "public.ecr.aws/karpenter/controller:1.14.1@sha256:"
err_has "the catalog lists no images for velero 12.1.0"

begin images_overrides
# The recipe's own values decide: the eks training recipe pins the driver and turns grafana off.
run images --recipe "$T/recipe.yaml" --format json
rc_is 0
check "jq -e '.images[] | select(.name==\"driver\") | .image | startswith(\"nvcr.io/nvidia/driver:\")' $T/out >/dev/null"
check "[ \"\$(jq -r '.images[] | select(.name==\"grafana\") | .deployed' $T/out)\" = false ]" "grafana is off in the recipe"

begin images_formats
for f in yaml hauler zarf skopeo-sync; do
  run images --recipe "$T/recipe.yaml" --format "$f" -o "$T/list-$f.yaml"
  rc_is 0
done
check "grep -q '^kind: Images' $T/list-hauler.yaml"
check "grep -q '^kind: ZarfPackageConfig' $T/list-zarf.yaml"
run images --recipe "$T/recipe.yaml" --format tar
rc_is 2

begin images_skopeo_reads_the_sync_list
if command -v skopeo >/dev/null; then
  n=$(jq '[.images[] | select(.deployed) | .image] | unique | length' <("$G" images --recipe "$T/recipe.yaml" --format json 2>/dev/null))
  skopeo sync --dry-run --all --src yaml --dest docker "$T/list-skopeo-sync.yaml" 127.0.0.1:9/mirror >"$T/out" 2>"$T/err"
  check "[ $? = 0 ]" "skopeo sync --dry-run refused the list: $(tail -c 400 "$T/err")"
  err_has "Would have synced $n images from $n sources"
else
  echo "images_blackbox: skopeo not installed; the sync list was not read by skopeo"
fi

begin bundle_registry_mirror
run bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/b" --registry-mirror harbor.corp.local/galley
rc_is 0
check "grep -q 'repository: harbor.corp.local/galley/quay.io/jetstack/cert-manager-controller' $T/b/*-cert-manager/values.yaml"
check "grep -q 'registry: harbor.corp.local/galley/ghcr.io/kai-scheduler/kai-scheduler' $T/b/*-kai-scheduler/values.yaml"
err_has "registry mirror: the catalog lists no images for velero 12.1.0"
check "[ \$(grep -c 'registry: harbor.corp.local\$' $T/b/*-kube-prometheus-stack/values.yaml) -ge 10 ]" "kube-prometheus-stack images not all mirrored"
check "grep -q 'harbor.corp.local/galley/helm.ngc.nvidia.com/nvidia' $T/b/deploy.sh" "chart source not mirrored"

finish images_blackbox
