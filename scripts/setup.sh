#!/usr/bin/env bash
# Installs what Galley needs on Debian 12, idempotently. Run as root (or with sudo available).
# valijson's Debian package would drag Qt and Poco in; we unpack its headers into .deps/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ ccache pkg-config libcli11-dev nlohmann-json3-dev libssl-dev
          catch2 libbenchmark-dev hyperfine jq libkainjow-mustache-dev libpugixml-dev
          libarchive-dev libgit2-dev libcurl4-gnutls-dev openssl libyaml-dev python3
          libcpp-httplib-dev wrk nginx-light)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ${#missing[@]} -gt 0 ] || [ ! -f .deps/usr/include/valijson/validator.hpp ]; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -f .deps/usr/include/valijson/validator.hpp ]; then
  echo "setup: unpacking valijson headers into .deps/"
  tmp=$(mktemp -d) && chmod 755 "$tmp"
  (cd "$tmp" && apt-get download -qq libvalijson-dev)
  mkdir -p .deps
  dpkg-deb -x "$tmp"/libvalijson-dev_*.deb .deps
  rm -rf "$tmp"
fi
