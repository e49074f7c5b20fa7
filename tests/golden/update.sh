#!/usr/bin/env bash
# Regenerates the golden recipes from each NAME.args file: review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")"
GALLEY=${1:-../../build/cli/galley}
for a in *.args; do
  name=${a%.args}
  # shellcheck disable=SC2046
  "$GALLEY" recipe $(sed -n 's/^# args: //p' "$a") --log-level error -o "$name.yaml"
done
