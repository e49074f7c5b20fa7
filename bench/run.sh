#!/usr/bin/env bash
# Benchmarks: `galley recipe` as a whole process (hyperfine: median; measure.py: peak RSS), and the
# resolver on generated catalogs (Google Benchmark). Usage: bench/run.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
GALLEY=$BUILD/cli/galley
ARGS=(recipe --service eks --accelerator h100 --os ubuntu --intent training --kubernetes 1.34 --log-level error)

echo "== galley recipe, whole process (target: median < 10 ms)"
hyperfine --warmup 5 --runs 100 -N --export-json /tmp/galley-recipe.json "$GALLEY ${ARGS[*]}" >/dev/null
jq -r '.results[0] | "median \(.median * 1000 | . * 100 | round / 100) ms, mean \(.mean * 1000 | . * 100 | round / 100) ms, min \(.min * 1000 | . * 100 | round / 100) ms"' /tmp/galley-recipe.json
echo "== peak RSS (target: < 30 MB)"
read -r rc secs rss < <(python3 tests/cli/measure.py /dev/null /dev/null "$GALLEY" "${ARGS[@]}")
echo "peak RSS ${rss} MB (exit $rc)"

echo "== resolver on generated catalogs, 2,000 components (target: no worse than n log n)"
"$BUILD/bench/resolver_bench" --benchmark_repetitions=1
