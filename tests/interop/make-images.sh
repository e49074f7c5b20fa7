#!/usr/bin/env bash
# make-images.sh DIR: an OCI image layout made with umoci, for registry tests: tags amd64 and arm64
# (two small single-platform images) and multi (an OCI index of both, with their platforms).
# Copy them where a test needs them with `skopeo copy [--all] oci:DIR:TAG docker://...`.
set -euo pipefail
dir=${1:?usage: make-images.sh DIR}
umoci init --layout "$dir"
for arch in amd64 arm64; do
  umoci new --image "$dir:$arch"
  umoci config --image "$dir:$arch" --os linux --architecture "$arch" --config.label "dev.galley.test=$arch"
done
index=$(jq -c '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [.manifests[] | {mediaType, digest, size,
    platform: {os: "linux", architecture: .annotations["org.opencontainers.image.ref.name"]}}]}' "$dir/index.json")
printf '%s' "$index" >"$dir/index.blob"
hex=$(sha256sum "$dir/index.blob" | cut -d' ' -f1)
size=$(stat -c %s "$dir/index.blob")
mv "$dir/index.blob" "$dir/blobs/sha256/$hex"
jq --arg d "sha256:$hex" --argjson s "$size" \
  '.manifests += [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
                   annotations: {"org.opencontainers.image.ref.name": "multi"}}]' "$dir/index.json" >"$dir/index.new"
mv "$dir/index.new" "$dir/index.json"
