#!/usr/bin/env bash
# Prepares the third-party checkers of ../shared/harness/eco (real helm v3/v4, Argo CD and
# Kubernetes schemas, kustomize...) in .cache/eco: ../shared is read-only, so we copy it and run its
# own setup.sh there (apt-get for its tools, npm ci, helm binaries). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${GALLEY_SHARED:-../shared}/harness/eco
dst=.cache/eco
[ -d "$src" ] || { echo "setup-eco: $src not found" >&2; exit 1; }
mkdir -p "$dst"
# Refresh the copy when the harness changed, keeping node_modules/ and bin/ from earlier runs.
(cd "$src" && tar cf - --exclude=node_modules --exclude=bin .) | (cd "$dst" && tar xf -)
chmod -R u+w "$dst"
(cd "$dst" && ./setup.sh >/dev/null)
echo "setup-eco: ready in $dst"
