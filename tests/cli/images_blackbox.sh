#!/usr/bin/env bash
# galley images and bundle --registry-mirror, end to end with the real binary; the skopeo-sync list is
# read by the real skopeo (`skopeo sync --dry-run`, which copies nothing and needs no network when
# every image names its tags). Usage: images_blackbox.sh GALLEY [sanitized]
set -u
G=$1
SANITIZED=${2:-}  # a sanitizer build: its shadow memory and quarantine make peak memory no measure
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
run() { "$G" "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ] && ok || bad "exit $(cat "$T/rc"), expected $1: $(grep -v "^galley: warning" "$T/err" | head -c 600)"; }

"$G" recipe --service eks --intent training --kubernetes 1.33 -o "$T/recipe.yaml" 2>/dev/null

begin images_text
run images --recipe "$T/recipe.yaml"
rc_is 0
out_has "nvcr.io/nvidia/gpu-operator:v26.7.0"
out_has "public.ecr.aws/karpenter/controller:1.14.1@sha256:"
out_has "reg.kyverno.io/kyverno/kyverno:v1.19.0"
check "! grep -q 'lists no images' $T/err" "a component has no image list: $(head -c 400 "$T/err")"

begin images_every_leaf_and_pool
# Every component of every golden leaf recipe, and of the recipes for several pools, has an image
# list that holds for its pinned version: `galley images` warns about none of them.
golden=$(cd "$(dirname "$0")/../golden" && pwd)
for r in "$golden"/leaves/*.yaml "$golden"/*.yaml; do
  "$G" images --recipe "$r" --allow-partial --format json >"$T/out" 2>"$T/err"
  check "[ $? = 0 ]" "galley images failed on $(basename "$r"): $(head -c 300 "$T/err")"
  check "! grep -q 'lists no images' $T/err" "$(basename "$r"): $(grep 'lists no images' "$T/err" | head -3)"
  check "[ \$(jq '.images | length' $T/out) -gt 0 ]" "$(basename "$r") lists no image"
done
# A recipe for several pools names the pools whose nodes need each image.
run images --recipe "$golden/gke-gpu-tpu-pools.yaml"
rc_is 0
check "head -1 $T/out | grep -q POOLS" "no POOLS column for a pooled recipe"
check "grep -Eq '^dra-driver-google-tpu +tpu +registry.k8s.io/' $T/out" "the TPU driver row does not name pool tpu"
run images --recipe "$golden/gke-gpu-tpu-pools.yaml" --format json
check "jq -e '.images[] | select(.component==\"dra-driver-google-tpu\") | .pools == [\"tpu\"]' $T/out >/dev/null" "the TPU driver is not named for pool tpu"
check "jq -e '[.images[] | select(.component==\"cert-manager\")][0].pools == [\"gpu\",\"tpu\"]' $T/out >/dev/null"
run images --recipe "$golden/eks-h100-l40s-pools.yaml" --format zarf
rc_is 0
out_has "name: kubeflow-trainer"

begin images_run_time_downloads
# Images that download when they run (the driver compiles against the node's kernel packages, the
# trainer's runtime installer installs kubectl with apk) are named: a mirror does not serve that.
run images --recipe "$golden/eks-h100-l40s-pools.yaml" --format json
rc_is 0
check "[ \"\$(jq -r '[.images[] | select(.fetchesAtRunTime) | .component + \"/\" + .name] | unique | join(\" \")' $T/out)\" = 'gpu-operator/driver kubeflow-trainer/runtime-installer' ]" \
  "images with run-time downloads: $(jq -c '[.images[] | select(.fetchesAtRunTime) | .name]' "$T/out")"
err_has "galley: warning: kubeflow-trainer 2.3.0 image runtime-installer (docker.io/alpine:3.21) downloads when it runs: kubectl"
err_has "or use precompiled drivers (driver.usePrecompiled); mirroring the image does not bring that into an air-gapped cluster"
check "[ \$(grep -c 'image driver .* downloads when it runs' $T/err) = 1 ]" "the driver (two pools) is not named exactly once"
# mirror warns before it copies (here from a registry that is not there: exit 5).
run mirror --recipe "$golden/eks-h100-l40s-pools.yaml" --from oci://127.0.0.1:9/m --to "oci-layout:$T/none" --plain-http --images-only
rc_is 5
err_has "image runtime-installer (docker.io/alpine:3.21) downloads when it runs"

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
  "$G" images --recipe "$T/recipe.yaml" --format json >"$T/list.json" 2>/dev/null
  n=$(jq '[.images[] | select(.deployed) | .image] | unique | length' "$T/list.json")
  # skopeo counts a repository with several tags as one source
  sources=$(jq '[.images[] | select(.deployed) | .image | sub("@.*$"; "") | sub(":[^:/]*$"; "")] | unique | length' "$T/list.json")
  skopeo sync --dry-run --all --src yaml --dest docker "$T/list-skopeo-sync.yaml" 127.0.0.1:9/mirror >"$T/out" 2>"$T/err"
  check "[ $? = 0 ]" "skopeo sync --dry-run refused the list: $(tail -c 400 "$T/err")"
  err_has "Would have synced $n images from $sources sources"
else
  echo "images_blackbox: skopeo not installed; the sync list was not read by skopeo"
fi

begin bundle_registry_mirror
run bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/b" --registry-mirror harbor.corp.local/galley
rc_is 0
check "grep -q 'repository: harbor.corp.local/galley/quay.io/jetstack/cert-manager-controller' $T/b/*-cert-manager/values.yaml"
check "grep -q 'registry: harbor.corp.local/galley/ghcr.io/kai-scheduler/kai-scheduler' $T/b/*-kai-scheduler/values.yaml"
check "grep -q 'repository: galley/reg.kyverno.io/kyverno/kyverno\$' $T/b/*-kyverno/values.yaml" "kyverno images not mirrored"
check "! grep -q 'the catalog lists no images' $T/err" "a component was not mirrored: $(grep 'lists no images' "$T/err" | head -3)"
check "[ \$(grep -c 'registry: harbor.corp.local\$' $T/b/*-kube-prometheus-stack/values.yaml) -ge 10 ]" "kube-prometheus-stack images not all mirrored"
check "grep -q 'harbor.corp.local/galley/helm.ngc.nvidia.com/nvidia' $T/b/deploy.sh" "chart source not mirrored"

begin lock_images
# Every image of a recipe pushed (by skopeo, from a layout umoci made) to a loopback docker-registry
# under a mirror prefix; recipe --lock-images resolves each tag there.
eco=$(cd "$(dirname "$0")/../interop" && pwd)
if command -v docker-registry >/dev/null && command -v umoci >/dev/null && command -v skopeo >/dev/null; then
  addr=$(bash "$eco/registry.sh" start "$T/reg")
  trap 'bash "$eco/registry.sh" stop "$T/reg" >/dev/null 2>&1; rm -rf "$T"' EXIT
  # The images Skyhook's values pin by digest cannot be made here: a --data layer sets their digests
  # to "" (the chart then pulls by tag), as a user pinning by lock instead would.
  mkdir -p "$T/layer/overlays"
  cat >"$T/layer/overlays/base.yaml" <<'YAML'
apiVersion: galley.dev/v1alpha1
kind: OverlayPatch
metadata: {name: base}
spec:
  componentRefs:
    - name: skyhook-operator
      values:
        controllerManager:
          manager: {image: {digest: ""}, agent: {digest: ""}}
          kubeRbacProxy: {image: {digest: ""}}
YAML
  crit=(--service gke --intent training --kubernetes 1.35)
  "$G" --data "$T/layer" recipe "${crit[@]}" -o "$T/gke.yaml"
  bash "$eco/make-images.sh" "$T/img" >/dev/null
  "$G" images --recipe "$T/gke.yaml" --format json 2>/dev/null | jq -r '[.images[] | select(.deployed) | .image] | unique | .[]' >"$T/refs"
  first=$(head -1 "$T/refs")
  while read -r ref; do
    if [ "$ref" = "$first" ]; then
      skopeo copy --quiet --all --dest-tls-verify=false "oci:$T/img:multi" "docker://$addr/mirror/$ref"
    else
      skopeo copy --quiet --dest-tls-verify=false "oci:$T/img:amd64" "docker://$addr/mirror/$ref"
    fi
  done <"$T/refs"
  run --data "$T/layer" recipe "${crit[@]}" --lock-images --lock-mirror "$addr/mirror" --plain-http -o "$T/locked.yaml"
  rc_is 0
  n=$(wc -l <"$T/refs")
  "$G" query --selector images --recipe "$T/locked.yaml" --format json >"$T/images.json" 2>"$T/err"
  check "[ \$(jq length $T/images.json) = $n ]" "spec.images does not hold the $n images: $(head -c 300 "$T/err")"
  want=$(skopeo inspect --raw --tls-verify=false "docker://$addr/mirror/$first" | sha256sum | cut -d' ' -f1)
  check "grep -q 'sha256:$want' $T/locked.yaml" "the index digest skopeo sees is not recorded for $first"
  check "grep -q 'application/vnd.oci.image.index.v1+json' $T/locked.yaml"
  check "grep -q 'linux/arm64' $T/locked.yaml" "the index's platforms are not recorded"
  check "[ -s $T/images.json ]" "query read no spec.images"  # the digest covers spec.images: the locked recipe checks

  # Bundles render locked images by digest through the charts' paths; the rest is in the README.
  run bundle --recipe "$T/locked.yaml" --deployer helm -o "$T/lb" --registry-mirror "$addr/mirror"
  rc_is 0
  check "grep -q 'digest: sha256:' $T/lb/*-cert-manager/values.yaml" "cert-manager images not pinned"
  check "grep -q 'sha: ' $T/lb/*-kube-prometheus-stack/values.yaml" "kube-prometheus-stack images not pinned"
  check "grep -q 'Images not pinned by digest' $T/lb/README.md" "the README does not list the unpinned images"
  check "grep -q 'gpu-operator nvcr.io/nvidia/gpu-operator:v26.7.0@sha256:' $T/lb/README.md"
  err_has "pulled by tag; the README lists them"

  begin lock_an_existing_recipe
  # recipe --recipe R --lock-images: the same locked recipe as locking at resolve time; locking it
  # again after a tag moved records the new digest, with the recipe digest recomputed.
  run --data "$T/layer" recipe --recipe "$T/gke.yaml" --lock-images --lock-mirror "$addr/mirror" --plain-http -o "$T/relocked.yaml"
  rc_is 0
  same "$T/relocked.yaml" "$T/locked.yaml"
  skopeo copy --quiet --dest-tls-verify=false "oci:$T/img:arm64" "docker://$addr/mirror/$first" 2>/dev/null \
    || skopeo copy --quiet --dest-tls-verify=false "oci:$T/img:amd64" "docker://$addr/mirror/$first"
  moved=$(skopeo inspect --raw --tls-verify=false "docker://$addr/mirror/$first" | sha256sum | cut -d' ' -f1)
  run --data "$T/layer" recipe --recipe "$T/locked.yaml" --lock-images --lock-mirror "$addr/mirror" --plain-http -o "$T/moved.yaml"
  rc_is 0
  check "grep -q 'sha256:$moved' $T/moved.yaml && ! grep -q 'sha256:$want' $T/moved.yaml" "the moved tag's digest is not recorded"
  run query --selector digest --recipe "$T/moved.yaml"
  rc_is 0
  check "[ \"\$(cat $T/out)\" != \"\$(\"$G\" query --selector digest --recipe $T/locked.yaml)\" ]" "the recipe digest was not recomputed"
  skopeo copy --quiet --all --dest-tls-verify=false "oci:$T/img:multi" "docker://$addr/mirror/$first"  # put it back
  # Bad input: a recipe with criteria, a recipe without --lock-images, an edited recipe: nothing written.
  run recipe --recipe "$T/gke.yaml" --lock-images --service eks -o "$T/x1.yaml"
  rc_is 2
  absent "$T/x1.yaml"
  run recipe --recipe "$T/gke.yaml" -o "$T/x2.yaml"
  rc_is 2
  absent "$T/x2.yaml"
  sed 's/namespace: cert-manager$/namespace: elsewhere/' "$T/gke.yaml" >"$T/edited.yaml"
  run --data "$T/layer" recipe --recipe "$T/edited.yaml" --lock-images --lock-mirror "$addr/mirror" --plain-http -o "$T/x3.yaml"
  check "[ \"\$(cat $T/rc)\" != 0 ]" "an edited recipe (its digest wrong) was locked"
  err_has "digest"
  absent "$T/x3.yaml"

  begin validate_image_drift
  # A cluster snapshot whose pods run the first locked image at its digest (through the mirror) and
  # the second at another: the second is drift, naming pod, container and both digests.
  jq -r '.[0].image, .[0].digest, .[1].image, .[1].digest' "$T/images.json" >"$T/two"
  { read -r i1; read -r d1; read -r i2; read -r d2; } <"$T/two"
  other="sha256:$(printf '%064d' 7)"
  jq -n --arg i1 "$addr/mirror/$i1" --arg d1 "$d1" --arg i2 "$i2" --arg o "$other" '{apiVersion: "v1", kind: "List", items: [
    {metadata: {name: "a-0", namespace: "ns1"}, status: {containerStatuses: [{name: "main", image: $i1, imageID: ($i1 + "@" + $d1)}]}},
    {metadata: {name: "b-0", namespace: "ns2"}, status: {initContainerStatuses: [{name: "init", image: "busybox:1", imageID: ("docker.io/library/busybox@" + $o)}],
      containerStatuses: [{name: "side", image: $i2, imageID: ($i2 + "@" + $o)}]}}]}' >"$T/pods.json"
  ex=$(cd "$(dirname "$0")/../../examples/snapshot" && pwd)
  run snapshot --from-capture "$ex/h100-node" --from-kubectl-json "$ex/eks-cluster/nodes.json" \
    --kubectl-version "$ex/eks-cluster/version.json" --pods-json "$T/pods.json" -o "$T/snap.yaml"
  rc_is 0
  run validate --recipe "$T/locked.yaml" --snapshot "$T/snap.yaml" --format json
  rc_is 1
  check "jq -e --arg d2 '$d2' --arg o '$other' '[.. | objects | select(.name? == \"image/ns2/b-0/side\" and .status == \"fail\"
    and (.expected | endswith(\$d2)) and (.observed | endswith(\$o)) and (.reason | contains(\"pod ns2/b-0, container side\")))] | length == 1' $T/out >/dev/null" \
    "the drifting container is not reported: $(jq -c '[.. | objects | select(.category? == "image")]' "$T/out" | head -c 600)"
  check "[ \"\$(jq '[.. | objects | select(.category? == \"image\")] | length' $T/out)\" = 1 ]" "the container at its locked digest (or one not locked) was reported"
  # Without pods: could not verify.
  run snapshot --from-capture "$ex/h100-node" --from-kubectl-json "$ex/eks-cluster/nodes.json" \
    --kubectl-version "$ex/eks-cluster/version.json" -o "$T/snap2.yaml"
  run validate --recipe "$T/locked.yaml" --snapshot "$T/snap2.yaml" --format json
  check "jq -e '[.. | objects | select(.name? == \"images/locked\" and .status == \"could-not-verify\")] | length == 1' $T/out >/dev/null" "no could-not-verify without pods"
  # All at their digests: one passing result.
  jq --arg d1 "$d1" '.items[1].status.containerStatuses[0].imageID |= sub("@sha256:.*"; "@sha256:x") | del(.items[1])' "$T/pods.json" >"$T/pods-ok.json"
  run snapshot --from-capture "$ex/h100-node" --from-kubectl-json "$ex/eks-cluster/nodes.json" \
    --kubectl-version "$ex/eks-cluster/version.json" --pods-json "$T/pods-ok.json" -o "$T/snap3.yaml"
  run validate --recipe "$T/locked.yaml" --snapshot "$T/snap3.yaml" --format json
  check "jq -e '[.. | objects | select(.name? == \"images/locked\" and .status == \"pass\")] | length == 1' $T/out >/dev/null" "no pass when every container runs its locked digest"

  # Not found (3) and the network (5): nothing written.
  run --data "$T/layer" recipe "${crit[@]}" --lock-images --lock-mirror "$addr/elsewhere" --plain-http -o "$T/nf.yaml"
  rc_is 3
  err_has "no such manifest"
  absent "$T/nf.yaml"
  run --data "$T/layer" recipe "${crit[@]}" --lock-images --lock-mirror 127.0.0.1:9 --plain-http -o "$T/net.yaml"
  rc_is 5
  absent "$T/net.yaml"
  run recipe "${crit[@]}" --registry-config x.json
  rc_is 2

  begin lock_and_mirror_with_credentials
  # A Bearer-token front (tests/deliver/auth_proxy.py) before the registry: 401 without credentials,
  # the docker config's credentials with --registry-config.
  python3 "$(dirname "$0")/../deliver/auth_proxy.py" bearer "$addr" alice s3cret "$T/proxy-port" & proxy=$!
  for _ in $(seq 50); do [ -f "$T/proxy-port" ] && break; sleep 0.1; done
  auth="127.0.0.1:$(cat "$T/proxy-port")"
  run --data "$T/layer" recipe "${crit[@]}" --lock-images --lock-mirror "$auth/mirror" --plain-http -o "$T/na.yaml"
  rc_is 5
  err_has "401"
  absent "$T/na.yaml"
  printf '{"auths":{"%s":{"auth":"%s"}}}' "$auth" "$(printf alice:s3cret | base64)" >"$T/auth.json"
  run --data "$T/layer" recipe "${crit[@]}" --lock-images --lock-mirror "$auth/mirror" --plain-http \
    --registry-config "$T/auth.json" -o "$T/authed.yaml"
  rc_is 0
  same "$T/authed.yaml" "$T/locked.yaml"  # the same digests through the proxy: the same recipe
  run mirror --recipe "$T/gke.yaml" --from "oci://$auth/mirror" --to "oci-layout:$T/authlay" --plain-http --images-only --registry-config "$T/auth.json"
  rc_is 0
  kill "$proxy" 2>/dev/null

  begin mirror_registry_to_registry
  addr2=$(bash "$eco/registry.sh" start "$T/reg2")
  trap 'bash "$eco/registry.sh" stop "$T/reg" >/dev/null 2>&1; bash "$eco/registry.sh" stop "$T/reg2" >/dev/null 2>&1; rm -rf "$T"' EXIT
  run mirror --recipe "$T/gke.yaml" --from "oci://$addr/mirror" --to "oci://$addr2/n" --plain-http --images-only
  rc_is 0
  out_has "mirrored $n images"
  second=$(sed -n 2p "$T/refs")
  for ref in "$first" "$second"; do
    a=$(skopeo inspect --raw --tls-verify=false "docker://$addr/mirror/$ref" | sha256sum)
    b=$(skopeo inspect --raw --tls-verify=false "docker://$addr2/n/$ref" | sha256sum)
    check "[ '$a' = '$b' ]" "skopeo sees another manifest at the target for $ref"
  done
  check "skopeo copy --quiet --all --src-tls-verify=false docker://$addr2/n/$first oci:$T/back:x" "skopeo cannot copy the mirrored index back"
  run mirror --recipe "$T/gke.yaml" --from "oci://$addr/mirror" --to "oci://$addr2/n" --plain-http --images-only
  rc_is 0
  out_has "0 blobs copied (0 bytes)"
  # An interruption: a blob gone from one repository; the next run copies just that.
  repo="n/${second%:*}"
  blob=$(skopeo inspect --raw --tls-verify=false "docker://$addr2/n/$second" | jq -r '.layers[0].digest // .config.digest')
  curl -sf -X DELETE "http://$addr2/v2/$repo/blobs/$blob" >/dev/null
  run mirror --recipe "$T/gke.yaml" --from "oci://$addr/mirror" --to "oci://$addr2/n" --plain-http --images-only
  rc_is 0
  check "grep -qE '^mirrored .*: 1 blobs copied' $T/out" "the resumed run did not copy exactly the missing blob: $(cat $T/out)"
  # A locked recipe goes by its digests.
  run mirror --recipe "$T/locked.yaml" --from "oci://$addr/mirror" --to "oci://$addr2/locked" --plain-http --images-only
  rc_is 0

  begin mirror_through_a_layout
  run mirror --recipe "$T/gke.yaml" --from "oci://$addr/mirror" --to "oci-layout:$T/usb" --plain-http --images-only
  rc_is 0
  check "skopeo inspect --raw oci:$T/usb:$first | jq -e '.manifests | length == 2' >/dev/null" "skopeo cannot read the layout's index"
  run mirror --from "oci-layout:$T/usb" --to "oci://$addr2/inside" --plain-http --images-only
  rc_is 0
  a=$(skopeo inspect --raw --tls-verify=false "docker://$addr/mirror/$first" | sha256sum)
  b=$(skopeo inspect --raw --tls-verify=false "docker://$addr2/inside/$first" | sha256sum)
  check "[ '$a' = '$b' ]" "the layout round trip changed the index"
  run mirror --recipe "$T/gke.yaml" --from "oci://$addr/mirror" --to "oci-layout:$T/arm" --plain-http --images-only --image-platform linux/arm64
  rc_is 0
  err_has "narrowed to the platforms asked for"
  check "[ \"\$(skopeo inspect --raw oci:$T/arm:$first | jq -c '[.manifests[].platform.architecture]')\" = '[\"arm64\"]' ]"

  begin mirror_streams_large_blobs
  # A 64 MiB layer (over the 16 MiB copied in memory) goes layout -> registry -> layout through
  # files: the bytes arrive whole (skopeo reads them back) and galley's peak memory stays below the
  # blob's size.
  python3 - "$T/big" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]; os.makedirs(f"{root}/blobs/sha256")
def blob(data):
    d = hashlib.sha256(data).hexdigest(); open(f"{root}/blobs/sha256/{d}", "wb").write(data)
    return {"digest": "sha256:" + d, "size": len(data)}
layer = blob(os.urandom(64 << 20))
config = blob(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode())
m = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", **layer}]}).encode())
open(f"{root}/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
open(f"{root}/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
    **m, "annotations": {"org.opencontainers.image.ref.name": "example.com/big:1"}}]}))
PY
  /usr/bin/time -f %M -o "$T/rss" "$G" mirror --from "oci-layout:$T/big" --to "oci://$addr2/s" --plain-http >"$T/out" 2>"$T/err"
  check "[ $? = 0 ]" "the large blob was not mirrored: $(head -c 300 "$T/err")"
  # peak_below FILE: galley's peak memory stayed under 48 MiB (not measured in a sanitizer build).
  peak_below() {
    if [ -n "$SANITIZED" ]; then
      echo "images_blackbox: sanitized build: peak memory ($(cat "$1") KiB) not judged; the plain build judges it"
    else
      check "[ \$(cat $1) -lt 49152 ]" "peak memory $(cat "$1") KiB for a 64 MiB blob: not streamed"
    fi
  }
  peak_below "$T/rss"
  check "skopeo copy --quiet --src-tls-verify=false docker://$addr2/s/example.com/big:1 oci:$T/bigback:x" "skopeo cannot copy the large image back"
  layer=$(jq -r '.manifests[0].digest' "$T/big/index.json")
  big=$(jq -r '.layers[0].digest' "$T/big/blobs/sha256/${layer#sha256:}")
  check "curl -sf http://$addr2/v2/s/example.com/big/blobs/$big | cmp -s - $T/big/blobs/sha256/${big#sha256:}" "the registry holds another layer"
  /usr/bin/time -f %M -o "$T/rss" "$G" mirror --from "oci-layout:$T/big" --to "oci-layout:$T/big2" >"$T/out" 2>"$T/err"
  check "[ $? = 0 ]" "layout to layout: exit $(head -c 300 "$T/err")"
  peak_below "$T/rss"
  check "diff -r $T/big/blobs $T/big2/blobs >/dev/null" "layout to layout changed the blobs"
  # A part a killed run left (its process gone) is swept by the next run into that layout.
  printf 'half' >"$T/big2/blobs/sha256/$(printf '%064d' 1).part-999999999-1"
  run mirror --from "oci-layout:$T/big" --to "oci-layout:$T/big2"
  rc_is 0
  check "[ -z \"\$(ls $T/big2/blobs/sha256 | grep part-)\" ]" "a dead run's part was left in the layout"
  # A large blob that does not match its digest: refused, not stored.
  cp -r "$T/big" "$T/bigbad"
  printf 'X' >>"$T/bigbad/blobs/sha256/${big#sha256:}"
  run mirror --from "oci-layout:$T/bigbad" --to "oci://$addr2/sbad" --plain-http
  rc_is 1
  err_has "digest mismatch"
  check "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -I http://$addr2/v2/sbad/example.com/big/blobs/$big)\" != 200 ]" "the bad blob was stored"

  begin mirror_bad_input
  run mirror --recipe "$T/gke.yaml" --from "oci://$addr/nothing" --to "oci://$addr2/x" --plain-http --images-only
  rc_is 3
  run mirror --recipe "$T/gke.yaml" --from "oci://127.0.0.1:9/m" --to "oci://$addr2/x" --plain-http --images-only
  rc_is 5
  run mirror --recipe "$T/gke.yaml" --to "ftp://x" --images-only
  rc_is 2
  # An index whose manifest is missing, and a blob that does not match its digest: in a layout copy.
  cp -r "$T/usb" "$T/bad1"
  child=$(skopeo inspect --raw "oci:$T/usb:$first" | jq -r '.manifests[1].digest')
  rm "$T/bad1/blobs/sha256/${child#sha256:}"
  run mirror --from "oci-layout:$T/bad1" --to "oci-layout:$T/out1"
  rc_is 3
  cp -r "$T/usb" "$T/bad2"
  cfg=$(skopeo inspect --raw "oci:$T/usb:$second" | jq -r '.config.digest')
  printf 'X' >>"$T/bad2/blobs/sha256/${cfg#sha256:}"
  run mirror --from "oci-layout:$T/bad2" --to "oci://$addr2/bad" --plain-http
  rc_is 1
  err_has "digest mismatch"
else
  echo "images_blackbox: docker-registry, umoci or skopeo missing; lock_images not run"
fi

begin vendor_charts
# A chart made by real `helm package`, indexed by `helm repo index` and served over HTTP on loopback;
# a --data layer makes a recipe of that one component.
helm=$(cd "$(dirname "$0")/../.." && pwd)/.cache/interop/bin/helm
if [ -x "$helm" ]; then
  mkdir -p "$T/charts/repo" "$T/vlayer/overlays" "$T/vlayer/components"
  (cd "$T/charts" && "$helm" create demo >/dev/null && "$helm" package demo -d repo --version 0.1.0 >/dev/null \
    && "$helm" repo index repo >/dev/null)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # serve_repo: the classic repository on $port (its process id in $web), answering before it returns.
  serve_repo() {
    python3 -m http.server "$port" --bind 127.0.0.1 --directory "$T/charts/repo" >/dev/null 2>&1 & web=$!
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/index.yaml" >/dev/null && break; sleep 0.1; done
  }
  serve_repo
  printf '%s\n' 'apiVersion: galley.dev/v1alpha1' 'kind: Component' 'metadata: {name: demo}' 'spec:' '  type: helm' \
    '  chart: demo' "  repository: http://127.0.0.1:$port" '  namespace: demo' '  versions: [{version: "0.1.0"}]' \
    >"$T/vlayer/components/demo.yaml"
  { printf '%s\n' 'apiVersion: galley.dev/v1alpha1' 'kind: OverlayPatch' 'metadata: {name: base}' 'spec:' '  componentRefs:' \
      '    - name: demo'
    "$G" recipe --service gke --intent training --kubernetes 1.35 2>/dev/null \
      | "$G" query --selector deploymentOrder --recipe - --format json | jq -r '.[] | "    - {name: \(.), enabled: false}"'
  } >"$T/vlayer/overlays/base.yaml"
  "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo.yaml" 2>/dev/null
  run bundle --recipe "$T/demo.yaml" --deployer helm -o "$T/vb" --vendor-charts
  rc_is 0
  same "$T/vb/charts/demo-0.1.0.tgz" "$T/charts/repo/demo-0.1.0.tgz"
  check "grep -q 'helm upgrade --install demo ./charts/demo-0.1.0.tgz' $T/vb/deploy.sh" "deploy.sh does not install the vendored chart"
  check "grep -q 'path: charts/demo-0.1.0.tgz' $T/vb/bundle.yaml" "the archive is not in the inventory"
  check "grep -q 'vendoredCharts:' $T/vb/bundle.yaml"
  check "'$helm' template demo $T/vb/charts/demo-0.1.0.tgz >/dev/null" "helm cannot render the vendored archive"
  check "grep -q 'The recipe records no digest for demo' $T/vb/README.md" "the README does not say the archive was not checked against the catalog"
  # The catalog records the archive's digest (chartDigest): checked, and a wrong one refused.
  sum=$(sha256sum "$T/charts/repo/demo-0.1.0.tgz" | cut -d' ' -f1)
  cp "$T/vlayer/components/demo.yaml" "$T/demo-component.keep"
  with_digest() { sed -i "s|  versions: .*|  versions: [{version: \"0.1.0\", chartDigest: {digest: \"sha256:$1\", source: \"test\"}}]|" "$T/vlayer/components/demo.yaml"; }
  with_digest "$sum"
  "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo-d.yaml" 2>/dev/null
  run bundle --recipe "$T/demo-d.yaml" --deployer helm -o "$T/vd" --vendor-charts
  rc_is 0
  check "grep -q '| demo | charts/demo-0.1.0.tgz | sha256:$sum | yes: sha256:$sum |' $T/vd/README.md" "the README does not say the archive matched the catalog"
  check "grep -q 'catalogDigest: sha256:$sum' $T/vd/bundle.yaml"
  with_digest "$(printf '%064d' 0)"
  "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo-w.yaml" 2>/dev/null
  run bundle --recipe "$T/demo-w.yaml" --deployer helm -o "$T/vw" --vendor-charts
  rc_is 1
  err_has "the recipe records sha256:0000"
  absent "$T/vw"
  cp "$T/demo-component.keep" "$T/vlayer/components/demo.yaml"
  # Argo CD and Flux install the unpacked chart from the bundle's git repository; their objects are
  # judged by the Argo CD and Flux schemas (tests/interop) and the chart folder by real helm.
  git=(--repo-url https://git.example.com/x.git --revision main --path clusters/prod)
  run bundle --recipe "$T/demo.yaml" --deployer argocd -o "$T/va" --vendor-charts "${git[@]}"
  rc_is 0
  check "grep -q 'path: clusters/prod/charts/demo-0.1.0$' $T/va/01-demo/application.yaml" "the Application does not read the vendored chart"
  check "! grep -q 'chart: demo' $T/va/01-demo/application.yaml" "the Application still names the chart repository"
  check "'$helm' template demo $T/va/charts/demo-0.1.0 >/dev/null" "helm cannot render the unpacked chart"
  check "grep -q 'file: charts/demo-0.1.0$' $T/va/bundle.yaml && grep -q 'path: charts/demo-0.1.0/Chart.yaml' $T/va/bundle.yaml" "the unpacked chart is not in the inventory"
  absent "$T/va/charts/demo-0.1.0.tgz"
  check "grep -q 'exclude: \"charts/\*\"' $T/va/app-of-apps.yaml" "the root Application would apply the chart's files"
  run bundle --recipe "$T/demo.yaml" --deployer flux -o "$T/vf" --vendor-charts "${git[@]}"
  rc_is 0
  check "grep -q 'chart: ./clusters/prod/charts/demo-0.1.0$' $T/vf/01-demo/flux.yaml" "the HelmRelease does not read the vendored chart"
  check "! grep -q 'kind: HelmRepository' $T/vf/01-demo/flux.yaml" "the vendored Flux bundle still has a HelmRepository"
  eco=$(cd "$(dirname "$0")/../interop" && pwd)
  if [ -d "$eco/node_modules/kubernetes-models" ]; then
    check "node $eco/k8s-check.mjs $T/va/01-demo $T/va/app-of-apps.yaml >$T/k8s 2>&1 || { tail -5 $T/k8s; false; }" "Argo CD schema"
    check "node $eco/k8s-check.mjs --crds=$eco/crds/flux $T/vf/01-demo $T/vf/gitrepository.yaml >$T/k8s 2>&1 || { tail -5 $T/k8s; false; }" "Flux schema"
  else
    echo "images_blackbox: tests/interop/node_modules missing; vendored Argo CD and Flux objects not schema-checked"
  fi
  # The archive changed after it was indexed: its digest no longer matches.
  cp "$T/charts/repo/demo-0.1.0.tgz" "$T/demo.keep"
  printf 'X' >>"$T/charts/repo/demo-0.1.0.tgz"
  run bundle --recipe "$T/demo.yaml" --deployer helm -o "$T/vt" --vendor-charts
  rc_is 1
  err_has "its source names sha256:"
  absent "$T/vt"
  # An archive with a path escaping its folder (indexed with its own digest).
  python3 - "$T/charts/repo/demo-0.1.0.tgz" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as t:
    for name in ("demo/Chart.yaml", "../evil.txt"):
        data = b"apiVersion: v2\nname: demo\nversion: 0.1.0\n"
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
PY
  (cd "$T/charts" && "$helm" repo index repo >/dev/null)
  run bundle --recipe "$T/demo.yaml" --deployer helm -o "$T/ve" --vendor-charts
  rc_is 2
  absent "$T/ve"
  check "[ ! -e $T/evil.txt ] && [ ! -e /tmp/evil.txt ]" "the escaping entry was written"
  cp "$T/demo.keep" "$T/charts/repo/demo-0.1.0.tgz"; (cd "$T/charts" && "$helm" repo index repo >/dev/null)
  kill "$web" 2>/dev/null
  run bundle --recipe "$T/demo.yaml" --deployer helm -o "$T/vn" --vendor-charts
  rc_is 5  # the repository is gone

  # The same chart pushed by real `helm push` to a docker-registry on loopback, vendored over OCI.
  if command -v docker-registry >/dev/null; then
    ociaddr=$(bash "$(dirname "$0")/../interop/registry.sh" start "$T/ocireg")
    "$helm" push "$T/demo.keep" "oci://$ociaddr/charts" --plain-http >/dev/null 2>&1 \
      || "$helm" push "$T/charts/repo/demo-0.1.0.tgz" "oci://$ociaddr/charts" --plain-http >/dev/null 2>&1
    sed -i "s|  repository: .*|  repository: oci://$ociaddr/charts/demo|" "$T/vlayer/components/demo.yaml"
    "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo-oci.yaml" 2>/dev/null
    run bundle --recipe "$T/demo-oci.yaml" --deployer helm -o "$T/vo" --vendor-charts --plain-http
    rc_is 0
    same "$T/vo/charts/demo-0.1.0.tgz" "$T/charts/repo/demo-0.1.0.tgz"
    check "'$helm' template demo $T/vo/charts/demo-0.1.0.tgz >/dev/null" "helm cannot render the OCI-vendored archive"
    # An OCI chart's catalog digest is its manifest's, as skopeo sees it.
    msum=$(skopeo inspect --raw --tls-verify=false "docker://$ociaddr/charts/demo:0.1.0" | sha256sum | cut -d' ' -f1)
    with_digest "$msum"
    "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo-od.yaml" 2>/dev/null
    run bundle --recipe "$T/demo-od.yaml" --deployer flux -o "$T/vod" --vendor-charts --plain-http "${git[@]}"
    rc_is 0
    check "grep -q 'yes: sha256:$msum' $T/vod/README.md" "the OCI manifest digest was not checked"
    with_digest "$sum"  # the archive's digest is not the manifest's
    "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo-ow.yaml" 2>/dev/null
    run bundle --recipe "$T/demo-ow.yaml" --deployer flux -o "$T/vow" --vendor-charts --plain-http "${git[@]}"
    rc_is 1
    absent "$T/vow"

    begin mirror_charts
    # Charts in galley mirror: the classic repository's chart pushed as an OCI chart, which real helm
    # then installs from the mirror as bundle --registry-mirror tells it to; the OCI chart copied as is.
    cp "$T/demo-component.keep" "$T/vlayer/components/demo.yaml"
    serve_repo
    maddr=$(bash "$(dirname "$0")/../interop/registry.sh" start "$T/mreg")
    run mirror --recipe "$T/demo.yaml" --to "oci://$maddr/m" --plain-http
    rc_is 0
    out_has "mirrored 0 images and 1 charts"
    mkdir -p $T/pulled $T/pulled2
    check "'$helm' pull oci://$maddr/m/127.0.0.1_$port/demo --version 0.1.0 --plain-http -d $T/pulled >$T/helm.log 2>&1 || { cat $T/helm.log; false; }" "helm cannot pull the mirrored chart"
    same "$T/pulled/demo-0.1.0.tgz" "$T/charts/repo/demo-0.1.0.tgz"
    run mirror --recipe "$T/demo.yaml" --to "oci://$maddr/m" --plain-http
    rc_is 0
    out_has "0 blobs copied"
    run bundle --recipe "$T/demo.yaml" --deployer helm -o "$T/mb" --registry-mirror "$maddr/m"
    rc_is 0
    check "grep -q 'oci://$maddr/m/127.0.0.1_$port/demo' $T/mb/deploy.sh" "deploy.sh does not install from the mirror"
    check "'$helm' template demo oci://$maddr/m/127.0.0.1_$port/demo --version 0.1.0 --plain-http >/dev/null 2>&1" "helm cannot render the chart where deploy.sh points"
    run bundle --recipe "$T/demo.yaml" --deployer flux -o "$T/mf" --registry-mirror "$maddr/m" "${git[@]}"
    rc_is 0
    check "grep -q 'url: oci://$maddr/m/127.0.0.1_$port/demo' $T/mf/01-demo/flux.yaml" "the OCIRepository does not point at the mirror"
    run bundle --recipe "$T/demo.yaml" --deployer argocd -o "$T/ma" --registry-mirror "$maddr/m" "${git[@]}"
    rc_is 0
    check "grep -q 'repoURL: $maddr/m/127.0.0.1_$port' $T/ma/01-demo/application.yaml" "the Application does not point at the mirror"
    if [ -d "$eco/node_modules/kubernetes-models" ]; then
      check "node $eco/k8s-check.mjs $T/ma/01-demo >$T/k8s 2>&1 || { tail -5 $T/k8s; false; }" "Argo CD schema (mirror)"
      check "node $eco/k8s-check.mjs --crds=$eco/crds/flux $T/mf/01-demo >$T/k8s 2>&1 || { tail -5 $T/k8s; false; }" "Flux schema (mirror)"
    fi
    # A tampered archive (its index still naming the old digest) is refused before anything is pushed.
    printf 'X' >>"$T/charts/repo/demo-0.1.0.tgz"
    run mirror --recipe "$T/demo.yaml" --to "oci://$maddr/t" --plain-http
    rc_is 1
    check "! curl -sf http://$maddr/v2/t/127.0.0.1_$port/demo/tags/list >/dev/null" "something was pushed"
    cp "$T/demo.keep" "$T/charts/repo/demo-0.1.0.tgz"
    # Sneakernet: into a layout, the repository gone, then from the layout into the inside registry.
    run mirror --recipe "$T/demo.yaml" --to "oci-layout:$T/clay" --plain-http
    rc_is 0
    kill "$web" 2>/dev/null
    run mirror --from "oci-layout:$T/clay" --to "oci://$maddr/inside" --plain-http
    rc_is 0
    check "'$helm' pull oci://$maddr/inside/127.0.0.1_$port/demo --version 0.1.0 --plain-http -d $T/pulled2 >/dev/null 2>&1" "helm cannot pull the chart carried in the layout"
    same "$T/pulled2/demo-0.1.0.tgz" "$T/charts/repo/demo-0.1.0.tgz"
    # Inside the air gap (the repository gone): --vendor-charts with --registry-mirror fetches from the
    # mirror, still checked against the catalog's archive digest.
    run bundle --recipe "$T/demo-d.yaml" --deployer helm -o "$T/vm" --vendor-charts --registry-mirror "$maddr/inside" --plain-http
    rc_is 0
    same "$T/vm/charts/demo-0.1.0.tgz" "$T/charts/repo/demo-0.1.0.tgz"
    check "grep -q 'yes: sha256:$sum' $T/vm/README.md" "the chart from the mirror was not checked against the catalog"
    check "grep -q 'repository: oci://$maddr/inside/127.0.0.1_$port/demo' $T/vm/bundle.yaml" "bundle.yaml does not name the mirror as the chart's source"
    run bundle --recipe "$T/demo-w.yaml" --deployer helm -o "$T/vmw" --vendor-charts --registry-mirror "$maddr/inside" --plain-http
    rc_is 1
    absent "$T/vmw"
    # The OCI chart, copied as is, checked against the catalog's manifest digest.
    sed -i "s|  repository: .*|  repository: oci://$ociaddr/charts/demo|" "$T/vlayer/components/demo.yaml"
    with_digest "$msum"
    "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo-od.yaml" 2>/dev/null
    run mirror --recipe "$T/demo-od.yaml" --to "oci-layout:$T/olay" --plain-http
    rc_is 0
    out_has "mirrored 0 images and 1 charts"
    check "jq -e --arg d sha256:$msum '.manifests[] | select(.digest == \$d)' $T/olay/index.json >/dev/null" "the layout does not hold the chart's manifest"
    with_digest "$sum"  # the archive's digest is not the manifest's: the copy is refused
    "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo-ow.yaml" 2>/dev/null
    run mirror --recipe "$T/demo-ow.yaml" --to "oci-layout:$T/olay2" --plain-http
    rc_is 1
    err_has "the recipe records sha256:$sum"

    begin lock_charts
    # recipe --lock-charts pins every chart's digest where the recipe names it; bundles then refuse
    # any other archive, even one its repository indexes anew under the same version.
    cp "$T/demo-component.keep" "$T/vlayer/components/demo.yaml"
    serve_repo
    run recipe --recipe "$T/demo.yaml" --lock-charts -o "$T/lc.yaml"
    rc_is 0
    check "grep -q 'digest: sha256:$sum' $T/lc.yaml" "the classic chart's archive digest was not recorded"
    check "grep -q 'source: the index.yaml entry of http://127.0.0.1:$port 0.1.0' $T/lc.yaml" "the source of the pin is not named"
    check "[ \"\$(grep -m1 '  digest:' $T/lc.yaml)\" != \"\$(grep -m1 '  digest:' $T/demo.yaml)\" ]" "the recipe digest did not change"
    run bundle --recipe "$T/lc.yaml" --deployer helm -o "$T/lcb" --vendor-charts
    rc_is 0
    check "grep -q '| demo | charts/demo-0.1.0.tgz | sha256:$sum | yes: sha256:$sum |' $T/lcb/README.md" "the pinned digest was not checked"
    run recipe --recipe "$T/lc.yaml" --lock-charts -o "$T/lc2.yaml"  # locking again: the same recipe
    rc_is 0
    same "$T/lc.yaml" "$T/lc2.yaml"
    # The catalog's digest is checked, not taken on trust: a wrong one is exit 1 naming both.
    run recipe --recipe "$T/demo-w.yaml" --lock-charts -o "$T/lcw.yaml"
    rc_is 1
    err_has "the recipe records sha256:0000"
    err_has "is sha256:$sum at its source"
    absent "$T/lcw.yaml"
    # Republished under the same version (new archive, index rewritten): the pinned recipe refuses it.
    (cd "$T/charts" && "$helm" package demo -d repo --version 0.1.0 --app-version 9.9.9 >/dev/null && "$helm" repo index repo >/dev/null)
    run bundle --recipe "$T/demo.yaml" --deployer helm -o "$T/lcu" --vendor-charts
    rc_is 0
    run bundle --recipe "$T/lc.yaml" --deployer helm -o "$T/lcr" --vendor-charts
    rc_is 1
    err_has "the recipe records sha256:$sum"
    absent "$T/lcr"
    cp "$T/demo.keep" "$T/charts/repo/demo-0.1.0.tgz"; (cd "$T/charts" && "$helm" repo index repo >/dev/null)
    # Through the mirror (the repository gone): the chart layer galley mirror pushed is the archive.
    kill "$web" 2>/dev/null
    run recipe --recipe "$T/demo.yaml" --lock-charts --lock-mirror "$maddr/inside" --plain-http -o "$T/lcm.yaml"
    rc_is 0
    check "grep -q 'digest: sha256:$sum' $T/lcm.yaml" "the chart's digest through the mirror is not the archive's"
    run recipe --recipe "$T/demo.yaml" --lock-charts -o "$T/lcn.yaml"
    rc_is 5  # the repository is gone
    absent "$T/lcn.yaml"
    # An OCI chart: its manifest digest, as skopeo reads it.
    sed -i "s|  repository: .*|  repository: oci://$ociaddr/charts/demo|" "$T/vlayer/components/demo.yaml"
    "$G" --data "$T/vlayer" recipe --service gke --intent training --kubernetes 1.35 -o "$T/demo-oci2.yaml" 2>/dev/null
    run recipe --recipe "$T/demo-oci2.yaml" --lock-charts --plain-http -o "$T/lco.yaml"
    rc_is 0
    check "grep -q 'digest: sha256:$msum' $T/lco.yaml" "the OCI chart's manifest digest was not recorded"
    run recipe --recipe "$T/demo-oci2.yaml" --plain-http -o "$T/lcx.yaml"
    rc_is 2
    err_has "go with --lock-images or --lock-charts"
    absent "$T/lcx.yaml"
    bash "$(dirname "$0")/../interop/registry.sh" stop "$T/mreg" >/dev/null 2>&1
    bash "$(dirname "$0")/../interop/registry.sh" stop "$T/ocireg" >/dev/null 2>&1
  fi
else
  echo "images_blackbox: $helm missing (scripts/setup-interop.sh); vendor_charts not run"
fi

finish images_blackbox
