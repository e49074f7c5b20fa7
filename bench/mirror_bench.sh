#!/usr/bin/env bash
# Mirror benchmark: a set of images (SIZE_MIB in all, default 1024: one random layer per image, one
# image per name the recipe deploys) on a loopback docker-registry, copied to a second one by
# `galley mirror --from oci://A/PREFIX` and by `skopeo sync --src yaml` of the same set, each run to
# a fresh repository prefix (every blob uploaded), in the same run (hyperfine). Registries:
# tests/interop/registry.sh. usage: bench/mirror_bench.sh [GALLEY]
set -euo pipefail
cd "$(dirname "$0")/.."
galley=$(realpath "${1:-build/cli/galley}"); registry=$(realpath tests/interop/registry.sh)
T=$(mktemp -d /tmp/galley-mirror-bench-XXXXXX)
trap '"$registry" stop "$T/a" >/dev/null 2>&1; "$registry" stop "$T/b" >/dev/null 2>&1; rm -rf "$T"' EXIT
cd "$T"
# Skyhook's values pin its images by digest, which images made here cannot have: a --data layer
# sets those digests to "" (pulled by tag) so that every image of the recipe is in the set.
mkdir -p layer/overlays
printf '%s\n' 'apiVersion: galley.dev/v1alpha1' 'kind: OverlayPatch' 'metadata: {name: base}' 'spec:' '  componentRefs:' \
  '    - name: skyhook-operator' '      values:' '        controllerManager:' \
  '          manager: {image: {digest: ""}, agent: {digest: ""}}' '          kubeRbacProxy: {image: {digest: ""}}' \
  >layer/overlays/base.yaml
"$galley" --data layer recipe --service gke --intent training --kubernetes 1.35 -o recipe.yaml 2>/dev/null
"$galley" images --recipe recipe.yaml --format json 2>/dev/null | jq -r '[.images[] | select(.deployed) | .image] | unique | .[]' >refs
n=$(wc -l <refs); size_mib=${SIZE_MIB:-1024}
# One OCI layout, one image per name: a config and one uncompressed tar layer of random bytes.
python3 - "$n" "$size_mib" <<'PY'
import hashlib, io, json, os, sys, tarfile
n, total = int(sys.argv[1]), int(sys.argv[2]) << 20
os.makedirs("lay/blobs/sha256", exist_ok=True)
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    open(f"lay/blobs/sha256/{d}", "wb").write(data)
    return {"digest": "sha256:" + d, "size": len(data)}
index = []
for i in range(n):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        payload = os.urandom(total // n)
        info = tarfile.TarInfo(f"data-{i}"); info.size = len(payload); info.mtime = 0
        t.addfile(info, io.BytesIO(payload))
    layer = blob(buf.getvalue())
    diff = layer["digest"]
    config = blob(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [diff]}}).encode())
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **config},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", **layer}]}).encode()
    m = blob(manifest)
    index.append({"mediaType": "application/vnd.oci.image.manifest.v1+json", **m,
                  "annotations": {"org.opencontainers.image.ref.name": f"i{i}"}})
open("lay/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
open("lay/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": index}))
PY
a=$("$registry" start "$T/a"); b=$("$registry" start "$T/b")
i=0
while read -r ref; do
  skopeo copy --quiet --dest-tls-verify=false "oci:lay:i$i" "docker://$a/src/$ref"; i=$((i + 1))
done <refs
# The same set as skopeo's sync file: source registry A, repositories src/<original>.
"$galley" images --recipe recipe.yaml --format skopeo-sync 2>/dev/null | python3 -c '
import sys, yaml
src = yaml.safe_load(sys.stdin)
out = {sys.argv[1]: {"images": {f"src/{host}/{repo}": tags for host, v in src.items() for repo, tags in v["images"].items()},
                     "tls-verify": False}}
print(yaml.safe_dump(out))' "$a" >sync.yaml
echo "set: $n images, $(du -sm lay | cut -f1) MiB in the layout; registries $a -> $b"
# Every run starts from an empty target registry (its storage wiped; the registry keeps no cache), so
# that neither tool can skip or mount blobs an earlier run left there.
wipe="rm -rf $T/b/storage/docker"
hyperfine -N --runs "${RUNS:-3}" --style basic \
  -n "galley mirror (4 jobs)" --prepare "$wipe" "$galley mirror --recipe recipe.yaml --from oci://$a/src --to oci://$b/g --plain-http --images-only" \
  -n "galley mirror --jobs 1" --prepare "$wipe" "$galley mirror --recipe recipe.yaml --from oci://$a/src --to oci://$b/g --plain-http --images-only --jobs 1" \
  -n "skopeo sync" --prepare "$wipe" "bash -c 'skopeo sync --src yaml --dest docker --dest-tls-verify=false sync.yaml $b/s >/dev/null 2>&1'" \
  2>&1 | grep -E "^Benchmark|Time \(mean|Range|faster|±"
