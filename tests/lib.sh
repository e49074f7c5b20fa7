# shellcheck shell=bash
# The assertions every black-box script shares (sourced, after it sets T, its scratch folder that
# holds the last command's stdout in $T/out and stderr in $T/err).
#
# A script is a list of cases, each opened by `begin NAME`. To run one case, name it (a shell
# pattern) in the environment: `CASE=keygen_ed25519 bash tests/attest/attest_blackbox.sh …`, or
# through CTest: `CASE='bundle_sign_*' ctest -R attest_blackbox --output-on-failure`. Every case
# still runs (later cases use what earlier ones made), but only the named ones are counted and
# reported; a pattern that names no case is a failure, never a silent pass.
# `finish NAME` prints the closing line "NAME: N passed, N failed" and sets the exit status.

only_case=${CASE:-}
unset CASE
current_case=setup
counting=1
selected=0
pass=0
fail=0

# begin NAME: the checks that follow belong to the case NAME.
begin() {
  current_case=$1
  counting=1
  if [ -n "$only_case" ]; then
    # shellcheck disable=SC2053
    if [[ $current_case == $only_case ]]; then selected=$((selected + 1)); else counting=0; fi
  fi
}
ok() {
  [ "$counting" = 1 ] || return 0
  pass=$((pass + 1))
  [ -z "${VERBOSE:-}" ] || [ $# -eq 0 ] || echo "ok   $current_case: $*"
}
bad() {
  [ "$counting" = 1 ] || return 0
  fail=$((fail + 1))
  echo "FAIL: $current_case: $*"
}
# check COMMAND [MESSAGE]: COMMAND (a string, evaluated) succeeds.
check() { if eval "$1"; then ok; else bad "${2:-$1}"; fi; }
err_has() { grep -qF -- "$1" "$T/err" && ok || bad "stderr lacks '$1': $(head -c 600 "$T/err")"; }
out_has() { grep -qF -- "$1" "$T/out" && ok || bad "stdout lacks '$1': $(head -c 1500 "$T/out")"; }
out_lacks() { grep -qF -- "$1" "$T/out" && bad "stdout has '$1'" || ok; }
out_is() { [ "$(cat "$T/out")" = "$1" ] && ok || bad "stdout is '$(head -c 300 "$T/out")', expected '$1'"; }
one_error_line() { [ "$(grep -c '^galley: error: ' "$T/err")" -ge 1 ] && ok || bad "no 'galley: error:' line"; }
absent() { [ ! -e "$1" ] && ok || bad "$1 was created"; }
same() { cmp -s "$1" "$2" && ok || bad "$1 and $2 differ: $(diff "$1" "$2" 2>&1 | head -6 | tr '\n' ' ')"; }
# no_temp_left DIR: no temporary file or folder (a *.tmp* name or a hidden entry) was left in DIR.
no_temp_left() {
  local left
  left=$(find "$1" -mindepth 1 -maxdepth 1 \( -name '*.tmp*' -o -name '.*' \) -print -quit)
  [ -z "$left" ] && ok || bad "a temporary was left in $1: $left"
}

# finish NAME: the closing line, and the script's exit status (0 only when nothing failed and, with
# CASE set, at least one case was selected).
# plain_run EXPECTED_RC ARGS...: runs $GALLEY, stdout in $T/out, stderr in $T/err; checks the exit code.
plain_run() {
  local want=$1; shift
  "$GALLEY" "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  [ "$rc" = "$want" ] && ok || bad "exit $rc, expected $want; stderr: $(head -c 600 "$T/err")"
}

# measured_run EXPECTED_RC ARGS...: runs $GALLEY, leaves stdout in $T/out and stderr in $T/err, and
# checks the exit code and, unless $SANITIZED is set, that nothing blows up: no run near a hang
# (10 s; killed at 60 s) and no peak memory over 100 MB (an alias bomb or a huge input must be
# refused early). These are bounds against runaway input, not speed targets: those live in bench/
# (a loaded machine must not fail a test).
measured_run() {
  local want=$1; shift
  read -r rc secs rss < <(timeout 60 python3 "$SRC/tests/cli/measure.py" "$T/out" "$T/err" "$GALLEY" "$@")
  [ "${rc:-hang}" = "$want" ] || { bad "exit ${rc:-hang}, expected $want; stderr: $(head -c 600 "$T/err")"; return; }
  if [ -z "${SANITIZED:-}" ]; then
    awk -v s="$secs" 'BEGIN { exit !(s < 10.0) }' || { bad "took ${secs}s: galley $*"; return; }
    awk -v m="$rss" 'BEGIN { exit !(m < 100) }' || { bad "peak RSS ${rss} MB: galley $*"; return; }
  fi
  ok
}

finish() {
  if [ -n "$only_case" ] && [ "$selected" = 0 ]; then
    echo "FAIL: no case matches CASE='$only_case' in $1"
    fail=$((fail + 1))
  fi
  echo "$1: $pass passed, $fail failed${SANITIZED:+ (sanitized)}"
  [ "$fail" -eq 0 ]
}
