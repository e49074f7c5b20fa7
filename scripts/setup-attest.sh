#!/usr/bin/env bash
# Prepares the interop verifiers of ../shared/harness/attest (verify.mjs on sigstore-js, verify.py
# on the openssl CLI, tsa.sh, a local RFC 3161 TSA) in .cache/attest: ../shared is read-only, so we
# copy it and run `npm ci` there for the pinned @sigstore packages. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${GALLEY_SHARED:-../shared}/harness/attest
dst=.cache/attest
[ -d "$src" ] || { echo "setup-attest: $src not found" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null || { echo "setup-attest: Node.js >= 20.17 with npm is needed" >&2; exit 1; }
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a == 20 && b >= 17) ? 0 : 1)' ||
  { echo "setup-attest: Node.js >= 20.17 is needed (sigstore-js), found $(node --version)" >&2; exit 1; }
mkdir -p "$dst"
# Refresh the copy when the harness changed, keeping node_modules/ from earlier runs.
(cd "$src" && tar cf - --exclude=node_modules --exclude=out .) | (cd "$dst" && tar xf -)
chmod -R u+w "$dst"
# npm ci again only when the lock file changed since the last install.
if ! cmp -s "$dst/package-lock.json" "$dst/node_modules/.galley-lock" 2>/dev/null; then
  (cd "$dst" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$dst/package-lock.json" "$dst/node_modules/.galley-lock"
fi
echo "setup-attest: ready in $dst"
