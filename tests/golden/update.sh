#!/usr/bin/env bash
# Regenerates the golden recipes: review the diff before committing.
#   NAME.args          hand-written cases (fewer criteria, older Kubernetes, --allow-partial), "# args: FLAGS"
#   leaves/LEAF.args   one per leaf overlay of the embedded catalog, its criteria as flags (generated)
set -euo pipefail
cd "$(dirname "$0")"
GALLEY=$(realpath "${1:-../../build/cli/galley}")
rm -rf leaves && mkdir leaves
"$GALLEY" catalog --format json |
  jq -r '.overlays[] | select(.leaf) | .name + " " + ([.criteria | to_entries[] | "--" + .key + " " + .value] | join(" "))' |
  while read -r leaf flags; do
    echo "# args: $flags" > "leaves/$leaf.args"
  done
for a in *.args leaves/*.args; do
  name=${a%.args}
  # shellcheck disable=SC2046
  "$GALLEY" recipe $(sed -n 's/^# args: //p' "$a") --log-level error -o "$name.yaml"
done
