#!/usr/bin/env bash
# Black-box tests of galley push / pull (and publish when built) against real servers: Debian's
# docker-registry and git daemon started on 127.0.0.1 by tests/interop's registry.sh and
# git-server.sh (and stopped here), layouts and pushed artifacts judged by skopeo/umoci
# (oci-check.sh), repositories by git (git-check.sh).
# usage: blackbox.sh GALLEY SOURCE_DIR
set -uo pipefail
galley=$(realpath "$1"); src=$(realpath "$2"); eco=$src/tests/interop
for tool in docker-registry skopeo umoci git jq; do
  command -v $tool >/dev/null || { echo "FAIL: deliver: $tool is missing (run scripts/setup-interop.sh)"; exit 1; }
done
T=$(mktemp -d /tmp/galley-deliver-XXXXXX); cd "$T"
pids=()
# shellcheck source=tests/lib.sh
source "$src/tests/lib.sh"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  bash "$eco/registry.sh" stop "$T/reg" >/dev/null 2>&1
  [ -f "$T/git/server.pid" ] && bash "$eco/git-server.sh" stop "$T/git" >/dev/null 2>&1
  rm -rf "$T" /tmp/galley-evil-* 2>/dev/null
}
trap cleanup EXIT
# expect NAME CODE 'MESSAGE' CMD...: exit code and a stderr fragment.
expect() {
  local name=$1 code=$2 msg=$3; shift 3
  "$@" >out.txt 2>err.txt; local rc=$?
  if [ "$rc" = "$code" ] && grep -qF -- "$msg" err.txt; then ok "$name (exit $rc)"; else
    bad "$name: exit $rc (want $code), stderr: $(head -c 400 err.txt) (want '$msg')"; fi
}

export SOURCE_DATE_EPOCH=1700000000
"$galley" bundle --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34 \
  --deployer argocd -o b --repo-url https://git.example.com/gitops.git >/dev/null 2>&1 || { bad "galley bundle"; exit 1; }

begin oci_image_layout
d1=$("$galley" push b --oci-layout lay --tag v1) && ok "push --oci-layout" || bad "push --oci-layout"
d2=$("$galley" push b --oci-layout lay2 --tag v1)
[ -n "$d1" ] && [ "$d1" = "$d2" ] && ok "same bundle, same manifest digest ($d1)" || bad "digests differ: $d1 $d2"
cp -r b b-copy; touch -d '2001-01-01' b-copy/README.md; chmod 600 b-copy/recipe.yaml
d3=$("$galley" push b-copy --oci-layout lay3 --tag v1)
[ "$d1" = "$d3" ] && ok "a copy with other times and modes: same digest" || bad "copy digest differs: $d3"
d4=$(SOURCE_DATE_EPOCH=1700000001 "$galley" push b --oci-layout lay4 --tag v1)
[ "$d1" != "$d4" ] && ok "another SOURCE_DATE_EPOCH changes the created annotation" || bad "created not in digest"
jq -e '.artifactType == "application/vnd.galley.bundle.v1" and .config.data == "e30=" and
       .annotations["org.opencontainers.image.created"] == "2023-11-14T22:13:20Z" and
       (.annotations["dev.galley.recipe.digest"] | startswith("sha256:"))' "lay/blobs/sha256/${d1#sha256:}" >/dev/null \
  && ok "manifest fields" || bad "manifest fields: $(cat "lay/blobs/sha256/${d1#sha256:}")"
if bash "$eco/oci-check.sh" lay:v1 >check.txt 2>&1; then ok "oci-check.sh layout ($(tail -1 check.txt))"; else bad "oci-check.sh layout"; cat check.txt; fi

begin registry
addr=$(bash "$eco/registry.sh" start "$T/reg") || { bad "registry start"; exit 1; }
p1=$("$galley" push b "oci://$addr/gpu/bundle:v1" --plain-http 2>err.txt)
[ "$p1" = "$d1" ] && ok "push to the registry prints the layout's digest" || bad "push: $p1 $(cat err.txt)"
p2=$("$galley" push b "oci://$addr/gpu/bundle:v1" --plain-http)
[ "$p2" = "$d1" ] && ok "push again (manifest exists): same digest" || bad "re-push: $p2"
p3=$("$galley" push b "oci://$addr/gpu/bundle:v2" --plain-http)
[ "$p3" = "$d1" ] && ok "push under another tag (blobs exist): same digest" || bad "push v2: $p3"
if bash "$eco/oci-check.sh" lay:v1 "$addr/gpu/bundle:v1" >check.txt 2>&1; then ok "oci-check.sh layout + registry ($(tail -1 check.txt))"
else bad "oci-check.sh registry"; cat check.txt; fi
# Progress only when stderr is a terminal (script(1) makes one); never on a pipe or in a file.
"$galley" push b "oci://$addr/gpu/bundle:v3" --plain-http >/dev/null 2>err.txt
[ ! -s err.txt ] && ok "push: no progress when stderr is not a terminal" || bad "push wrote to a non-terminal stderr: $(cat err.txt)"
script -qec "'$galley' push b oci://$addr/gpu/bundle:v3 --plain-http" /dev/null </dev/null >screen.txt
grep -q "galley: exists" screen.txt && grep -qF "$d1" screen.txt && ok "push: progress on a terminal, then the digest" \
  || bad "push on a terminal: $(cat -v screen.txt)"
script -qec "'$galley' pull oci://$addr/gpu/bundle:v3 -o tty-pulled --plain-http" /dev/null </dev/null >screen.txt
grep -q "galley: fetching" screen.txt && grep -q "pulled sha256:" screen.txt && ok "pull: progress on a terminal" \
  || bad "pull on a terminal: $(cat -v screen.txt)"
"$galley" pull "oci://$addr/gpu/bundle:v3" -o pipe-pulled --plain-http >/dev/null 2>err.txt
[ ! -s err.txt ] && ok "pull: no progress when stderr is not a terminal" || bad "pull wrote to a non-terminal stderr: $(cat err.txt)"
"$galley" pull "oci://$addr/gpu/bundle:v1" -o pulled --plain-http >/dev/null 2>err.txt && diff -r b pulled >/dev/null \
  && ok "pull by tag gives the same files" || bad "pull by tag: $(cat err.txt)"
[ "$(stat -c %a pulled/README.md)" = 644 ] && ok "pulled modes normalised" || bad "pulled mode $(stat -c %a pulled/README.md)"
"$galley" pull "oci://$addr/gpu/bundle@$d1" -o pulled2 --plain-http >/dev/null && diff -r b pulled2 >/dev/null \
  && ok "pull by digest" || bad "pull by digest"
no_temp_left .

begin signed_bundles_travel_with_their_attestation
if "$galley" --help | grep -qE "^ +keygen "; then
  "$galley" keygen --out k >/dev/null 2>&1 && "$galley" keygen --out other >/dev/null 2>&1
  "$galley" bundle --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34 \
    --deployer helm -o sb --sign --key k.key >/dev/null 2>&1
  ds=$("$galley" push sb "oci://$addr/gpu/signed:v1" --plain-http)
  n=$(skopeo inspect --tls-verify=false --raw "docker://$addr/gpu/signed:v1" | jq '.layers | length')
  [ "$n" = 2 ] && ok "a signed bundle has the attestation as a second layer" || bad "layers: $n"
  "$galley" pull "oci://$addr/gpu/signed@$ds" -o spulled --plain-http --verify --key k.pub >/dev/null 2>err.txt \
    && cmp sb/attestation.sigstore.json spulled/attestation.sigstore.json && ok "pull --verify --key" || bad "pull --verify: $(cat err.txt)"
  expect "pull --verify with another key" 1 "does not verify" "$galley" pull "oci://$addr/gpu/signed:v1" -o sbad --plain-http --verify --key other.pub
  absent sbad
fi

begin authentication
for mode in basic bearer; do
  python3 "$src/tests/deliver/auth_proxy.py" $mode "$addr" alice s3cret "$T/port-$mode" & pids+=($!)
  for _ in $(seq 50); do [ -f "$T/port-$mode" ] && break; sleep 0.1; done
  a="127.0.0.1:$(cat "$T/port-$mode")"
  expect "$mode: 401 without credentials" 5 "401" "$galley" push b "oci://$a/gpu/auth-$mode:v1" --plain-http
  expect "$mode: wrong password" 5 "refused the credentials" sh -c "echo nope | '$galley' push b oci://$a/gpu/auth-$mode:v1 --plain-http --username alice --password-stdin"
  skopeo inspect --tls-verify=false --raw "docker://$addr/gpu/auth-$mode:v1" >/dev/null 2>&1 \
    && bad "$mode: a refused push left a manifest" || ok "$mode: nothing visible after the refused push"
  r=$(echo s3cret | "$galley" push b "oci://$a/gpu/auth-$mode:v1" --plain-http --username alice --password-stdin 2>err.txt)
  [ "$r" = "$d1" ] && ok "$mode: push with --username/--password-stdin" || bad "$mode: push with credentials: $(cat err.txt)"
  mkdir -p "dc-$mode"; printf '{"auths":{"%s":{"auth":"%s"}}}' "$a" "$(printf alice:s3cret | base64)" >"dc-$mode/config.json"
  DOCKER_CONFIG="$T/dc-$mode" "$galley" pull "oci://$a/gpu/auth-$mode:v1" -o "auth-$mode" --plain-http >/dev/null 2>err.txt \
    && ok "$mode: pull with ~/.docker/config.json credentials" || bad "$mode: pull with docker config: $(cat err.txt)"
done

begin pull_from_an_oci_layout
"$galley" pull oci-layout:lay:v1 -o from-layout >/dev/null 2>err.txt && diff -r b from-layout >/dev/null \
  && ok "pull oci-layout:DIR:TAG gives the pushed files" || bad "pull from layout: $(cat err.txt)"
"$galley" pull oci-layout:lay -o from-layout2 >/dev/null 2>err.txt && diff -r b from-layout2 >/dev/null \
  && ok "pull oci-layout:DIR takes the only manifest" || bad "pull from layout, no tag: $(cat err.txt)"
# A layout written by skopeo (a third party) from the registry copy reads the same.
skopeo copy --quiet --src-tls-verify=false "docker://$addr/gpu/bundle:v1" "oci:skolay:v7" >/dev/null 2>&1 || bad "skopeo copy to a layout"
"$galley" pull oci-layout:skolay:v7 -o from-skopeo >/dev/null 2>err.txt && diff -r b from-skopeo >/dev/null \
  && ok "a layout written by skopeo" || bad "pull from skopeo's layout: $(cat err.txt)"
expect "layout without the tag" 3 'no manifest tagged "v9"' "$galley" pull oci-layout:lay:v9 -o lt1
absent lt1
expect "not a layout" 3 "oci-layout marker" "$galley" pull oci-layout:b -o lt2
absent lt2
cp -r lay lay-tampered
ltl=$(jq -r '.layers[0].digest' "lay/blobs/sha256/${d1#sha256:}"); ltl=${ltl#sha256:}
chmod u+w "lay-tampered/blobs/sha256/$ltl"; printf 'X' | dd of="lay-tampered/blobs/sha256/$ltl" bs=1 seek=100 conv=notrunc 2>/dev/null
expect "layout blob digest mismatch" 1 "blob digest mismatch" "$galley" pull oci-layout:lay-tampered:v1 -o lt3
absent lt3
rm "lay-tampered/blobs/sha256/$ltl"
expect "layout blob missing" 3 "is not in the layout" "$galley" pull oci-layout:lay-tampered:v1 -o lt4
absent lt4
no_temp_left .

begin bad_input
expect "unreachable registry" 5 "fetching the manifest" "$galley" pull oci://127.0.0.1:9/gpu/bundle:v1 -o unreach --plain-http
absent unreach
# A folder made for the output is removed again when the command fails: nothing is left behind.
expect "unreachable registry, output under missing folders" 5 "fetching the manifest" "$galley" pull oci://127.0.0.1:9/gpu/bundle:v1 -o new/deeper/unreach --plain-http
absent new
expect "push to an unreachable registry" 5 "checking the manifest" "$galley" push b oci://127.0.0.1:9/gpu/bundle:v1 --plain-http
expect "no such tag" 3 "no such manifest" "$galley" pull "oci://$addr/gpu/bundle:nope" -o nf --plain-http
expect "bad reference" 2 "oci://" "$galley" push b "docker://$addr/x:v1"
expect "reference without a tag" 2 "no :TAG" "$galley" pull "oci://$addr/gpu/bundle" -o x --plain-http
expect "not a bundle" 2 "not a Galley bundle" "$galley" push "$T/reg" --oci-layout notb
absent notb
cp -r b sym; ln -s /etc/passwd sym/passwd
expect "a symlink in the bundle" 2 "symbolic link" "$galley" push sym --oci-layout symlay
absent symlay
mkdir keep; echo keep >keep/file
expect "layout into a folder that is not a layout" 2 "left untouched" "$galley" push b --oci-layout keep
[ "$(ls keep)" = file ] && ok "the folder was left untouched" || bad "keep/ changed"
mkdir full; echo x >full/f
expect "pull into a non-empty folder" 2 "not an empty folder" "$galley" pull "oci://$addr/gpu/bundle:v1" -o full --plain-http

# Hostile layers, copied into the registry by skopeo.
for kind in dotdot absolute symlink hardlink big; do
  python3 "$src/tests/deliver/make_evil_layout.py" "evil-$kind" $kind
  skopeo copy --quiet --dest-tls-verify=false "oci:evil-$kind:$kind" "docker://$addr/gpu/evil:$kind" >/dev/null 2>&1 || bad "skopeo copy $kind"
done
expect "layer with ../" 2 "'..'" "$galley" pull "oci://$addr/gpu/evil:dotdot" -o e1 --plain-http
expect "layer with an absolute path" 2 "absolute path" "$galley" pull "oci://$addr/gpu/evil:absolute" -o e2 --plain-http
expect "layer with a symlink escaping" 2 "link" "$galley" pull "oci://$addr/gpu/evil:symlink" -o e3 --plain-http
expect "layer with a hardlink" 2 "link" "$galley" pull "oci://$addr/gpu/evil:hardlink" -o e4 --plain-http
expect "tarball over the limit" 2 "limit" "$galley" pull "oci://$addr/gpu/evil:big" -o e5 --plain-http --max-bytes 100000
for e in e1 e2 e3 e4 e5; do absent $e; done
ls /tmp/galley-evil-* >/dev/null 2>&1 && bad "a hostile entry escaped" || ok "no hostile entry escaped"
no_temp_left .

# Tampered registry storage: a layer blob and a manifest altered on disk.
store="$T/reg/storage/docker/registry/v2/blobs/sha256"
"$galley" push b "oci://$addr/gpu/tamper:v1" --plain-http >/dev/null
layer=$(jq -r '.layers[0].digest' "lay/blobs/sha256/${d1#sha256:}"); layer=${layer#sha256:}
cp "$store/${layer:0:2}/$layer/data" layer.bak
printf 'X' | dd of="$store/${layer:0:2}/$layer/data" bs=1 seek=100 conv=notrunc 2>/dev/null
expect "layer digest mismatch" 1 "blob digest mismatch" "$galley" pull "oci://$addr/gpu/tamper:v1" -o t1 --plain-http
absent t1
cp layer.bak "$store/${layer:0:2}/$layer/data"
m=${d1#sha256:}
sed -i 's/"schemaVersion":2/"schemaVersion":2 /' "$store/${m:0:2}/$m/data"
expect "manifest digest mismatch" 1 "manifest digest mismatch" "$galley" pull "oci://$addr/gpu/tamper@$d1" -o t2 --plain-http
absent t2
no_temp_left .

begin publish
if "$galley" --help | grep -qE "^ +publish "; then
  source "$src/tests/deliver/publish_checks.sh"
fi

finish deliver_blackbox
