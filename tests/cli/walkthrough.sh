#!/usr/bin/env bash
# The README's quick start and "first hour" walkthrough, run as written: the walkthrough block (the
# ```sh block after `<!-- walkthrough -->`) runs line by line in an empty temporary folder holding a
# copy of examples/, with the built galley first on PATH; each command must exit 0, or N where its
# line ends in `# exit N`. The quick start's `make TARGET` lines are checked with `make -n` (they
# build the tree and install packages, which a test cannot do) and the recipe `make demo` prints is
# run with the built binary. Usage: walkthrough.sh GALLEY SOURCE_DIR
set -uo pipefail
GALLEY=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
unset NO_COLOR GALLEY_NO_COLOR GALLEY_DATA GALLEY_LOG_LEVEL

# block START_PATTERN: the lines of the first ```sh block after the first line matching the pattern,
# continuation lines (ending in a backslash) joined.
block() {
  awk -v start="$1" '
    !found && $0 ~ start { found = 1; next }
    found && !inside && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }' "$SRC/README.md" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta'
}

begin walkthrough_runs_as_written
mkdir -p "$T/work/bin"
cp -r "$SRC/examples" "$T/work/examples"
ln -s "$(cd "$(dirname "$GALLEY")" && pwd)/$(basename "$GALLEY")" "$T/work/bin/galley"
block '^<!-- walkthrough -->$' > "$T/steps"
[ "$(grep -c . "$T/steps")" -ge 8 ] && ok || bad "the README's walkthrough block is missing or short: $(cat "$T/steps")"
{
  echo 'cd "$1" || exit 1'
  echo 'export PATH="$1/bin:$PATH"'
  n=0
  while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    n=$((n + 1))
    want=$(sed -n 's/.*# exit \([0-9]\)$/\1/p' <<< "$line")
    printf '%s\n' "$line"
    printf 'rc=$?; [ "$rc" = %s ] || { echo "STEP %s exited $rc, expected %s: %q"; exit 1; }\n' \
      "${want:-0}" "$n" "${want:-0}" "$line"
  done < "$T/steps"
  echo 'echo "walkthrough: all steps ran"'
} > "$T/run.sh"
bash "$T/run.sh" "$T/work" > "$T/out" 2> "$T/err" && ok || bad "$(grep STEP "$T/out") stderr: $(tail -5 "$T/err")"
out_has "walkthrough: all steps ran"
check 'git --git-dir "$T/work/first/gitops.git" cat-file -e main:clusters/prod/attestation.sigstore.json' \
  "the published commit lacks the signed bundle"
check '[ -f "$T/work/first/release.key" ] && [ -f "$T/work/first/cluster.yaml" ]' "a walkthrough output is missing"

begin quick_start_commands_exist
block '^## Quick start' > "$T/quick"
targets=$(sed -n 's/^make \([a-z-]*\).*/\1/p' "$T/quick")
[ -n "$targets" ] && ok || bad "no make line in the quick start"
for target in $targets; do
  make -n -C "$SRC" "$target" > "$T/make.txt" 2>&1 && ok || bad "make -n $target: $(head -5 "$T/make.txt")"
done
make -n -C "$SRC" demo > "$T/make.txt" 2>&1
args=$(sed -n 's|^\./[^ ]*/cli/galley recipe ||p' "$T/make.txt")
[ -n "$args" ] && ok || bad "make -n demo prints no galley recipe line: $(cat "$T/make.txt")"
# shellcheck disable=SC2086  # the Makefile's words, split as make's shell splits them
"$GALLEY" recipe $args > "$T/out" 2> "$T/err" && ok || bad "the demo recipe failed: $(cat "$T/err")"
out_has "kind: Recipe"
echo "note: the quick start's make targets were checked with make -n; make test itself runs in CI (.ci/run)"

finish walkthrough
