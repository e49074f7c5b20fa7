#!/usr/bin/env bash
# tsa.sh init DIR: a local RFC 3161 time-stamping authority made with the openssl CLI: a self-signed
# root CA and a TSA certificate it issues (extendedKeyUsage critical timeStamping), ECDSA P-256, and
# the `openssl ts` configuration (section tsa_config of DIR/tsa.cnf) that tests/attest/tsa_server.py
# signs replies with. Writes DIR/root.pem, DIR/tsa.pem and DIR/chain.pem (TSA certificate, then root).
# Two TSAs made here share names and serial numbers; only their keys differ.
set -euo pipefail
[ "${1:-}" = init ] && [ -n "${2:-}" ] || { echo "usage: tsa.sh init DIR" >&2; exit 2; }
mkdir -p "$2/ca" && cd "$2"
cat >tsa.cnf <<'CNF'
[ ca ]
default_ca = local
[ local ]
database = ca/index.txt
new_certs_dir = ca
serial = ca/serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
organizationName = supplied
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ root_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ tsa_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ tsa_config ]
serial = tsa.serial
signer_cert = tsa.pem
signer_key = tsa.key.pem
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
ess_cert_id_alg = sha256
ess_cert_id_chain = no
ordering = no
tsa_name = no
CNF
: >ca/index.txt; echo 1000 >ca/serial; echo 00 >tsa.serial
q() { "$@" >log.txt 2>&1 || { cat log.txt >&2; exit 1; }; }
q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root.key.pem
q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out tsa.key.pem
q openssl req -new -config tsa.cnf -key root.key.pem -subj "/O=Galley tests/CN=test TSA root" -out ca/root.csr
q openssl ca -batch -config tsa.cnf -selfsign -keyfile root.key.pem -in ca/root.csr -extensions root_ext \
  -startdate 20200101000000Z -enddate 20491231235959Z -notext -out root.pem
q openssl req -new -config tsa.cnf -key tsa.key.pem -subj "/O=Galley tests/CN=test TSA" -out ca/tsa.csr
q openssl ca -batch -config tsa.cnf -cert root.pem -keyfile root.key.pem -in ca/tsa.csr -extensions tsa_ext \
  -startdate 20200101000000Z -enddate 20391231235959Z -notext -out tsa.pem
cat tsa.pem root.pem >chain.pem
