#!/usr/bin/env bash
# Two galley binaries, the same whole-process commands, one hyperfine run each (interleaved warm-up,
# same machine, same moment): prints each command's median for both and the ratio NEW/OLD. Use it
# to show a change is no slower: build the old binary from the base commit, then
#   bench/compare.sh /tmp/galley-old build/cli/galley
# Commands: version, recipe, bundle (helm and flux, the largest leaf), sign + verify of that bundle,
# validate of a node snapshot. Usage: bench/compare.sh OLD NEW [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$(realpath "$1")
NEW=$(realpath "$2")
RUNS=${3:-40}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000

largest_leaf=$("$NEW" catalog --stats --format json | jq -r 'max_by([.components, .values]) | .name')
largest=$("$NEW" catalog --format json | jq -r --arg l "$largest_leaf" \
  '.overlays[] | select(.name == $l) | [.criteria | to_entries[] | "--" + .key + " " + .value] | join(" ")')
H100="--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34"
# Inputs each binary reads as its own (a recipe carries its writer's schema and digest).
for side in old new; do
  bin=$OLD; [ "$side" = new ] && bin=$NEW
  # shellcheck disable=SC2086
  "$bin" recipe $largest --log-level error -o "$T/$side-largest.yaml"
  # shellcheck disable=SC2086
  "$bin" recipe $H100 --log-level error -o "$T/$side-h100.yaml"
  "$bin" keygen --out "$T/$side-key" >/dev/null
  "$bin" bundle --recipe "$T/$side-largest.yaml" --deployer helm -o "$T/$side-signed" --log-level error \
    --sign --key "$T/$side-key.key" >/dev/null
  "$bin" snapshot --root tests/fixtures/snapshot/h100-node-real/root \
    --nvidia-smi-xml tests/fixtures/snapshot/h100-node-real/nvidia-smi-q-x.xml -o "$T/$side-node.yaml" >/dev/null
done

# compare NAME OLD-COMMAND NEW-COMMAND [PREPARE]: both medians and the ratio new/old.
compare() {
  local name=$1 old_cmd=$2 new_cmd=$3 prep=${4:-true}
  hyperfine -N --warmup 3 --runs "$RUNS" -i --export-json "$T/r.json" \
    --prepare "$prep" "$old_cmd" --prepare "$prep" "$new_cmd" >/dev/null 2>&1
  jq -r --arg n "$name" '.results as $r | ($r[0].median * 1000) as $o | ($r[1].median * 1000) as $w |
    "\($n): old \($o * 100 | round / 100) ms, new \($w * 100 | round / 100) ms, new/old \($w / $o * 100 | round / 100)"' "$T/r.json"
}

compare "version" "$OLD version" "$NEW version"
compare "recipe (eks h100 training)" "$OLD recipe $H100 --log-level error" "$NEW recipe $H100 --log-level error"
for d in helm flux; do
  opts="--deployer $d -o $T/out-$d --repo-url https://git.example.com/g.git --log-level error"
  compare "bundle $d ($largest_leaf)" "$OLD bundle --recipe $T/old-largest.yaml $opts" \
    "$NEW bundle --recipe $T/new-largest.yaml $opts" "rm -rf $T/out-$d"
done
compare "verify (largest bundle, signed)" "$OLD verify $T/old-signed --key $T/old-key.pub" \
  "$NEW verify $T/new-signed --key $T/new-key.pub"
# validate judges what it can; exit 1 (a failed check on this fixture) is timed like a pass (-i).
compare "validate (H100 node snapshot)" "$OLD validate --recipe $T/old-h100.yaml --snapshot $T/old-node.yaml" \
  "$NEW validate --recipe $T/new-h100.yaml --snapshot $T/new-node.yaml"
