#!/usr/bin/env bash
# Fuzzing Galley's parsers and readers (fuzz/README.md). Run from the repository root.
#   scripts/fuzz.sh replay BIN_DIR   seeds and fuzz/regressions/ through the replay binaries (ctest)
#   scripts/fuzz.sh short            with GALLEY_FUZZ_SHORT=1: each libFuzzer target FUZZ_SECONDS (default 3) seconds, when clang
#                                    is installed; says so and passes when it is not (ctest)
#   scripts/fuzz.sh run [TARGET...]  each target FUZZ_SECONDS (default 60) seconds (make fuzz)
# FUZZ_RUNS=N (with FUZZ_SEED, default 1) runs each target N inputs from a fixed seed instead: the
# same commit then fuzzes the same inputs every time (CI uses it, so a red run is reproducible).
# The libFuzzer build lives in build-fuzz/ (clang++-14, -DGALLEY_FUZZ=ON, ASan + UBSan). A crasher
# is copied into fuzz/regressions/TARGET/ (commit it with the fix: every ctest run replays it).
set -uo pipefail
mode=${1:-run}
shift || true
ROOT=$(pwd)
FUZZ_BUILD=${FUZZ_BUILD:-$ROOT/build-fuzz}
CLANG=${CLANG:-clang++-14}
TARGETS=(yaml_document yaml_fast json_document version_range oci_reference sigstore_bundle rfc3161_response
  trust_policy criteria_document catalog_layer recipe_document nvidia_smi_xml kubectl_output set_path
  tar_entries)

# The seed folders and files of a target: fixtures of the repository, plus fuzz/seeds/TARGET.
seeds() {
  local t=$1
  [ -d "fuzz/seeds/$t" ] && echo "fuzz/seeds/$t"
  case $t in
    yaml_document|yaml_fast) echo examples/criteria tests/golden/eks-training.yaml recipes/overlays recipes/registry.yaml ;;
    json_document|kubectl_output) echo tests/fixtures/snapshot/eks-cluster ;;
    criteria_document) echo examples/criteria ;;
    catalog_layer) echo recipes/overlays recipes/components ;;
    recipe_document) echo tests/golden/eks-training.yaml tests/golden/eks-inference.yaml ;;
    nvidia_smi_xml) echo tests/fixtures/snapshot/nvidia-smi tests/fixtures/snapshot/h100-node-real/nvidia-smi-q-x.xml ;;
  esac
  [ -d "fuzz/regressions/$t" ] && echo "fuzz/regressions/$t"
  return 0
}

replay() {
  local bin_dir=$1 failed=0
  for t in "${TARGETS[@]}"; do
    # shellcheck disable=SC2046
    if ! "$bin_dir/fuzz_$t" $(seeds "$t"); then
      echo "FAIL: fuzz_$t: an input crashed or threw something other than core::Error"
      failed=1
    fi
  done
  return $failed
}

build() {
  if ! command -v "$CLANG" > /dev/null; then
    return 1
  fi
  cmake -S "$ROOT" -B "$FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$CLANG" \
    -DGALLEY_FUZZ=ON -DGALLEY_BENCH=OFF > "$FUZZ_BUILD.configure.log" 2>&1 || { cat "$FUZZ_BUILD.configure.log"; return 2; }
  cmake --build "$FUZZ_BUILD" --target fuzz_all || return 2
}

# fuzz TARGET SECONDS: libFuzzer on a working corpus seeded from seeds(); crashers kept.
fuzz() {
  local t=$1 secs=$2 corpus="$FUZZ_BUILD/corpus/$1" findings="$FUZZ_BUILD/findings/$1"
  mkdir -p "$corpus" "$findings"
  # libFuzzer takes folders only: the seeds (files and folders) are copied into the working corpus.
  local seed
  for seed in $(seeds "$t"); do
    if [ -d "$seed" ]; then find "$seed" -type f -exec cp -t "$corpus" {} +; else cp "$seed" "$corpus/"; fi
  done
  local budget=(-max_total_time="$secs") fixed=()
  if [ -n "${FUZZ_RUNS:-}" ]; then
    budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
    # Address layout randomisation changes the pointers the sanitizers and comparison tracing see,
    # and with them which mutations are kept: without it the same seed gives the same run.
    setarch -R true 2> /dev/null && fixed=(setarch -R)
  fi
  "${fixed[@]}" "$FUZZ_BUILD/fuzz/fuzz_$t" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$findings/" -print_final_stats=1 "$corpus" > "$findings.log" 2>&1
  local rc=$?
  local stats
  stats=$(grep -E "^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb)" "$findings.log" | tail -3 | tr '\n' ' ')
  local cov
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$findings.log" | tail -1)
  local spent="${secs}s"
  [ -n "${FUZZ_RUNS:-}" ] && spent="$FUZZ_RUNS runs from seed ${FUZZ_SEED:-1}"
  echo "fuzz_$t: $spent, $cov, $stats"
  if [ $rc -ne 0 ] || ls "$findings"/crash-* "$findings"/leak-* "$findings"/timeout-* "$findings"/oom-* > /dev/null 2>&1; then
    mkdir -p "fuzz/regressions/$t"
    cp "$findings"/crash-* "$findings"/leak-* "$findings"/timeout-* "$findings"/oom-* "fuzz/regressions/$t/" 2> /dev/null
    echo "FAIL: fuzz_$t found an input that fails (kept in fuzz/regressions/$t/); log: $findings.log"
    tail -30 "$findings.log"
    return 1
  fi
}

case $mode in
  replay)
    replay "${1:?replay needs the folder of the replay binaries}"
    ;;
  short|run)
    if [ "$mode" = short ] && [ "${GALLEY_FUZZ_SHORT:-}" != 1 ]; then
      # Random inputs can find a new hang or crash at any run: the default `make test` stays
      # deterministic (fuzz_replay replays the seeds and kept crashers); fuzzing is asked for.
      echo "fuzz: the libFuzzer targets were NOT run (set GALLEY_FUZZ_SHORT=1, or run make fuzz);"
      echo "fuzz: fuzz_replay replayed every seed and kept crasher through every target."
      exit 0
    fi
    secs=${FUZZ_SECONDS:-$([ "$mode" = short ] && echo 3 || echo 60)}
    if ! command -v "$CLANG" > /dev/null; then
      echo "fuzz: $CLANG is not installed: the libFuzzer targets were NOT run (only replayed by fuzz_replay)."
      echo "fuzz: install clang-14 and libclang-rt-14-dev (scripts/setup-fuzz.sh) to fuzz."
      [ "$mode" = short ] && exit 0 || exit 1
    fi
    build || { echo "FAIL: the libFuzzer build failed"; exit 1; }
    failed=0
    list=("$@")
    [ ${#list[@]} -gt 0 ] || list=("${TARGETS[@]}")
    for t in "${list[@]}"; do
      fuzz "$t" "$secs" || failed=1
    done
    exit $failed
    ;;
  *)
    echo "usage: scripts/fuzz.sh replay BIN_DIR | short | run [TARGET...]" >&2
    exit 2
    ;;
esac
