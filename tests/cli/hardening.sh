#!/usr/bin/env bash
# Hardening (issue 16): every reproduction of a crash, a hang, an escape, a data loss or a printed
# secret, run against the real binary. Each case asserts a clean refusal (exit code and message)
# within run()'s bounds (10 s, 100 MB). Usage: hardening.sh GALLEY SOURCE_DIR [sanitized]
set -uo pipefail
GALLEY=$1
SRC=$2
SANITIZED=${3:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
H100=(--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34)

# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
unset NO_COLOR GALLEY_NO_COLOR GALLEY_DATA GALLEY_LOG_LEVEL

run() { measured_run "$@"; }  # tests/lib.sh: exit code, 10 s and 100 MB bounds
err_has() { grep -qF -- "$1" "$T/err" && ok || bad "stderr lacks \"$1\": $(head -c 300 "$T/err")"; }
err_lacks() { grep -qF -- "$1" "$T/err" && bad "stderr shows \"$1\"" || ok; }
long() { python3 -c "print('$1' * $2, end='')"; }
criteria() {  # criteria FILE NAME [EXTRA-SPEC-LINE]
  printf 'apiVersion: galley.dev/v1alpha1\nkind: Criteria\nmetadata:\n  name: %s\nspec:\n  service: eks\n%s\n' "$2" "${3:-}" > "$1"
}

begin long_name_in_criteria_is_refused_not_a_crash
criteria "$T/c.yaml" "$(long a 200000)"
run 2 recipe --criteria "$T/c.yaml"
err_has "metadata.name"

begin nesting_100000_deep_is_refused_by_the_limit
python3 -c "print('a: ' + '[' * 100000 + ']' * 100000)" > "$T/deep.yaml"
run 2 recipe --criteria "$T/deep.yaml"
err_has "deep.yaml:1: nesting deeper than 128 levels"

begin a_16_mb_flow_list_is_refused_fast_with_little_memory
python3 -c "print('[' + ','.join(['1'] * 8000000) + ']')" > "$T/flow.yaml"
run 2 recipe --criteria "$T/flow.yaml"
err_has "more than 1000000 nodes"

begin a_lone_comma_is_refused_not_a_hang
printf ',' > "$T/comma.yaml"
run 2 recipe --criteria "$T/comma.yaml"
err_has "invalid YAML"

begin yaml_tags_are_refused
criteria "$T/t.yaml" x '  extra: !!python/object:os.system {a: 1}'
run 2 recipe --criteria "$T/t.yaml"
err_has "unsupported tag"
criteria "$T/t.yaml" x '  os: !custom ubuntu'
run 2 recipe --criteria "$T/t.yaml"
err_has "unsupported tag"

begin a_long_key_is_refused
criteria "$T/k.yaml" x "  \"$(long k 200000)\": eks"
run 2 recipe --criteria "$T/k.yaml"

begin long_oci_references_are_refused_not_a_crash
run 2 pull "oci://$(long a 120000)/x:v1" -o "$T/p"
err_has "is not HOST[:PORT]"
check '[ "$(wc -c < "$T/err")" -lt 2000 ]' "the message echoes the whole reference ($(wc -c < "$T/err") bytes)"
run 2 pull "oci://localhost:5000/$(long a 120000):v1" -o "$T/p"
run 2 pull "oci://localhost:5000/x/$(long 'a-' 60000)b:v1" -o "$T/p"

begin a_fifo_with_no_writer_never_hangs
mkfifo "$T/fifo.yaml"
run 2 recipe --criteria "$T/fifo.yaml"
err_has "a FIFO nothing was written to within 5 s"

begin a_device_is_not_read_as_a_file
run 2 recipe --criteria /dev/zero
err_has "not a regular file"

begin output_onto_a_fifo_is_refused_and_left_a_fifo
mkfifo "$T/out.fifo"
run 2 recipe "${H100[@]}" -o "$T/out.fifo"
check '[ -p "$T/out.fifo" ]' "the FIFO was replaced"

begin a_replaced_output_keeps_its_mode
echo old > "$T/secret.yaml"
chmod 600 "$T/secret.yaml"
run 0 recipe "${H100[@]}" -o "$T/secret.yaml" --force
check '[ "$(stat -c %a "$T/secret.yaml")" = 600 ]' "mode became $(stat -c %a "$T/secret.yaml")"

begin url_passwords_are_never_printed
run 2 pull "oci://user:s3cret-pw@127.0.0.1:1/x:v1" -o "$T/p"
err_lacks "s3cret-pw"
run 2 push "$T" "oci://user:s3cret-pw@127.0.0.1:1/x:v1"
err_lacks "s3cret-pw"

begin keygen_refuses_an_empty_or_folder_out
mkdir -p "$T/kd"
run 2 keygen --out ''
run 2 keygen --out "$T/kd/"
check '[ -z "$(ls -A "$T/kd")" ]' "keygen wrote $(ls -A "$T/kd")"
run 2 keygen --out "$T/kd"
check '[ -z "$(ls -A "$T/kd")" ]' "keygen wrote $(ls -A "$T/kd")"

begin keygen_leaves_no_temporary_files
mkdir -p "$T/kk"
run 0 keygen --out "$T/kk/k"
check '[ "$(ls -A "$T/kk" | sort | tr "\n" " ")" = "k.key k.pub " ]' "left $(ls -A "$T/kk")"

begin a_symlinked_folder_in_templates_is_refused
mkdir -p "$T/outside" "$T/tpl"
echo "PRIVATE-MATERIAL" > "$T/outside/README.md.mustache"
ln -s "$T/outside" "$T/tpl/helm"
run 0 recipe "${H100[@]}" -o "$T/r.yaml"
run 2 bundle --recipe "$T/r.yaml" --deployer helm -o "$T/b" --templates "$T/tpl"
err_has "link"
check '[ ! -e "$T/b" ]' "a bundle was written"

begin a_symlink_loop_in_data_is_refused_by_name
mkdir -p "$T/data/values"
ln -s loop "$T/data/values/loop"
run 2 --data "$T/data" recipe "${H100[@]}"
err_has "symbolic links are not allowed"

begin bundle_force_leaves_no_debris
run 0 bundle --recipe "$T/r.yaml" --deployer helm -o "$T/bf"
run 0 bundle --recipe "$T/r.yaml" --deployer helm -o "$T/bf" --force
check '[ -z "$(ls -A "$T" | grep "^\.bf\.")" ]' "debris beside the bundle: $(ls -A "$T" | grep "^\.bf\.")"

begin a_clean_bundle_to_push
run 0 bundle --recipe "$T/r.yaml" --deployer helm -o "$T/bf2"

begin bundle_force_never_deletes_files_the_inventory_does_not_list
mkdir -p "$T/bf/.git"
echo "my notes" > "$T/bf/NOTES.txt"
echo "ref" > "$T/bf/.git/HEAD"
run 2 bundle --recipe "$T/r.yaml" --deployer helm -o "$T/bf" --force
err_has "left untouched"
check '[ -f "$T/bf/NOTES.txt" ] && [ -f "$T/bf/.git/HEAD" ]' "the user's files were deleted"

begin bundle_force_needs_more_than_a_bundle_yaml_header
mkdir -p "$T/fake"
head -2 "$T/bf/bundle.yaml" > "$T/fake/bundle.yaml"
echo "keep me" > "$T/fake/data.txt"
run 2 bundle --recipe "$T/r.yaml" --deployer helm -o "$T/fake" --force
check '[ -f "$T/fake/data.txt" ]' "the folder was wiped"

begin verify_refuses_an_extra_empty_folder_in_a_signed_bundle
run 0 keygen --out "$T/sk"
run 0 bundle --recipe "$T/r.yaml" --deployer helm -o "$T/sb" --sign --key "$T/sk.key"
run 0 verify "$T/sb" --key "$T/sk.pub"
mkdir "$T/sb/extra"
run 1 verify "$T/sb" --key "$T/sk.pub"
grep -qF "extra/" "$T/out" && ok || bad "the extra folder is not named: $(head -c 300 "$T/out")"

begin verify_quotes_names_with_newlines
rmdir "$T/sb/extra"
touch "$T/sb/$(printf 'x\nVERIFIED')"
run 1 verify "$T/sb" --key "$T/sk.pub"
check '! grep -qx "VERIFIED" "$T/out" "$T/err"' "a file name forged a line reading VERIFIED"
rm -f "$T/sb/$(printf 'x\nVERIFIED')"
touch "$T/sb/$(printf 'bad\377name')"
run 1 verify "$T/sb" --key "$T/sk.pub" --format json
check 'jq -e . "$T/out" > /dev/null' "--format json output is not JSON: $(head -c 300 "$T/out") $(head -c 300 "$T/err")"

begin push_into_a_layout_whose_blobs_is_a_link_is_refused
run 0 push "$T/bf2" --oci-layout "$T/lay" --tag v1
mkdir -p "$T/elsewhere"
mv "$T/lay/blobs" "$T/elsewhere/blobs"
ln -s "$T/elsewhere/blobs" "$T/lay/blobs"
before=$(find "$T/elsewhere" | wc -l)
run 2 push "$T/bf2" --oci-layout "$T/lay" --tag v2
err_has "link"
check '[ "$(find "$T/elsewhere" | wc -l)" = "$before" ]' "files were written outside the layout"

begin concurrent_pushes_into_one_layout_keep_every_tag
run 0 push "$T/bf2" --oci-layout "$T/lay2" --tag v0
for i in 1 2 3 4 5 6 7 8; do "$GALLEY" push "$T/bf2" --oci-layout "$T/lay2" --tag "t$i" > /dev/null 2>&1 & done
wait
tags=$(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$T/lay2/index.json" | sort | tr '\n' ' ')
check '[ "$tags" = "t1 t2 t3 t4 t5 t6 t7 t8 v0 " ]' "tags in index.json: $tags"

begin a_long_branch_is_refused_not_a_crash
run 2 publish "$T/bf2" --git "file://$T/repo.git" --branch "$(long b 120000)" --path .
err_has "is not a branch name"

begin git_url_passwords_are_never_printed
run 5 publish "$T/bf2" --git "http://user:g1t-secret@127.0.0.1:1/x.git" --branch main --path .
err_lacks "g1t-secret"

begin a_truncated_docker_auth_is_never_echoed
mkdir -p "$T/docker"
printf '{"auths": {"127.0.0.1:1": {"auth": "dXNlcjpzdXBlcnNlY3JldHBhc3N3b3Jk' > "$T/docker/config.json"
DOCKER_CONFIG="$T/docker" run 2 pull "oci://127.0.0.1:1/x:v1" -o "$T/p"
err_lacks "dXNlcjpzdXBlcnNlY3JldHBhc3N3b3Jk"
err_lacks "dXNlcjpz"

begin private_key_material_in_a_trust_policy_is_never_echoed
openssl genpkey -algorithm ed25519 -out "$T/ed.key" 2> /dev/null
body=$(sed -n 2p "$T/ed.key")
{
  printf 'apiVersion: galley.dev/v1alpha1\nkind: TrustPolicy\nmetadata:\n  name: p\nspec:\n  keys:\n    - name: k\n      publicKey: |\n'
  sed 's/^/        /' "$T/ed.key"
} > "$T/trust.yaml"
run 2 verify "$T/sb" --trust "$T/trust.yaml"
err_lacks "${body:0:24}"

begin a_huge_www_authenticate_header_is_refused_not_a_crash
python3 - "$T/port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Bearer realm="http://127.0.0.1/token",service="' + "s" * 90000 + '"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_HEAD = do_GET
    def log_message(self, *a):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(server.server_port))
server.timeout = 20
for _ in range(10):
    server.handle_request()
PY
server=$!
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
run 2 pull "oci://127.0.0.1:$(cat "$T/port")/x:v1" -o "$T/p" --plain-http
err_has "headers are larger than the limit"
kill "$server" 2> /dev/null
wait "$server" 2> /dev/null

begin kubectl_json_numbers_out_of_range_and_long_names_are_named
F="$SRC/tests/fixtures/snapshot/eks-cluster"
printf '{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Node", "metadata": {"name": "n"}, "x": 1e999}]}' > "$T/nodes-1e999.json"
run 2 snapshot --skip-node --from-kubectl-json "$T/nodes-1e999.json" --kubectl-version "$F/version.json"
err_has "nodes-1e999.json:1: number 1e999 is out of range"
python3 -c "import json; print(json.dumps({'apiVersion': 'v1', 'kind': 'List', 'items': [{'kind': 'Node', 'metadata': {'name': 'n' * 200000}}]}))" > "$T/nodes-long.json"
run 2 snapshot --skip-node --from-kubectl-json "$T/nodes-long.json" --kubectl-version "$F/version.json"
check '[ "$(wc -c < "$T/err")" -lt 2000 ]' "the message echoes the name ($(wc -c < "$T/err") bytes)"

finish hardening
