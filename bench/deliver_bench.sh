#!/usr/bin/env bash
# Delivery benchmarks (hyperfine): push and pull of the largest bundle to a loopback registry
# against `skopeo copy` of the same OCI layout, and a publish into a local bare repository against
# the git CLI making the same commit (registry: tests/interop/registry.sh, prepared by
# scripts/setup-interop.sh). usage: bench/deliver_bench.sh [GALLEY]
set -euo pipefail
cd "$(dirname "$0")/.."
galley=$(realpath "${1:-build/cli/galley}"); registry=$(realpath tests/interop/registry.sh)
T=$(mktemp -d /tmp/galley-deliver-bench-XXXXXX)
trap '"$registry" stop "$T/reg" >/dev/null 2>&1; rm -rf "$T"' EXIT
cd "$T"
# The largest bundle the embedded catalog gives (most components), Argo CD.
"$galley" bundle --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34 \
  --deployer argocd -o b --repo-url https://git.example.com/gitops.git >/dev/null
echo "bundle: $(find b -type f | wc -l) files, $(du -sb b | cut -f1) bytes"
"$galley" push b --oci-layout lay --tag v1 >/dev/null
addr=$("$registry" start "$T/reg")
hf() { hyperfine -N --warmup 2 --runs "${RUNS:-20}" --style basic "$@" 2>&1 | grep -E "^Benchmark|Time \(mean|faster"; }

echo "== push (blobs already present after the warm-up: HEAD checks + manifest PUT)"
hf -n "galley push" "$galley push b oci://$addr/bench/galley:v1 --plain-http" \
   -n "skopeo copy oci: -> docker://" "skopeo copy --quiet --dest-tls-verify=false oci:lay:v1 docker://$addr/bench/skopeo:v1"
echo "== push to a new repository each run (every blob uploaded)"
hf -n "galley push (fresh repo)" "bash -c '$galley push b oci://$addr/bench/g\$RANDOM\$RANDOM:v1 --plain-http'" \
   -n "skopeo copy (fresh repo)" "bash -c 'skopeo copy --quiet --dest-tls-verify=false oci:lay:v1 docker://$addr/bench/s\$RANDOM\$RANDOM:v1'"
echo "== pull (into an empty folder / a fresh layout)"
hf -n "galley pull" --prepare "rm -rf $T/p" "$galley pull oci://$addr/bench/galley:v1 -o $T/p --plain-http" \
   -n "skopeo copy docker:// -> oci:" --prepare "rm -rf $T/s" "skopeo copy --quiet --src-tls-verify=false docker://$addr/bench/skopeo:v1 oci:$T/s:v1"

echo "== publish into a local bare repository (file://), one commit replacing clusters/prod"
git init -q --bare -b main seed.git
git clone -q seed.git seedwc 2>/dev/null; echo keep >seedwc/README.md
git -C seedwc -c user.name=s -c user.email=s@x add -A; git -C seedwc -c user.name=s -c user.email=s@x commit -qm seed; git -C seedwc push -q origin main
cat >git-publish.sh <<'SH'
#!/bin/sh
set -e
w=$(mktemp -d); git clone -q --branch main "file://$1" "$w/r"
rm -rf "$w/r/clusters/prod"; mkdir -p "$w/r/clusters"; cp -r "$2" "$w/r/clusters/prod"
git -C "$w/r" add -A
git -C "$w/r" -c user.name=Galley -c user.email=galley@localhost commit -qm "publish"
git -C "$w/r" push -q origin main; rm -rf "$w"
SH
chmod +x git-publish.sh
hf -n "galley publish" --prepare "bash -c 'rm -rf $T/r.git && cp -r $T/seed.git $T/r.git'" \
     "$galley publish b --git file://$T/r.git --branch main --path clusters/prod" \
   -n "git clone+commit+push" --prepare "bash -c 'rm -rf $T/r.git && cp -r $T/seed.git $T/r.git'" "./git-publish.sh $T/r.git $T/b"
