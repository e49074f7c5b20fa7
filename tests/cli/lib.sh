# shellcheck shell=bash
# Assertions shared by the black-box scripts (sourced). They expect T (a scratch folder holding the
# last command's out and err), CASE (the case's name) and the counters pass and fail.
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $CASE: $*"; }
err_has() { grep -qF -- "$1" "$T/err" && ok || bad "stderr lacks '$1': $(head -c 600 "$T/err")"; }
out_has() { grep -qF -- "$1" "$T/out" && ok || bad "stdout lacks '$1': $(head -c 600 "$T/out")"; }
out_is() { [ "$(cat "$T/out")" = "$1" ] && ok || bad "stdout is '$(head -c 300 "$T/out")', expected '$1'"; }
one_error_line() { [ "$(grep -c '^galley: error: ' "$T/err")" -ge 1 ] && ok || bad "no 'galley: error:' line"; }
absent() { [ ! -e "$1" ] && ok || bad "$1 was created"; }
no_temp_left() { [ -z "$(find "$1" -maxdepth 1 -name '*.tmp*' -print -quit)" ] && ok || bad "a temporary file was left in $1"; }
