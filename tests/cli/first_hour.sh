#!/usr/bin/env bash
# Black-box tests of what a newcomer meets first: output for people on a terminal (and never on a
# pipe or in a file), the catalog's filters, the shared --format words, parse errors.
# Usage: first_hour.sh GALLEY SOURCE_DIR. A terminal is made with script(1) (util-linux).
set -uo pipefail
GALLEY=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
H100=(--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34)

# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
unset NO_COLOR GALLEY_NO_COLOR GALLEY_DATA GALLEY_LOG_LEVEL COLUMNS

# run EXPECTED_RC ARGS...: galley with stdout in $T/out and stderr in $T/err (neither a terminal).
run() {
  local want=$1 rc; shift
  "$GALLEY" "$@" > "$T/out" 2> "$T/err"
  rc=$?
  [ "$rc" = "$want" ] && ok || bad "exit $rc, expected $want: galley $*; stderr: $(head -c 600 "$T/err")"
}
# on_tty EXPECTED_RC ARGS...: galley on a terminal (stdout and stderr both), its screen in $T/out
# (carriage returns removed); COLUMNS is passed on when set.
on_tty() {
  local want=$1 rc; shift
  script -qec "$(printf '%q ' "$GALLEY" "$@")" /dev/null < /dev/null > "$T/screen"
  rc=$?
  tr -d '\r' < "$T/screen" > "$T/out"
  : > "$T/err"
  [ "$rc" = "$want" ] && ok || bad "exit $rc, expected $want on a terminal: galley $*; screen: $(head -c 600 "$T/out")"
}

# check_kind FILE: the kind of a YAML document.
check_kind() { sed -n 's/^kind: //p' "$1"; }

if ! command -v script > /dev/null; then
  echo "FAIL: script(1) (util-linux) is needed to test terminal output"
  exit 1
fi

begin recipe_on_a_terminal_is_a_summary
on_tty 0 recipe "${H100[@]}"
out_has "recipe eks-h100-ubuntu-training-kubeflow"
out_has "components (18, in deployment order)"
out_has "gpu-operator"
out_has "newest matching >=25.10 (recipes/overlays/base.yaml:31)"
out_has "karpenter-1-11-0-cpu-regression"
out_has "digest sha256:"
out_has "--format yaml"
out_lacks "apiVersion: galley.dev/v1alpha1"
digest=$("$GALLEY" recipe "${H100[@]}" --format json | jq -r .metadata.digest)
out_has "digest $digest"

begin recipe_summary_fits_the_terminal
COLUMNS=60 on_tty 0 recipe "${H100[@]}"
long=$(awk 'length($0) > 60' "$T/out" | head -1)
[ -z "$long" ] && ok || bad "a line is wider than 60 columns: $long"
out_has "..."

begin recipe_on_a_pipe_or_file_is_the_document
run 0 recipe "${H100[@]}"
cp "$T/out" "$T/piped.yaml"
out_has "apiVersion: galley.dev/v1alpha1"
on_tty 0 recipe "${H100[@]}" --format yaml
tr -d '\r' < "$T/screen" > "$T/tty.yaml"
same "$T/piped.yaml" "$T/tty.yaml"
on_tty 0 recipe "${H100[@]}" -o "$T/file.yaml"
same "$T/piped.yaml" "$T/file.yaml"
on_tty 0 recipe "${H100[@]}" --format json
out_has '"kind": "Recipe"'
run 0 recipe "${H100[@]}" --format table
out_has "components (18, in deployment order)"

begin recipe_goldens_unchanged
for args in "$SRC"/tests/golden/*.args; do
  read -ra words < <(sed -n 's/^# args: //p' "$args")
  run 0 recipe "${words[@]}"
  same "$T/out" "${args%.args}.yaml"
done

begin catalog_filters
run 0 catalog leaves --service eks --os al2023
out_has "eks-h100-al2023-training-kubeflow"
out_lacks "ubuntu"
out_has "12 leaves"
run 0 catalog leaves --intent inference --accelerator gb200 --format json
check '[ "$(jq length "$T/out")" -gt 0 ]' "no gb200 inference leaf"
check '[ "$(jq "[.[] | select(.criteria.intent != \"inference\" or .criteria.accelerator != \"gb200\")] | length" "$T/out")" = 0 ]' \
  "a leaf outside the filter was listed"
check '[ "$(jq "[.[] | select(.name == null or .maturity == null)] | length" "$T/out")" = 0 ]' "a leaf lacks name or maturity"
run 0 catalog --service gke --platform dynamo
out_has "gke-h100-cos-inference-dynamo"
out_lacks "eks-h100-ubuntu-training-kubeflow"
out_has "components"

begin catalog_table_fits_the_terminal
COLUMNS=50 on_tty 0 catalog
long=$(awk 'length($0) > 50' "$T/out" | head -1)
[ -z "$long" ] && ok || bad "a line is wider than 50 columns: $long"
run 0 catalog
long=$(awk 'length($0) > 50' "$T/out" | head -1)
[ -n "$long" ] && ok || bad "a pipe got a cut table"

begin catalog_filter_values_are_checked
run 2 catalog --service ekss
one_error_line
err_has 'unknown value "ekss"; allowed: eks, gke, aks, oke, kind, ocp, generic; did you mean "eks"?'
run 2 catalog leaves --platform dynamoo
err_has 'did you mean "dynamo"?'
run 2 catalog leaves --servce eks
err_has "did you mean --service?"

begin format_words_are_shared
for cmd in "catalog" "catalog leaves" "diff $SRC/examples/criteria/eks-h100-training.yaml $SRC/examples/criteria/eks-h100-training.yaml" \
           "recipe ${H100[*]}" "explain components.gpu-operator.version ${H100[*]}"; do
  # shellcheck disable=SC2086
  run 2 $cmd --format text
  err_has '"text" is not one of table, yaml, json'
done
run 2 verify "$T" --format yaml
err_has '"yaml" is not one of table, json'
run 2 validate --recipe x --snapshot y --format xml
err_has '"xml" is not one of table, json, junit, ctrf'
run 2 query --selector x "${H100[@]}" --format table
err_has '"table" is not one of yaml, json'
run 2 catalog --format 1
err_has '"1" is not one of table, yaml, json'

begin parse_errors_are_galley_errors
run 2 validate --recipe x
one_error_line
err_has "galley: error: --snapshot is required; galley validate --help lists the options"
run 2 diff a b c
err_has "galley: error: The following argument was not expected: c; galley diff --help"
run 2 recipe --nodes abc
err_has "galley: error: "
err_has "galley recipe --help"
run 2
err_has "galley: error: A subcommand is required; galley --help lists the options"
check '! grep -q "Run with --help" "$T/err"' "CLI11's own trailer is printed"
run 0 recipe --help
out_has "Usage: galley recipe"

# The sample node capture and cluster output of examples/, a recipe inferred from them.
E=$SRC/examples/snapshot
"$GALLEY" snapshot --from-capture "$E/h100-node" --from-kubectl-json "$E/eks-cluster/nodes.json" \
  --kubectl-version "$E/eks-cluster/version.json" --helm-releases "$E/eks-cluster/releases.json" \
  --objects-json "$E/eks-cluster/objects.json" --metrics "$E/eks-cluster/metrics.txt" \
  --resource-slices "$E/eks-cluster/resourceslices.json" -o "$T/snap.yaml" 2> /dev/null
"$GALLEY" recipe --snapshot "$T/snap.yaml" --intent training --platform kubeflow -o "$T/recipe.yaml" 2> /dev/null
V=(validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml")

begin validate_table_groups_by_status
run 1 "${V[@]}"
statuses=$(awk 'NR > 1 && NF > 0 && $1 ~ /^(pass|fail|not-applicable|could-not-verify)$/ { print $1 }' "$T/out" | uniq | tr '\n' ' ')
[ "$statuses" = "fail pass not-applicable " ] && ok || bad "statuses not grouped fail first: $statuses"
out_has "7 passed, 37 failed, 1 not applicable"

begin validate_only_filters_the_table
run 1 "${V[@]}" --only pass
check '! grep -q "^fail " "$T/out"' "a failed check shown with --only pass"
out_has "constraint/driver.version"
out_has "7 passed, 37 failed"
out_has "verdict: FAIL"
run 1 "${V[@]}" --only fail,could-not-verify
check '! grep -q "^pass " "$T/out"' "a passed check shown with --only fail"
run 2 "${V[@]}" --only fial
err_has '--only: "fial" is not one of fail, could-not-verify, pass, not-applicable; did you mean "fail"?'
run 2 "${V[@]}" --only fail --format json
err_has "--only: applies to the table"

begin validate_table_fits_the_terminal
COLUMNS=80 on_tty 1 "${V[@]}"
long=$(awk 'length($0) > 80' "$T/out" | head -1)
[ -z "$long" ] && ok || bad "a line is wider than 80 columns: $long"
out_has "fail  component/cert-manager"
out_has "    expected: v1.21.1 in cert-manager"
run 1 "${V[@]}" --format json
check '[ "$(jq -r ".spec.snapshots[0].results[] | select(.name == \"health/cert-manager\") | .expected" "$T/out" | wc -c)" -gt 80 ]' \
  "the JSON report lost the full text"
run 1 "${V[@]}"
out_has "STATUS  "
check '[ -n "$(awk "length(\$0) > 200" "$T/out")" ]' "a pipe got a cut table"

begin fleet_validate_progress_only_on_a_terminal
mkdir -p "$T/fleet"
cp "$T/snap.yaml" "$T/fleet/a.yaml"
cp "$T/snap.yaml" "$T/fleet/b.yaml"
script -qec "$(printf '%q ' "$GALLEY" "${V[@]:0:3}" --snapshot "$T/fleet") > $T/report.txt" /dev/null < /dev/null > "$T/screen"
grep -q "galley: checking 2/2 .*b.yaml" "$T/screen" && ok || bad "no progress on a terminal: $(cat -v "$T/screen")"
check '! grep -q "checking" "$T/report.txt"' "progress went to stdout"
check 'grep -q "totals: 2 snapshots" "$T/report.txt"' "no fleet totals"
run 1 "${V[@]:0:3}" --snapshot "$T/fleet"
check '[ ! -s "$T/err" ]' "stderr not a terminal, yet written: $(cat -v "$T/err")"

begin diff_colours_only_on_a_terminal
D=(diff "$SRC/examples/criteria/eks-h100-training.yaml" "$SRC/examples/criteria/gke-gb200-inference.yaml")
on_tty 1 "${D[@]}"
check 'grep -q $'"'"'^\e\[32m  + dynamo-platform'"'"' "$T/out"' "an addition is not green on a terminal"
check 'grep -q $'"'"'^\e\[31m  - '"'"' "$T/out"' "a removal is not red on a terminal"
NO_COLOR=1 on_tty 1 "${D[@]}"
check '! grep -q $'"'"'\e\['"'"' "$T/out"' "NO_COLOR ignored"
on_tty 1 --no-color "${D[@]}"
check '! grep -q $'"'"'\e\['"'"' "$T/out"' "--no-color ignored"
run 1 "${D[@]}"
check '! grep -q $'"'"'\e\['"'"' "$T/out"' "colour on a pipe"
out_has "  + dynamo-platform"

begin bundle_dry_run_writes_nothing
run 0 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/dry/deeper/helm" --dry-run
absent "$T/dry"
out_has "dry run: would write $T/dry/deeper/helm (a new folder)"
out_has "nothing was written"
out_has "deploy.sh"
check 'grep -q "^  0755  .*  deploy.sh$" "$T/out"' "deploy.sh not listed as executable"
cp "$T/out" "$T/dry.txt"
run 0 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/real"
# Every file the dry run listed is what the write put in the inventory (mode, size, sha256, path).
python3 - "$T/real/bundle.yaml" "$T/dry.txt" <<'PY' && ok || bad "the dry run's list differs from the written inventory"
import sys, re
inv = {}
mode = path = sha = size = None
for line in open(sys.argv[1]):
    m = re.match(r'\s*-? ?(mode|path|sha256|size): "?([^"\n]*)"?', line)
    if m:
        k, v = m.groups()
        if k == "mode": mode = v
        elif k == "path": path = v
        elif k == "sha256": sha = v
        elif k == "size":
            inv[path] = (mode, v, "sha256:" + sha)
listed = {}
for line in open(sys.argv[2]):
    parts = line.split()
    if len(parts) == 4 and parts[2].startswith("sha256:"):
        listed[parts[3]] = (parts[0], parts[1], parts[2])
listed.pop("bundle.yaml", None)
sys.exit(0 if listed == inv and inv else 1)
PY
cp -r "$T/real" "$T/real.before"
run 2 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/real" --dry-run
err_has "--force: $T/real already holds a bundle"
run 0 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/real" --dry-run --force
out_has "(replacing the bundle there)"
check 'diff -r "$T/real" "$T/real.before" > /dev/null' "a dry run changed the bundle"
mkdir -p "$T/notbundle" && echo x > "$T/notbundle/keep"
run 2 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/notbundle" --dry-run --force
err_has "is a non-empty folder that is not a Galley bundle"

begin outputs_replace_only_their_own_kind
echo precious > "$T/notes.txt"
run 2 recipe "${H100[@]}" -o "$T/notes.txt"
err_has "--force: $T/notes.txt exists and is not a Galley Recipe; replacing it needs this option"
check '[ "$(cat "$T/notes.txt")" = precious ]' "a file that is not a recipe was replaced"
run 2 snapshot --from-capture "$E/h100-node" -o "$T/notes.txt"
err_has "exists and is not a Galley Snapshot"
run 2 validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml" -o "$T/notes.txt" --format junit
err_has "exists and is not this command's output"
run 2 snapshot --from-capture "$E/h100-node" -o "$T/recipe.yaml"
err_has "exists and is not a Galley Snapshot"
check '[ "$(check_kind "$T/recipe.yaml")" = Recipe ]' "a recipe was replaced by a snapshot"
check '[ "$(cat "$T/notes.txt")" = precious ]' "a file that is not a report was replaced"
# Its own kind is replaced; --force replaces anything.
run 0 recipe --service eks --intent training -o "$T/recipe2.yaml"
run 0 recipe "${H100[@]}" -o "$T/recipe2.yaml"
same "$T/recipe2.yaml" "$T/piped.yaml"
run 1 validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml" -o "$T/report.xml" --format junit
run 1 validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml" -o "$T/report.xml" --format junit
run 2 validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml" -o "$T/report.xml" --format json
run 1 validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml" -o "$T/report.json" --format json
run 1 validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml" -o "$T/report.json" --format json
run 1 validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml" -o "$T/report.txt"
run 1 validate --recipe "$T/recipe.yaml" --snapshot "$T/snap.yaml" -o "$T/report.txt" --only fail
run 0 recipe "${H100[@]}" -o "$T/notes.txt" --force
same "$T/notes.txt" "$T/piped.yaml"

begin undeploy_sh_refuses_another_kube_context_and_unknown_arguments
run 0 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/ctx" --kube-context prod
mkdir -p "$T/fakebin"
printf '#!/bin/sh\n[ "$1 $2" = "config current-context" ] && { echo staging; exit 0; }\necho "kubectl $*"\n' > "$T/fakebin/kubectl"
printf '#!/bin/sh\necho "helm $*"\n' > "$T/fakebin/helm"
chmod +x "$T/fakebin/kubectl" "$T/fakebin/helm"
PATH="$T/fakebin:$PATH" bash "$T/ctx/undeploy.sh" > "$T/out" 2> "$T/err"
check '[ $? = 2 ]' "undeploy.sh ran against context staging"
err_has "undeploy.sh: this bundle is for context prod, not staging"
out_lacks "helm uninstall"
PATH="$T/fakebin:$PATH" bash "$T/ctx/undeploy.sh" --kube-context prod > "$T/out" 2> "$T/err" && ok || bad "refused its own context: $(cat "$T/err")"
out_has "helm uninstall gpu-operator --namespace gpu-operator --wait --ignore-not-found --kube-context prod"
PATH="$T/fakebin:$PATH" bash "$T/ctx/undeploy.sh" --any-context > "$T/out" 2> "$T/err" && ok || bad "--any-context refused"
out_has "helm uninstall"
for script in deploy undeploy; do
  PATH="$T/fakebin:$PATH" bash "$T/ctx/$script.sh" --kube-contxt prod > "$T/out" 2> "$T/err"
  check '[ $? = 2 ]' "$script.sh accepted an unknown argument"
  err_has "$script.sh: unknown argument --kube-contxt"
  out_lacks "helm"
  PATH="$T/fakebin:$PATH" bash "$T/ctx/$script.sh" --kube-context > "$T/out" 2> "$T/err"
  err_has "$script.sh: --kube-context needs a context name"
done
run 0 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/noctx"
PATH="$T/fakebin:$PATH" bash "$T/noctx/undeploy.sh" > "$T/out" 2> "$T/err" && ok || bad "a bundle naming no context refused: $(cat "$T/err")"
out_has "helm uninstall"

begin deploy_scripts_keep_to_bash_3_2
# bash 3.2 (macOS) stops on "${a[@]}" of an empty array under set -u: every array expansion must be
# guarded as ${a[@]+"${a[@]}"}. shellcheck judges the rest.
for script in "$T/ctx/deploy.sh" "$T/ctx/undeploy.sh" "$T/noctx/deploy.sh" "$T/noctx/undeploy.sh"; do
  all=$(grep -o '\[@\]' "$script" | wc -l)
  guarded=$(grep -oE '[$][{]([a-z_]+)\[@\][+]"[$][{]\1\[@\][}]"[}]' "$script" | wc -l)
  [ "$all" -gt 0 ] && [ "$all" = $((2 * guarded)) ] && ok || bad "$script: $all array expansions, $guarded guarded pairs"
  if command -v shellcheck > /dev/null; then
    shellcheck -S warning "$script" > "$T/sc.txt" 2>&1 && ok || bad "shellcheck $script: $(head -20 "$T/sc.txt")"
  else
    echo "note: shellcheck not installed; $script only checked for unguarded expansions"
  fi
done

begin snapshot_from_a_capture_tarball
export SOURCE_DATE_EPOCH=1780000000  # collectedAt is the clock's: both reads at one time
"$GALLEY" snapshot --from-capture "$E/h100-node" > "$T/from-folder.yaml"
tar -czf "$T/cap.tar.gz" -C "$E/h100-node" .           # as the capture script packs it
tar -czf "$T/cap.tgz" -C "$E" h100-node                # a tarball of the folder itself
run 0 snapshot --from-capture "$T/cap.tar.gz"
unset SOURCE_DATE_EPOCH
sed 's|(.*nvidia-smi.xml)|(XML)|' "$T/out" > "$T/a.yaml"
sed 's|(.*nvidia-smi.xml)|(XML)|' "$T/from-folder.yaml" > "$T/b.yaml"
same "$T/a.yaml" "$T/b.yaml"
out_has "nvidia-smi -q -x ($T/cap.tar.gz:nvidia-smi.xml)"
run 0 snapshot --from-capture "$T/cap.tgz"
out_has "nvidia-smi -q -x ($T/cap.tgz:h100-node/nvidia-smi.xml)"
left=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name '.galley-capture.unpack-*' -newer "$T/cap.tgz" 2> /dev/null | head -1)
[ -z "$left" ] && ok || bad "the unpacked capture was left in $left"
# Refused: an entry escaping the folder, a link, not a tarball, an oversized member, no root/.
mkdir -p "$T/evil" && echo x > "$T/evil/f"
tar -czf "$T/escape.tar.gz" -C "$T/evil" --transform 's|^f$|../f|' f 2> /dev/null
run 2 snapshot --from-capture "$T/escape.tar.gz" -o "$T/escape.yaml"
err_has "the tarball has a path with '..'"
absent "$T/escape.yaml"
ln -s /etc/passwd "$T/evil/link"
tar -czf "$T/link.tar.gz" -C "$T/evil" link
run 2 snapshot --from-capture "$T/link.tar.gz"
err_has "links are refused"
echo "not gzip" > "$T/bad.tar.gz"
run 2 snapshot --from-capture "$T/bad.tar.gz"
err_has "$T/bad.tar.gz: not a tar+gzip"
truncate -s 257M "$T/evil/big"
tar -czf "$T/big.tar.gz" -C "$T/evil" big
rm -f "$T/evil/big"
run 2 snapshot --from-capture "$T/big.tar.gz"
err_has "unpacks to more than the limit of 268435456 bytes"
tar -czf "$T/noroot.tar.gz" -C "$T/evil" f
run 3 snapshot --from-capture "$T/noroot.tar.gz"
err_has "--from-capture: $T/noroot.tar.gz is not a capture folder"

begin completion_knows_the_new_words
"$GALLEY" completion bash > "$T/galley.bash"
complete_words() {  # complete_words WORD...: the completions of the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _galley; echo "${COMPREPLY[*]}"' _ "$T/galley.bash" galley "$@"
}
for case in "catalog l=leaves" "catalog leaves --service gk=gke" "validate --only f=fail" "bundle --dry=--dry-run" \
            "recipe --forc=--force" "explain x --format t=table"; do
  read -ra words <<< "${case%%=*}"
  last=${case%%=*}; last=${last##* }
  got=$(complete_words "${words[@]:0:${#words[@]}-1}" "$last")
  [ "$got" = "${case#*=}" ] && ok || bad "completing '${case%%=*}' gave '$got'"
done
"$GALLEY" completion fish > "$T/galley.fish"
check 'grep -q "__fish_seen_subcommand_from catalog. -a leaves" "$T/galley.fish"' "fish does not complete catalog leaves"

begin timestamp_query_out_is_not_replaced_without_force
"$GALLEY" keygen --out "$T/ts" > /dev/null
run 0 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/signed" --sign --key "$T/ts.key"
echo precious > "$T/query.tsq"
run 2 timestamp "$T/signed" --query-out "$T/query.tsq"
err_has "--force: $T/query.tsq exists; replacing it needs this option"
check '[ "$(cat "$T/query.tsq")" = precious ]' "the existing file was replaced"
run 0 timestamp "$T/signed" --query-out "$T/query.tsq" --force
check '[ "$(head -c 1 "$T/query.tsq" | od -An -tx1 | tr -d " ")" = 30 ]' "the query is not DER"
run 2 timestamp "$T/signed" --query-out -
err_has "--query-out names a file to write"

finish first_hour
