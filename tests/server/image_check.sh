#!/usr/bin/env bash
# make image, judged: scripts/image.sh twice gives the same manifest digest (reproducible); umoci
# unpacks it rootless; the server runs from the unpacked root filesystem alone (chroot, as the
# image's user 65532, root filesystem not written) and answers the recipe galley prints; the config
# says non-root and the entrypoint.
# Usage: image_check.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
BUILD=$1
SRC=$2
SANITIZED=${3:-}  # "sanitized": an ASan build (see the SIGTERM check)
T=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
export SOURCE_DATE_EPOCH=1767225600

begin image_is_reproducible
bash "$SRC/scripts/image.sh" "$BUILD" test "$T/a" > "$T/a.txt" 2>"$T/err" && ok || bad "image.sh: $(tail -c 800 "$T/err")"
bash "$SRC/scripts/image.sh" "$BUILD" test "$T/b" > "$T/b.txt" 2>"$T/err" && ok || bad "image.sh: $(tail -c 800 "$T/err")"
same "$T/a/index.json" "$T/b/index.json"

begin config_is_non_root_with_the_server_entrypoint
umoci stat --image "$T/a:test" --json > "$T/stat.json" 2>"$T/err" && ok || bad "umoci stat: $(cat "$T/err")"
manifest=$(jq -r '.manifests[0].digest' "$T/a/index.json" | cut -d: -f2)
config=$(jq -r .config.digest "$T/a/blobs/sha256/$manifest" | cut -d: -f2)
C=$T/a/blobs/sha256/$config
[ "$(jq -r .config.User "$C")" = 65532:65532 ] && ok || bad "user: $(jq -r .config.User "$C")"
[ "$(jq -r '.config.Entrypoint[0]' "$C")" = /usr/bin/galley-serve ] && ok || bad "entrypoint: $(jq -c .config.Entrypoint "$C")"
[ "$(jq -r .created "$C")" = 2026-01-01T00:00:00Z ] && ok || bad "created: $(jq -r .created "$C")"

begin server_runs_from_the_unpacked_root
umoci unpack --rootless --image "$T/a:test" "$T/bundle" > /dev/null 2>"$T/err" && ok || bad "umoci unpack: $(cat "$T/err")"
R=$T/bundle/rootfs
check '[ -x "$R/usr/bin/galley-serve" ] && [ -x "$R/usr/bin/galley" ]' "binaries missing"
check '[ "$(find "$R" -type f | wc -l)" -lt 40 ]' "more files than the binaries need: $(find "$R" -type f | wc -l)"
if [ "$(id -u)" = 0 ]; then
  runner=(chroot --userspec=65532:65532 "$R")
else
  runner=(unshare -r chroot "$R")
fi
chmod -R a+rX "$R"
touch "$T/stamp"
"${runner[@]}" /usr/bin/galley-serve serve --listen 127.0.0.1:0 2>"$T/log" &
PID=$!
for _ in $(seq 100); do
  URL=$(grep -o '"url":"[^"]*"' "$T/log" 2>/dev/null | head -1 | cut -d'"' -f4)
  [ -n "$URL" ] && break
  sleep 0.05
done
check '[ -n "$URL" ]' "the server did not start in the unpacked root: $(head -c 800 "$T/log")"
Q='service=eks&accelerator=h100&os=ubuntu&intent=training&platform=kubeflow&kubernetes=1.34'
"$BUILD/cli/galley" recipe --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow \
  --kubernetes 1.34 --format json > "$T/cli.json" 2>/dev/null
curl -sS -o "$T/out" "$URL/v1/recipe?$Q" && ok || bad "no answer from the unpacked server"
same "$T/out" "$T/cli.json"
"$BUILD/cli/galley" recipe --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow \
  --kubernetes 1.34 > "$T/cli.yaml" 2>/dev/null
code=$(curl -sS -o "$T/bundle.tgz" -w '%{http_code}' -F "recipe=@$T/cli.yaml" -F deployer=helm "$URL/v1/bundle")
[ "$code" = 200 ] && ok || bad "bundle from the unpacked root (libarchive loaded there): $code $(head -c 400 "$T/bundle.tgz")"
kill -TERM "$PID"
wait "$PID"
rc=$?
if [ -n "$SANITIZED" ]; then
  # The sanitizer runtime reads its options from /proc, which the chroot lacks: LeakSanitizer then
  # fails at exit and owns the exit code. The drain itself is judged by the log (and by serve_blackbox).
  check 'grep -q "\"event\":\"stopped\"" "$T/log"' "the server in the unpacked root did not stop on SIGTERM: $(tail -c 600 "$T/log")"
else
  check '[ $rc = 0 ]' "the server in the unpacked root did not exit 0 on SIGTERM: $(tail -c 600 "$T/log")"
fi
PID=
check '[ -z "$(find "$R" -newer "$T/stamp" -not -path "$R/tmp*" -print -quit)" ]' "the root filesystem was written: $(find "$R" -newer "$T/stamp" | head -3)"

finish image_check
