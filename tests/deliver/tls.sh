#!/usr/bin/env bash
# TLS paths (issue 16): push and pull against Debian's docker-registry over HTTPS and an RFC 3161
# TSA (tests/attest/tsa_server.py) over HTTPS, all on 127.0.0.1 with a CA made here and given with
# --ca-file. A certificate for another host name, an expired certificate and an untrusted CA are
# refused: exit 5 (network, as documented), a message saying the certificate was refused, and
# nothing written (no pulled folder, no attestation).
# usage: tls.sh GALLEY SOURCE_DIR
set -uo pipefail
GALLEY=$(realpath "$1"); SRC=$(realpath "$2")
for tool in docker-registry openssl python3 jq; do
  command -v $tool > /dev/null || { echo "FAIL: tls: $tool is missing (run scripts/setup-interop.sh)"; exit 1; }
done
T=$(mktemp -d /tmp/galley-tls-XXXXXX)
# The servers are started in $(...) subshells: each leaves its process id in a *.pid file.
cleanup() {
  for f in "$T"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2> /dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"
unset NO_COLOR GALLEY_NO_COLOR GALLEY_DATA GALLEY_LOG_LEVEL DOCKER_CONFIG
export SOURCE_DATE_EPOCH=1700000000 HOME=$T

# ------------------------------------------------------------------------------ a CA and its certificates
pki=$T/pki
mkdir -p "$pki/db"
touch "$pki/db/index"
echo 01 > "$pki/db/serial"
cat > "$pki/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $pki/db/index
serial = $pki/db/serial
new_certs_dir = $pki/db
certificate = $pki/ca.pem
private_key = $pki/ca.key
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[leaf]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
CNF
# leaf NAME SAN START END: a server certificate NAME.pem (key NAME.key) signed by the CA.
leaf() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/$1.key" -subj "/CN=$1" \
    -addext "subjectAltName=$2" -out "$pki/$1.csr" 2> /dev/null &&
    openssl ca -batch -config "$pki/ca.cnf" -extensions leaf -startdate "$3" -enddate "$4" -in "$pki/$1.csr" \
      -out "$pki/$1.pem" > /dev/null 2>&1
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/ca.key" -subj "/CN=galley test CA" \
  -days 2 -out "$pki/ca.pem" 2> /dev/null || { echo "FAIL: tls: cannot make the test CA"; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/other-ca.key" -subj "/CN=another CA" \
  -days 2 -out "$pki/other-ca.pem" 2> /dev/null
now=$(date -u +%Y%m%d%H%M%SZ)
later=$(date -u -d '+1 day' +%Y%m%d%H%M%SZ)
leaf good "IP:127.0.0.1,DNS:localhost" "$now" "$later" &&
  leaf wronghost "DNS:registry.example.com" "$now" "$later" &&
  leaf expired "IP:127.0.0.1,DNS:localhost" 20200101000000Z 20200102000000Z ||
  { echo "FAIL: tls: cannot make the test certificates"; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# registry NAME: a docker-registry over HTTPS with certificate NAME; prints its HOST:PORT.
registry() {
  local port dir=$T/reg-$1
  port=$(free_port)
  mkdir -p "$dir/storage"
  printf '%s\n' 'version: 0.1' 'log: {level: error}' "storage: {filesystem: {rootdirectory: $dir/storage}}" \
    "http: {addr: 127.0.0.1:$port, tls: {certificate: $pki/$1.pem, key: $pki/$1.key}}" > "$dir/config.yml"
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  echo $! > "$T/registry-$1.pid"
  for _ in $(seq 100); do
    curl -sf --cacert "$pki/ca.pem" "https://127.0.0.1:$port/v2/" > /dev/null 2>&1 && { echo "127.0.0.1:$port"; return 0; }
    # the wrong-host and expired registries fail curl's checks too: they answer once TLS is up
    curl -sfk "https://127.0.0.1:$port/v2/" > /dev/null 2>&1 && { echo "127.0.0.1:$port"; return 0; }
    sleep 0.1
  done
  echo "FAIL: tls: the registry did not start: $(tail -3 "$dir/log")" >&2
  return 1
}
# tsa NAME: tests/attest/tsa_server.py over HTTPS with certificate NAME; prints its URL.
tsa() {
  python3 "$SRC/tests/attest/tsa_server.py" "$T/tsa" "$T/tsa-$1.port" "$pki/$1.pem" "$pki/$1.key" > /dev/null 2> "$T/tsa-$1.log" &
  echo $! > "$T/tsa-$1.pid"
  for _ in $(seq 100); do [ -s "$T/tsa-$1.port" ] && break; sleep 0.05; done
  [ -s "$T/tsa-$1.port" ] || { echo "FAIL: tls: the TSA did not start: $(cat "$T/tsa-$1.log")" >&2; return 1; }
  echo "https://127.0.0.1:$(cat "$T/tsa-$1.port")/tsr"
}
refused() {  # refused WHAT WHY: the message says the certificate was refused, and why
  local why=$2
  check 'grep -qF "TLS certificate is refused: $why" "$T/err"' "$1: stderr does not say the certificate was refused ($why): $(head -c 600 "$T/err")"
}

"$GALLEY" bundle --service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34 \
  --deployer helm -o "$T/b" > /dev/null 2>&1 || { echo "FAIL: tls: galley bundle"; exit 1; }

good=$(registry good) || exit 1
wrong=$(registry wronghost) || exit 1
expired=$(registry expired) || exit 1

begin push_pull_over_https_with_ca_file
plain_run 0 push "$T/b" "oci://$good/gpu/bundle:v1" --ca-file "$pki/ca.pem"
plain_run 0 pull "oci://$good/gpu/bundle:v1" -o "$T/pulled" --ca-file "$pki/ca.pem"
check 'diff -r "$T/b" "$T/pulled" > /dev/null' "the pulled bundle differs from the pushed one"

begin https_without_the_ca_is_refused
plain_run 5 pull "oci://$good/gpu/bundle:v1" -o "$T/untrusted"
refused "no --ca-file" "it is not signed by a trusted CA"
absent "$T/untrusted"
plain_run 5 pull "oci://$good/gpu/bundle:v1" -o "$T/untrusted" --ca-file "$pki/other-ca.pem"
refused "another CA" "it is not signed by a trusted CA"
absent "$T/untrusted"
plain_run 5 push "$T/b" "oci://$good/gpu/bundle:v2" --ca-file "$pki/other-ca.pem"
refused "push, another CA" "it is not signed by a trusted CA"

# bad_server NAME ADDR WHY: push and pull against a registry whose certificate is refused for WHY;
# the registry receives nothing and no folder is pulled.
bad_server() {
  local name=$1
  plain_run 5 push "$T/b" "oci://$2/gpu/bundle:v1" --ca-file "$pki/ca.pem"
  refused "push, $1" "$3"
  check '[ -z "$(find "$T/reg-$name/storage" -type f | head -1)" ]' "the registry $name received data"
  plain_run 5 pull "oci://$2/gpu/bundle:v1" -o "$T/pulled-$1" --ca-file "$pki/ca.pem"
  refused "pull, $1" "$3"
  absent "$T/pulled-$1"
}

begin wrong_host_name_is_refused
bad_server wronghost "$wrong" "it is not for this host name"

begin expired_certificate_is_refused
bad_server expired "$expired" "it has expired"

begin ca_file_must_exist
plain_run 2 pull "oci://$good/gpu/bundle:v1" -o "$T/nofile" --ca-file "$T/missing.pem"
err_has "missing.pem"
absent "$T/nofile"

begin mirror_lock_images_and_vendor_charts_over_https
# mirror, recipe --lock-images and bundle --vendor-charts take --ca-file too: with it the registry is
# reached (mirror copies; the other two find nothing there: exit 3, not a TLS refusal); without it
# every one is refused, exit 5, and the registry receives nothing.
"$GALLEY" push "$T/b" --oci-layout "$T/lay" --tag v1 > /dev/null 2>&1 || bad "push --oci-layout failed"
plain_run 0 mirror --from "oci-layout:$T/lay" --to "oci://$good/inside" --ca-file "$pki/ca.pem"
check '[ -n "$(find "$T/reg-good/storage" -path "*repositories/inside*" -type f | head -1)" ]' "mirror put nothing under inside/"
plain_run 5 mirror --from "oci-layout:$T/lay" --to "oci://$good/outside"
refused "mirror without --ca-file" "it is not signed by a trusted CA"
check '[ -z "$(find "$T/reg-good/storage" -path "*repositories/outside*" | head -1)" ]' "the refused mirror wrote under outside/"
crit=(--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34)
plain_run 3 recipe "${crit[@]}" --lock-images --lock-mirror "$good/none" --ca-file "$pki/ca.pem" -o "$T/locked.yaml"
check '! grep -qF "TLS certificate is refused" "$T/err"' "lock-images with --ca-file: the certificate was refused"
absent "$T/locked.yaml"
plain_run 5 recipe "${crit[@]}" --lock-images --lock-mirror "$good/none" -o "$T/locked.yaml"
refused "lock-images without --ca-file" "it is not signed by a trusted CA"
absent "$T/locked.yaml"
plain_run 3 bundle "${crit[@]}" --deployer helm --vendor-charts --registry-mirror "$good/none" --ca-file "$pki/ca.pem" -o "$T/vb"
check '! grep -qF "TLS certificate is refused" "$T/err"' "vendor-charts with --ca-file: the certificate was refused"
absent "$T/vb"
plain_run 5 bundle "${crit[@]}" --deployer helm --vendor-charts --registry-mirror "$expired/none" --ca-file "$pki/ca.pem" -o "$T/vb"
refused "vendor-charts, expired" "it has expired"
absent "$T/vb"
plain_run 2 bundle "${crit[@]}" --deployer helm --ca-file "$pki/ca.pem" -o "$T/vb"
err_has "--ca-file is for an https --tsa-url or --vendor-charts"
absent "$T/vb"

begin tsa_over_https
bash "$SRC/tests/interop/tsa.sh" init "$T/tsa" > /dev/null 2>&1 || bad "tsa.sh init failed"
"$GALLEY" keygen --out "$T/k" > /dev/null
tsa_good=$(tsa good) || exit 1
tsa_wrong=$(tsa wronghost) || exit 1
tsa_expired=$(tsa expired) || exit 1
cp -a "$T/b" "$T/stamped"
plain_run 0 attest "$T/stamped" --key "$T/k.key" --tsa-url "$tsa_good" --ca-file "$pki/ca.pem"
check '[ "$(jq -r ".verificationMaterial.timestampVerificationData.rfc3161Timestamps | length" "$T/stamped/attestation.sigstore.json")" = 1 ]' \
  "no RFC 3161 timestamp in the attestation"
for bad_tsa in "$tsa_wrong it is not for this host name" "$tsa_expired it has expired"; do
  cp -a "$T/b" "$T/unstamped"
  plain_run 5 attest "$T/unstamped" --key "$T/k.key" --tsa-url "${bad_tsa%% *}" --ca-file "$pki/ca.pem"
  refused "TSA ${bad_tsa%% *}" "${bad_tsa#* }"
  absent "$T/unstamped/attestation.sigstore.json"
  rm -rf "$T/unstamped"
done
cp -a "$T/b" "$T/unstamped"
plain_run 5 attest "$T/unstamped" --key "$T/k.key" --tsa-url "$tsa_good"
refused "TSA without --ca-file" "it is not signed by a trusted CA"
absent "$T/unstamped/attestation.sigstore.json"

finish tls
