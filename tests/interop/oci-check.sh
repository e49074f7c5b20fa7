#!/usr/bin/env bash
# oci-check.sh: an OCI image layout, and optionally its copy in a registry, judged by skopeo and umoci.
# Usage: oci-check.sh LAYOUT:TAG [HOST:PORT/REPO:TAG]
#  layout   oci-layout and index.json present; every blob's size and sha256 match what names it;
#           umoci ls lists TAG; skopeo inspect --raw reads the manifest; skopeo copy re-reads every
#           blob (checking digests); each tar layer lists with tar -t
#  registry (plain HTTP) the manifest digest there is the layout's; a copy pulled back by skopeo holds
#           the same blobs
set -uo pipefail
ref=${1:?usage: oci-check.sh LAYOUT:TAG [REGISTRY_REF]}; remote=${2:-}
layout=${ref%:*}; tag=${ref##*:}
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-oci.XXXXXX"); trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
blob() { echo "$layout/blobs/sha256/${1#sha256:}"; }
# sound DIGEST SIZE: the blob exists with that size and sha256.
sound() {
  local f; f=$(blob "$1")
  [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$2" ] && [ "sha256:$(sha256sum "$f" | cut -d' ' -f1)" = "$1" ] && pass || fail "blob $1 (size $2)"
}
jq -e '.imageLayoutVersion == "1.0.0"' "$layout/oci-layout" >/dev/null 2>&1 && pass || fail "oci-layout"
manifest=$(jq -r --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$layout/index.json")
[ -n "$manifest" ] && pass || { fail "index.json has no manifest for tag $tag"; exit 1; }
sound "$manifest" "$(jq -r --arg d "$manifest" '.manifests[] | select(.digest == $d) | .size' "$layout/index.json" | head -1)"
m=$(blob "$manifest")
sound "$(jq -r .config.digest "$m")" "$(jq -r .config.size "$m")"
while read -r d s; do sound "$d" "$s"; done < <(jq -r '.layers[] | "\(.digest) \(.size)"' "$m")
while read -r d t; do
  case $t in *tar+gzip|*tar) tar -tf "$(blob "$d")" >/dev/null 2>&1 && pass || fail "layer $d ($t) does not list with tar" ;; esac
done < <(jq -r '.layers[] | "\(.digest) \(.mediaType)"' "$m")
umoci ls --layout "$layout" 2>/dev/null | grep -qx "$tag" && pass || fail "umoci ls does not list $tag"
skopeo inspect --raw "oci:$layout:$tag" | cmp -s - "$m" && pass || fail "skopeo inspect --raw oci:$layout:$tag"
skopeo copy --quiet "oci:$layout:$tag" "oci:$work/copy:$tag" >/dev/null && pass || fail "skopeo copy from the layout"
if [ -n "$remote" ]; then
  skopeo inspect --tls-verify=false --raw "docker://$remote" >"$work/remote.json" && cmp -s "$work/remote.json" "$m" && pass ||
    fail "the registry's manifest for $remote is not the layout's"
  skopeo copy --quiet --src-tls-verify=false "docker://$remote" "oci:$work/back:$tag" >/dev/null && pass || fail "skopeo copy from $remote"
  for f in "$layout"/blobs/sha256/*; do
    grep -q "$(basename "$f")" "$m" "$layout/index.json" || [ "$(basename "$f")" = "${manifest#sha256:}" ] || continue
    cmp -s "$f" "$work/back/blobs/sha256/$(basename "$f")" && pass || fail "blob $(basename "$f") differs after the round trip"
  done
fi
echo "oci: $passed passed, $failed failed"
[ "$failed" = 0 ]
