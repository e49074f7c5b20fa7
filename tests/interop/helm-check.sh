#!/usr/bin/env bash
# helm-check.sh: a Helm bundle judged by real helm (every binary in BIN_DIR named helm*), offline:
#  - each chart (a folder with Chart.yaml): yamllint, `helm lint --strict`, `helm template`, and the
#    rendered objects through k8s-check.mjs;
#  - each values file: yamllint, and each helm reads it as values of an empty probe chart;
#  - each *.sh: `bash -n` and shellcheck (warnings fail);
#  - deploy*.sh / undeploy*.sh run with helm and kubectl shims first on PATH: every helm command line
#    goes to the real helm against a cluster that does not exist (127.0.0.1:9), in an empty network
#    namespace when one can be made. helm parses flags and arguments before it reaches out, so an
#    error about the cluster or the network means it accepted the line; any other error rejects it.
# Usage: helm-check.sh BIN_DIR BUNDLE_DIR. Exit: 0 all passed, 1 a check failed, 2 bad usage.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "${1:?usage: helm-check.sh BIN_DIR BUNDLE_DIR}" && pwd)
dir=$(cd "${2:?usage: helm-check.sh BIN_DIR BUNDLE_DIR}" && pwd)
helms=("$bin"/helm*)
[ -x "${helms[0]}" ] || { echo "helm-check: no helm in $bin (run scripts/setup-interop.sh)"; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-helm.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HELM_CACHE_HOME=$work/cache HELM_CONFIG_HOME=$work/config HELM_DATA_HOME=$work/data KUBECONFIG=$work/kubeconfig
printf '%s\n' 'apiVersion: v1' 'kind: Config' 'current-context: none' \
  'clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]' 'users: [{name: none, user: {token: none}}]' \
  'contexts: [{name: none, context: {cluster: none, user: none}}]' >"$KUBECONFIG"
offline=(); unshare -n true 2>/dev/null && offline=(unshare -n)
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
lint() { yamllint -f parsable -d '{rules: {key-duplicates: enable, truthy: disable}}' "$@"; }
name() { local r=${1#"$dir"/}; echo "${r:-.}"; }

while IFS= read -r chart; do
  c=$(dirname "$chart")
  if out=$(lint "$chart" "$c"/values*.yaml 2>&1); then pass "$(name "$c"): yamllint"; else fail "$(name "$c"): yamllint"; echo "$out"; fi
  for h in "${helms[@]}"; do
    if out=$("${offline[@]}" "$h" lint --strict "$c" 2>&1); then pass "$(name "$c"): $(basename "$h") lint --strict"
    else fail "$(name "$c"): $(basename "$h") lint --strict"; echo "$out"; fi
    if "${offline[@]}" "$h" template check "$c" --include-crds >"$work/rendered.yaml" 2>"$work/err" &&
       node "$here/k8s-check.mjs" "$work/rendered.yaml" >"$work/k8s" 2>&1; then pass "$(name "$c"): $(basename "$h") template, objects valid"
    else fail "$(name "$c"): $(basename "$h") template"; cat "$work/err" "$work/k8s" 2>/dev/null | tail -20; fi
  done
done < <(find "$dir" -name Chart.yaml | sort)

mkdir -p "$work/probe/templates"
printf 'apiVersion: v2\nname: probe\nversion: 0.1.0\n' >"$work/probe/Chart.yaml"
while IFS= read -r v; do
  [ -f "$(dirname "$v")/Chart.yaml" ] && continue
  if out=$(lint "$v" 2>&1); then pass "$(name "$v"): yamllint"; else fail "$(name "$v"): yamllint"; echo "$out"; fi
  for h in "${helms[@]}"; do
    if out=$("$h" template probe "$work/probe" -f "$v" 2>&1 >/dev/null); then pass "$(name "$v"): $(basename "$h") reads it"
    else fail "$(name "$v"): $(basename "$h") reads it"; echo "$out"; fi
  done
done < <(find "$dir" \( -name 'values*.yaml' -o -name '*-values.yaml' \) | sort)

# The shims: helm hands its argv to the real helm ($REAL_HELM) and logs a verdict in $SHIM_LOG;
# kubectl checks that the files it is given exist and does nothing else.
mkdir -p "$work/shims"
cat >"$work/shims/helm" <<'EOF'
#!/usr/bin/env bash
for a in "$@"; do case $a in repo|pull|push|registry|search|dependency|plugin|show|package) echo "skipped helm $*" >>"$SHIM_LOG"; exit 0 ;; -*) ;; *) break ;; esac; done
prev=""
for a in "$@"; do
  case $prev in -f|--values) [ -e "$a" ] || { echo "rejected helm $*: no values file $a" >>"$SHIM_LOG"; exit 0; } ;; esac
  prev=$a
done
out=$("$REAL_HELM" "$@" 2>&1) && { echo "ok helm $*" >>"$SHIM_LOG"; exit 0; }
if grep -qiE 'cluster unreachable|connection refused|network is unreachable|dial tcp|no such host|i/o timeout' <<<"$out"; then
  echo "accepted helm $*" >>"$SHIM_LOG"
else echo "rejected helm $*: $(head -3 <<<"$out" | tr '\n' ' ')" >>"$SHIM_LOG"; fi
exit 0
EOF
cat >"$work/shims/kubectl" <<'EOF'
#!/usr/bin/env bash
prev=""
for a in "$@"; do
  case $prev in -f|--filename|-k) [ -e "$a" ] || [ "$a" = - ] || { echo "rejected kubectl $*: no file $a" >>"$SHIM_LOG"; exit 1; } ;; esac
  prev=$a
done
echo "kubectl $*" >>"$SHIM_LOG"
EOF
chmod +x "$work/shims/helm" "$work/shims/kubectl"

while IFS= read -r s; do
  if out=$(bash -n "$s" 2>&1); then pass "$(name "$s"): bash -n"; else fail "$(name "$s"): bash -n"; echo "$out"; fi
  if out=$(shellcheck -S warning "$s" 2>&1); then pass "$(name "$s"): shellcheck"; else fail "$(name "$s"): shellcheck"; echo "$out"; fi
  case $(basename "$s") in *deploy*.sh) ;; *) continue ;; esac
  for h in "${helms[@]}"; do
    log="$work/shim.log"; : >"$log"
    out=$(cd "$(dirname "$s")" && SHIM_LOG=$log REAL_HELM=$h PATH="$work/shims:$PATH" timeout 300 "${offline[@]}" bash "$s" </dev/null 2>&1); rc=$?
    calls=$(grep -c '^\(ok\|accepted\|rejected\) helm' "$log")
    if [ $rc = 0 ] && [ "$calls" -gt 0 ] && ! grep -q '^rejected' "$log"; then pass "$(name "$s"): $calls helm call(s) accepted by $(basename "$h")"
    else fail "$(name "$s") under $(basename "$h") (exit $rc, $calls helm calls)"; grep '^rejected' "$log"; echo "$out" | tail -5; fi
  done
done < <(find "$dir" -name '*.sh' | sort)
echo "helm-check: $passed passed, $failed failed"
[ "$failed" = 0 ]
