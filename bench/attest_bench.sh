#!/usr/bin/env bash
# Attest benchmarks, whole processes (hyperfine medians):
#  1. `galley verify` of a signed 1 GiB bundle against `sha256sum` over the same files, page cache
#     warm for both (target: verify reaches at least 80% of sha256sum's throughput);
#  2. `galley attest` (sign) and `galley verify` of the largest recipe's bundle
#     (target: median under 20 ms each).
# Usage: bench/attest_bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GALLEY=$(pwd)/$BUILD/cli/galley
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
median_ms() { jq -r ".results[$2].median * 1000 | . * 100 | round / 100" "$1"; }

"$GALLEY" keygen --out "$T/key" >/dev/null

echo "== sign and verify the largest recipe's bundle, whole process (target: median < 20 ms each)"
largest="" ; most=0
while read -r leaf; do
  # shellcheck disable=SC2086
  "$GALLEY" recipe $leaf --kubernetes 1.34 --log-level error -o "$T/r.yaml" 2>/dev/null || continue
  n=$(wc -c < "$T/r.yaml")
  if [ "$n" -gt "$most" ]; then most=$n; largest=$leaf; cp "$T/r.yaml" "$T/largest.yaml"; fi
done <<'EOF'
--service eks --accelerator h100 --os ubuntu --intent training
--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow
--service gke --accelerator gb200 --os cos --intent inference
--service gke --accelerator gb200 --os cos --intent inference --platform dynamo
--service gke --accelerator gb200 --os cos --intent inference --platform llm-d
--service eks --intent inference
EOF
echo "largest recipe: $largest ($most bytes)"
"$GALLEY" bundle --recipe "$T/largest.yaml" --deployer helm -o "$T/b" --log-level error >/dev/null
echo "bundle: $(find "$T/b" -type f | wc -l) files, $(du -sk "$T/b" | cut -f1) KiB"
# attest ends with an fsync (core::write_file_atomic), whose latency is the disk's, not galley's:
# measured on this disk and, when there is one, on tmpfs.
SHM=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  SHM=$(mktemp -d /dev/shm/galley-bench-XXXXXX)
  trap 'rm -rf "$T" "$SHM"' EXIT
  cp -a "$T/b" "$SHM/b"
fi
for where in "$T" $SHM; do
  hyperfine --warmup 5 --runs 100 -N --export-json "$T/sv.json" \
    "$GALLEY attest $where/b --key $T/key.key" \
    "$GALLEY verify $where/b --key $T/key.pub" >/dev/null
  label=$([ "$where" = "$T" ] && echo "disk ($(df --output=fstype "$T" | tail -1))" || echo tmpfs)
  echo "galley attest (sign), $label: median $(median_ms "$T/sv.json" 0) ms"
  echo "galley verify, $label:        median $(median_ms "$T/sv.json" 1) ms"
done
hyperfine --warmup 5 --runs 50 -N --export-json "$T/v.json" "$GALLEY version" >/dev/null
echo "(galley version, the process start-up alone: median $(median_ms "$T/v.json" 0) ms)"

echo "== galley verify of a 1 GiB bundle vs sha256sum over the same files (target: >= 80% of its throughput)"
"$GALLEY" bundle --recipe "$T/largest.yaml" --deployer helm -o "$T/big" --log-level error >/dev/null
comp=$(cd "$T/big" && ls -d [0-9][0-9]-*/ | head -1)
mkdir -p "$T/big/${comp}manifests"
for i in $(seq -w 1 16); do head -c $((64 << 20)) /dev/urandom > "$T/big/${comp}manifests/blob-$i.yaml"; done
python3 - "$T/big" <<'EOF'
import hashlib, os, sys
root = sys.argv[1]
lines = open(os.path.join(root, "bundle.yaml")).read().split("\n")
at = lines.index("  inventory:") + 1
entries = []
for dirpath, _, files in os.walk(root):
    for f in files:
        rel = os.path.relpath(os.path.join(dirpath, f), root)
        if "/manifests/blob-" in rel:
            data = open(os.path.join(root, rel), "rb").read()
            entries += ['    - mode: "0644"', f"      path: {rel}", f"      sha256: {hashlib.sha256(data).hexdigest()}",
                        f"      size: {len(data)}"]
open(os.path.join(root, "bundle.yaml"), "w").write("\n".join(lines[:at] + entries + lines[at:]))
EOF
"$GALLEY" attest "$T/big" --key "$T/key.key" >/dev/null
"$GALLEY" verify "$T/big" --key "$T/key.pub" >/dev/null
(cd "$T/big" && find . -type f ! -name attestation.sigstore.json -print0 | sort -z) > "$T/files"
bytes=$(xargs -0 -a "$T/files" -I{} stat -c %s "$T/big/{}" | paste -sd+ | bc)
echo "bundle: $(tr -cd '\0' < "$T/files" | wc -c) files, $((bytes >> 20)) MiB"
cat > "$T/sha.sh" <<EOF
cd "$T/big" && xargs -0 -a "$T/files" sha256sum >/dev/null
EOF
hyperfine --warmup 1 --runs 5 --export-json "$T/big.json" \
  "$GALLEY verify $T/big --key $T/key.pub" \
  "bash $T/sha.sh" >/dev/null
v=$(jq -r '.results[0].median' "$T/big.json")
s=$(jq -r '.results[1].median' "$T/big.json")
awk -v v="$v" -v s="$s" -v b="$bytes" 'BEGIN {
  printf "galley verify: median %.3f s (%.0f MiB/s)\n", v, b / v / 1048576
  printf "sha256sum:     median %.3f s (%.0f MiB/s)\n", s, b / s / 1048576
  printf "galley verify reaches %.0f%% of sha256sum throughput\n", 100 * s / v }'
