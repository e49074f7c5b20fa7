#!/usr/bin/env bash
# Regenerates the worked example's submission: the locked recipe (recipe.yaml) and the probes'
# saved results (results.json, `kubectl get -o json`) -> evidence -> out/v1.35/acme-gpu-cloud/.
# Usage: examples/conformance/update.sh GALLEY [OUT]   (OUT defaults to examples/conformance/out)
# Acme is fictional and no CNCF member: vendorName is checked against landscape.yml (a made-up excerpt).
# tests/conformance/conformance_blackbox.sh regenerates into a temporary folder and diffs it with out/.
set -euo pipefail
GALLEY=$1
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/out}
export SOURCE_DATE_EPOCH=1795000000
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$GALLEY" conformance evidence --recipe "$HERE/recipe.yaml" --results "$HERE/results.json" -o "$T/evidence" >/dev/null
"$GALLEY" conformance submission --landscape "$HERE/landscape.yml" --product "$HERE/product.yaml" --evidence "$T/evidence" -o "$OUT" --force
"$GALLEY" conformance check --landscape "$HERE/landscape.yml" "$OUT/v1.35/acme-gpu-cloud"
