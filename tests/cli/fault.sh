#!/usr/bin/env bash
# Fault tests (issue 16): kill -9 at random moments during `bundle --force`, `push --oci-layout`
# into an existing layout, `pull` (from an OCI layout), `publish` (to a file:// bare repository)
# and `keygen`. After every kill the target is the old state or the new, never partial; after the
# next complete run no temporary debris is left beside it.
# Usage: fault.sh GALLEY SOURCE_DIR [TRIALS]  (TRIALS per command, default 20, ctest 50; FAULT_TRIALS=200
# bash tests/cli/fault.sh … for a longer run)
set -uo pipefail
GALLEY=$1
SRC=$2
TRIALS=${FAULT_TRIALS:-${3:-20}}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
H100=(--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34)
# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
unset NO_COLOR GALLEY_NO_COLOR GALLEY_DATA GALLEY_LOG_LEVEL

# tree_digest DIR: one digest over every path, mode and content below DIR ("" when absent).
tree_digest() {
  [ -d "$1" ] || { echo absent; return; }
  (cd "$1" && find . -mindepth 1 -printf '%p %y %m\n' | sort && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-16
}
# kill_at_random CMD...: starts CMD, kills it with SIGKILL after 0 to KILL_MS (default 60) ms (or
# lets it finish).
kill_at_random() {
  "$@" > /dev/null 2>&1 &
  local pid=$!
  sleep "$(printf "0.%03d" $((RANDOM % ${KILL_MS:-60})))"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  return 0
}
debris() { ls -A "$1" | grep -E "^\.$2\." | tr '\n' ' '; }

"$GALLEY" recipe "${H100[@]}" -o "$T/r.yaml" || { echo "FAIL: no recipe"; exit 1; }

begin bundle_force_killed_leaves_old_or_new
"$GALLEY" bundle --recipe "$T/r.yaml" --deployer helm -o "$T/b" --force > /dev/null
old=$(tree_digest "$T/b")
"$GALLEY" bundle --recipe "$T/r.yaml" --deployer helm -o "$T/new" --set gpu-operator:driver.enabled=false > /dev/null
new=$(tree_digest "$T/new")
partial=0
for i in $(seq "$TRIALS"); do
  if [ $((i % 2)) = 0 ]; then extra=(); else extra=(--set gpu-operator:driver.enabled=false); fi
  kill_at_random "$GALLEY" bundle --recipe "$T/r.yaml" --deployer helm -o "$T/b" --force "${extra[@]}"
  now=$(tree_digest "$T/b")
  [ "$now" = "$old" ] || [ "$now" = "$new" ] || partial=$((partial + 1))
done
check '[ $partial = 0 ]' "$partial of $TRIALS kills left a bundle that is neither the old nor the new"
"$GALLEY" bundle --recipe "$T/r.yaml" --deployer helm -o "$T/b" --force > /dev/null
check '[ -z "$(debris "$T" b)" ]' "debris after the next run: $(debris "$T" b)"

begin push_oci_layout_killed_leaves_old_or_new_index
"$GALLEY" push "$T/new" --oci-layout "$T/lay" --tag v0 > /dev/null
bad_index=0
for i in $(seq "$TRIALS"); do
  kill_at_random "$GALLEY" push "$T/new" --oci-layout "$T/lay" --tag "t$i"
  jq -e '.manifests | length >= 1' "$T/lay/index.json" > /dev/null 2>&1 || bad_index=$((bad_index + 1))
  "$GALLEY" push "$T/new" --oci-layout "$T/lay" --tag check > /dev/null 2>&1 || bad_index=$((bad_index + 1))
done
check '[ $bad_index = 0 ]' "$bad_index kills left a layout that is not whole"
check '[ -z "$(ls -A "$T/lay" | grep "^\.index\.json\.tmp-" | tr "\n" " ")" ]' "debris in the layout: $(ls -A "$T/lay")"
check '[ -z "$(debris "$T" lay)" ]' "debris beside the layout: $(debris "$T" lay)"

begin pull_killed_leaves_nothing_or_the_whole_bundle
"$GALLEY" pull "oci-layout:$T/lay:v0" -o "$T/pulled" > /dev/null || bad "pull from the layout failed"
whole=$(tree_digest "$T/pulled")
partial=0
for i in $(seq "$TRIALS"); do
  rm -rf "$T/p"
  kill_at_random "$GALLEY" pull "oci-layout:$T/lay:v0" -o "$T/p"
  now=$(tree_digest "$T/p")
  [ "$now" = absent ] || [ "$now" = "$whole" ] || partial=$((partial + 1))
done
check '[ $partial = 0 ]' "$partial of $TRIALS kills left a pulled folder that is neither absent nor whole"
rm -rf "$T/p"
"$GALLEY" pull "oci-layout:$T/lay:v0" -o "$T/p" > /dev/null
check '[ "$(tree_digest "$T/p")" = "$whole" ] && [ -z "$(debris "$T" p)" ]' "after the next pull: $(debris "$T" p)"

begin publish_killed_leaves_old_or_new_commit
# Two Argo CD bundles for one place in a file:// repository, published in turn so that each run
# commits; the branch must always point at a whole commit holding one of them.
git init -q --bare "$T/gitops.git"
repo="file://$T/gitops.git"
for v in a b; do
  if [ $v = a ]; then extra=(); else extra=(--set gpu-operator:driver.enabled=false); fi
  "$GALLEY" bundle "${H100[@]}" --deployer argocd -o "$T/pub-$v" --repo-url "$repo" --revision main --path apps "${extra[@]}" > /dev/null
done
mkdir -p "$T/tmp"
TMPDIR=$T/tmp "$GALLEY" publish "$T/pub-a" --git "$repo" --branch main --path apps > /dev/null || bad "publish failed"
sum_a=$(sha256sum < "$T/pub-a/bundle.yaml")
sum_b=$(sha256sum < "$T/pub-b/bundle.yaml")
torn=0
for i in $(seq "$TRIALS"); do
  v=$([ $((i % 2)) = 0 ] && echo a || echo b)
  TMPDIR=$T/tmp KILL_MS=150 kill_at_random "$GALLEY" publish "$T/pub-$v" --git "$repo" --branch main --path apps
  now=$(git --git-dir "$T/gitops.git" show main:apps/bundle.yaml 2> /dev/null | sha256sum)
  [ "$now" = "$sum_a" ] || [ "$now" = "$sum_b" ] || torn=$((torn + 1))
done
check '[ $torn = 0 ]' "$torn of $TRIALS kills left the branch without a whole bundle"
check 'git --git-dir "$T/gitops.git" fsck --no-progress > /dev/null 2>&1' "git fsck fails on the repository"
TMPDIR=$T/tmp "$GALLEY" publish "$T/pub-a" --git "$repo" --branch main --path apps > /dev/null 2>&1 ||
  TMPDIR=$T/tmp "$GALLEY" publish "$T/pub-b" --git "$repo" --branch main --path apps > /dev/null 2>&1 || bad "publish after the kills failed"
check '[ -z "$(ls -A "$T/tmp")" ]' "scratch repositories left after the next publish: $(ls -A "$T/tmp")"
# A kill while libgit2 updates the branch of a file:// repository (written in-process) can leave
# refs/heads/main.lock there, as a killed `git push` does: nobody can tell a stale ref lock from a
# running push's. Then the next publish that must move the branch fails closed, exit 5, naming the
# lock; once it is removed, publishing works. Any other lock file is a failure.
locks=$(find "$T/gitops.git" -name "*.lock" | grep -v "/refs/heads/main.lock$")
check '[ -z "$locks" ]' "lock files left in the repository: $locks"
if [ -e "$T/gitops.git/refs/heads/main.lock" ]; then
  now=$(git --git-dir "$T/gitops.git" show main:apps/bundle.yaml | sha256sum)
  other=$([ "$now" = "$sum_a" ] && echo b || echo a)
  TMPDIR=$T/tmp "$GALLEY" publish "$T/pub-$other" --git "$repo" --branch main --path apps > /dev/null 2> "$T/err"
  rc=$?
  check '[ $rc = 5 ] && grep -q "refs/heads/main.lock" "$T/err" && grep -q "A lock file is in the way" "$T/err"' \
    "a publish over the stale ref lock did not fail naming it: $(head -c 400 "$T/err")"
  rm "$T/gitops.git/refs/heads/main.lock"
  TMPDIR=$T/tmp "$GALLEY" publish "$T/pub-$other" --git "$repo" --branch main --path apps > /dev/null 2>&1 ||
    bad "publish after the stale ref lock was removed failed"
fi

begin keygen_killed_leaves_both_or_neither
half=0
for i in $(seq "$TRIALS"); do
  rm -f "$T/k.key" "$T/k.pub"
  kill_at_random "$GALLEY" keygen --out "$T/k"
  # Half a pair is possible only in the microseconds between the two links, and then the marker
  # .k.keygen is there for the next keygen of k to roll back (a half pair without it is a failure).
  { [ -e "$T/k.key" ] && [ -e "$T/k.pub" ]; } || { [ ! -e "$T/k.key" ] && [ ! -e "$T/k.pub" ]; } ||
    [ -e "$T/.k.keygen" ] || half=$((half + 1))
done
check '[ $half = 0 ]' "$half of $TRIALS kills left half a key pair with no marker for the next run"
rm -f "$T/k.key" "$T/k.pub"
"$GALLEY" keygen --out "$T/k" > /dev/null
check '[ -z "$(ls -A "$T" | grep "^\.k\." | tr "\n" " ")" ]' "keygen debris after the next run: $(ls -A "$T" | grep "^\.k\.")"

finish fault
