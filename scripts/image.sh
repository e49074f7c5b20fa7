#!/usr/bin/env bash
# make image: BUILD/image, an OCI image layout of the server (galley-serve, and galley beside it),
# built without a Docker daemon: a root filesystem assembled here (the binaries, the shared
# libraries they load, libarchive that bundles and verify open with dlopen, /etc/passwd with the
# non-root user 65532, /tmp), packed as one layer with GNU tar's reproducible options and turned
# into an image with umoci. The same build and SOURCE_DATE_EPOCH (default: the last commit's time)
# give the same manifest digest. The image runs with a read-only root filesystem: only /tmp (an
# emptyDir in deploy/helm/galley) is written.
# Usage: scripts/image.sh BUILD_DIR [TAG [OUT]]   OUT defaults to BUILD_DIR/image; prints the layout and
#        the manifest digest
set -euo pipefail
build=$(cd "${1:?usage: image.sh BUILD_DIR [TAG]}" && pwd)
tag=${2:-latest}
out=${3:-$build/image}
src=$(cd "$(dirname "$0")/.." && pwd)
for tool in umoci tar ldd; do
  command -v "$tool" >/dev/null || { echo "image.sh: $tool is missing (apt-get install umoci)" >&2; exit 2; }
done
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$src" log -1 --format=%ct 2>/dev/null || echo 0)}
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
work=$(mktemp -d "${TMPDIR:-/tmp}/galley-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root/usr/bin" "$root/etc" "$root/tmp"
chmod 1777 "$root/tmp"
install -m 0755 "$build/cli/galley-serve" "$build/cli/galley" "$root/usr/bin/"

# Every shared object the server loads: its own needs, and libarchive's (opened on first use).
archive=$(grep -aom1 'libarchive\.so\.[0-9][0-9]*' "$build/cli/galley-serve")
archive_path=$(ldconfig -p | awk -v so="$archive" '$1 == so && /x86-64/ && !found {print $NF; found = 1}')
[ -n "$archive_path" ] || { echo "image.sh: $archive not found (apt-get install libarchive13)" >&2; exit 2; }
{ ldd "$build/cli/galley-serve"; ldd "$archive_path"; echo "$archive => $archive_path"; } |
  awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u |
  while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
printf 'root:x:0:0:root:/root:/sbin/nologin\ngalley:x:65532:65532:galley:/nonexistent:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\ngalley:x:65532:\n' > "$root/etc/group"

tar --sort=name --mtime="@$epoch" --clamp-mtime --owner=0 --group=0 --numeric-owner \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$root" -cf "$work/layer.tar" .
layout=$work/layout
umoci init --layout "$layout"
umoci new --image "$layout:$tag"
umoci raw add-layer --image "$layout:$tag" "$work/layer.tar" \
  --history.created "$created" --history.created_by "galley scripts/image.sh" --history.comment "galley-serve and its libraries"
umoci config --image "$layout:$tag" --created "$created" --no-history \
  --os linux --architecture amd64 --author "galley" \
  --config.user 65532:65532 --config.workingdir / \
  --config.env PATH=/usr/bin --config.env TMPDIR=/tmp \
  --config.entrypoint /usr/bin/galley-serve --config.cmd serve --config.cmd --listen=0.0.0.0:8080 \
  --config.exposedports 8080/tcp \
  --config.label org.opencontainers.image.title=galley \
  --config.label "org.opencontainers.image.created=$created"
umoci gc --layout "$layout"
rm -rf "$out"
mv "$layout" "$out"
echo "$out:$tag $(grep -o '"digest":"sha256:[0-9a-f]*"' "$out/index.json" | head -1 | cut -d'"' -f4)"
