#!/usr/bin/env bash
# Benchmarks: `galley recipe` as a whole process (hyperfine: median; measure.py: peak RSS), and the
# resolver on generated catalogs (Google Benchmark). Usage: bench/run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GALLEY=$BUILD/cli/galley
ARGS=(recipe --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34 --log-level error)

echo "== galley recipe, whole process (target: median < 10 ms)"
hyperfine --warmup 5 --runs 100 -N --export-json /tmp/galley-recipe.json "$GALLEY ${ARGS[*]}" >/dev/null
jq -r '.results[0] | "median \(.median * 1000 | . * 100 | round / 100) ms, mean \(.mean * 1000 | . * 100 | round / 100) ms, min \(.min * 1000 | . * 100 | round / 100) ms"' /tmp/galley-recipe.json
echo "== peak RSS (target: < 30 MB)"
read -r rc secs rss < <(python3 tests/cli/measure.py /dev/null /dev/null "$GALLEY" "${ARGS[@]}")
echo "peak RSS ${rss} MB (exit $rc)"

echo "== resolver on generated catalogs, 2,000 components (target: no worse than n log n)"
"$BUILD/bench/resolver_bench" --benchmark_repetitions=1

echo "== galley bundle of the largest recipe, whole process (target: median < 20 ms)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# The leaf with the most components and values, and its criteria as flags.
largest_leaf=$("$GALLEY" catalog --stats --format json | jq -r 'max_by([.components, .values]) | .name')
largest=$("$GALLEY" catalog --format json | jq -r --arg l "$largest_leaf" \
  '.overlays[] | select(.name == $l) | [.criteria | to_entries[] | "--" + .key + " " + .value] | join(" ")')
# shellcheck disable=SC2086
"$GALLEY" recipe $largest --log-level error -o "$T/largest.yaml"
most=$(wc -c < "$T/largest.yaml")
echo "largest recipe: $largest ($most bytes)"
# Each run writes a fresh folder (--prepare removes the last one outside the timing).
for d in helm flux; do
  hyperfine --warmup 3 --runs 50 -N --prepare "rm -rf $T/out-$d" --export-json "$T/b-$d.json" \
    "$GALLEY bundle --recipe $T/largest.yaml --deployer $d -o $T/out-$d --repo-url https://git.example.com/g.git --log-level error" \
    "$GALLEY bundle $largest --deployer $d -o $T/out-$d --repo-url https://git.example.com/g.git --log-level error" >/dev/null
  jq -r --arg d "$d" '.results[0] | "bundle --recipe (\($d)): median \(.median * 1000 | . * 100 | round / 100) ms"' "$T/b-$d.json"
  jq -r --arg d "$d" '.results[1] | "bundle from criteria (\($d)): median \(.median * 1000 | . * 100 | round / 100) ms"' "$T/b-$d.json"
done
echo "== the same Flux manifests built by kubectl kustomize (comparison; target: galley >= 10x faster)"
hyperfine --warmup 3 --runs 30 -N --export-json "$T/k.json" "kubectl kustomize $T/out-flux" >/dev/null
jq -r '.results[0] | "kubectl kustomize: median \(.median * 1000 | . * 100 | round / 100) ms"' "$T/k.json"

cat <<'NOTE'
== more benchmarks, run on their own (each prints its targets):
  bench/validate_bench.sh build   # validate a 5,000-node snapshot vs jq; a fleet of 10,000 snapshots
  bench/attest_bench.sh build     # verify 1 GiB vs sha256sum; sign + verify of the largest bundle
  bench/deliver_bench.sh          # push/pull vs skopeo copy; publish vs the git CLI
  bench/compare.sh OLD NEW        # two galley binaries, same commands, medians and new/old ratios
NOTE
