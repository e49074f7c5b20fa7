#!/usr/bin/env bash
# shellcheck disable=SC2034  # some variables are used only inside the conditions that check() evals
# Signing and verifying, end to end, with the real galley binary: keygen, bundle --sign, attest,
# RFC 3161 timestamps (a local TSA made with `openssl ts` behind an HTTP server on 127.0.0.1, and
# the air-gapped query/response), verify against a key and TrustPolicy files, the tamper matrix,
# and interop: tests/interop's attest-verify.mjs (sigstore-js) and attest-verify.py (openssl CLI)
# must accept what galley signs and reject every tampered copy.
# Usage: attest_blackbox.sh GALLEY SOURCE_DIR HARNESS_DIR [sanitized]
#   HARNESS_DIR: tests/interop, its node_modules installed by scripts/setup-interop.sh
set -uo pipefail
GALLEY=$1
SRC=$2
HARNESS=$3
T=$(mktemp -d)
TSA_PID=
cleanup() { [ -n "$TSA_PID" ] && kill "$TSA_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
# shellcheck source=tests/lib.sh
source "$SRC/tests/lib.sh"

[ -d "$HARNESS/node_modules/@sigstore/verify" ] || {
  echo "FAIL: the interop checkers are not set up in $HARNESS (run scripts/setup-interop.sh)"; exit 1; }

# Under sanitizers a finding exits 86 and is named on stderr, so it can never pass as an expected 1.
if [ -n "${4:-}" ]; then
  export ASAN_OPTIONS=exitcode=86:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
fi
# run EXPECTED_RC ARGS...: runs galley with stdout in $T/out, stderr in $T/err; checks the exit code.
run() {
  local want=$1; shift
  "$GALLEY" "$@" >"$T/out" 2>"$T/err" </dev/null
  local rc=$?
  [ "$rc" = "$want" ] && ok || bad "galley $* exited $rc, expected $want; stderr: $(head -c 600 "$T/err"); stdout: $(tail -c 600 "$T/out")"
  if grep -qE "AddressSanitizer|LeakSanitizer|runtime error:" "$T/err"; then bad "sanitizer finding: $(head -c 2000 "$T/err")"; fi
}

# The harness verifiers: accept (exit 0) or reject (exit 1 with a line naming what failed).
harness_accepts() {  # harness_accepts [--tsa-cert CHAIN] BUNDLE_DIR PUB
  local opts=()
  [ "$1" = --tsa-cert ] && { opts=(--tsa-cert "$2"); shift 2; }
  local dir=$1 pub=$2
  node "$HARNESS/attest-verify.mjs" --strict "${opts[@]}" "$dir/attestation.sigstore.json" "$pub" "$dir" >"$T/h" 2>&1 &&
    grep -q "^OK: " "$T/h" && ok || bad "attest-verify.mjs rejects $dir: $(cat "$T/h")"
  python3 "$HARNESS/attest-verify.py" --strict "${opts[@]}" "$dir/attestation.sigstore.json" "$pub" "$dir" >"$T/h" 2>&1 &&
    grep -q "^OK: " "$T/h" && ok || bad "attest-verify.py rejects $dir: $(cat "$T/h")"
}
harness_rejects() {  # harness_rejects BUNDLE_DIR PUB 'EXPECTED FAIL TEXT'
  local dir=$1 pub=$2 want=$3 v rc
  for v in "node $HARNESS/attest-verify.mjs" "python3 $HARNESS/attest-verify.py"; do
    $v "$dir/attestation.sigstore.json" "$pub" "$dir" >"$T/h" 2>&1
    rc=$?
    [ "$rc" = 1 ] && grep -qF -- "$want" "$T/h" && ok || bad "${v##*/} exit $rc, expected 1 with '$want': $(head -c 600 "$T/h")"
  done
}
# galley verify rejects (exit 1) with a FAIL line containing TEXT.
galley_rejects() {  # galley_rejects DIR TEXT [verify args...]
  local dir=$1 want=$2; shift 2
  run 1 verify "$dir" "$@"
  grep -F -- "FAIL: " "$T/out" | grep -qF -- "$want" && ok || bad "no FAIL line with '$want': $(head -c 1500 "$T/out")"
  out_has "REJECTED"
}
flip() { python3 - "$1" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01
open(p, "wb").write(bytes(b))
EOF
}
payload() { python3 -c 'import base64,json,sys; print(base64.b64decode(json.load(open(sys.argv[1]))["dsseEnvelope"]["payload"]).decode())' "$1"; }
jq_statement() { payload "$1/attestation.sigstore.json" | jq -r "$2"; }

# A bundle from a leaf of the catalog (the catalog changes; fall back to any leaf that renders).
LEAF=(--service eks --accelerator h100 --os ubuntu --intent training --platform kubeflow --kubernetes 1.34)
if ! "$GALLEY" recipe "${LEAF[@]}" -o "$T/recipe.yaml" --log-level error >/dev/null 2>&1; then
  LEAF=(--service eks --intent training)
  "$GALLEY" recipe "${LEAF[@]}" -o "$T/recipe.yaml" --log-level error >/dev/null 2>&1 || {
    echo "FAIL: no recipe for the test leaf"; exit 1; }
fi
mkbundle() { "$GALLEY" bundle --recipe "$T/recipe.yaml" --deployer helm --log-level error "$@" >/dev/null 2>"$T/err"; }

# ------------------------------------------------------------------------------------------- keys
begin keygen_default_is_ecdsa_p256_0600
mkdir -p "$T/k"
run 0 keygen --out "$T/k/p256"
out_has "ecdsa-p256"
check '[ "$(stat -c %a "$T/k/p256.key")" = 600 ]' "private key mode is $(stat -c %a "$T/k/p256.key")"
check '[ "$(stat -c %a "$T/k/p256.pub")" = 644 ]' "public key mode is $(stat -c %a "$T/k/p256.pub")"
check 'openssl pkey -in "$T/k/p256.key" -noout -text 2>/dev/null | grep -q "NIST CURVE: P-256"' "not a P-256 key"
check 'grep -q "BEGIN PRIVATE KEY" "$T/k/p256.key"' "not an unencrypted PKCS#8 key"
check 'openssl pkey -pubin -in "$T/k/p256.pub" -noout 2>/dev/null' "public key unreadable by openssl"

begin keygen_ed25519
run 0 keygen --out "$T/k/ed" --type ed25519
check 'openssl pkey -in "$T/k/ed.key" -noout -text 2>/dev/null | grep -q "ED25519 Private-Key"' "not an Ed25519 key"
check '[ "$(stat -c %a "$T/k/ed.key")" = 600 ]' "mode $(stat -c %a "$T/k/ed.key")"

begin keygen_encrypted_with_passphrase_env
GALLEY_TEST_PASS=correct-horse run 0 keygen --out "$T/k/enc" --passphrase-env GALLEY_TEST_PASS
check 'grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$T/k/enc.key"' "the private key is not encrypted"
check 'GALLEY_TEST_PASS=correct-horse openssl pkey -in "$T/k/enc.key" -passin env:GALLEY_TEST_PASS -noout 2>/dev/null' \
  "openssl cannot decrypt it with the passphrase"
check '! openssl pkey -in "$T/k/enc.key" -passin pass:wrong -noout 2>/dev/null' "decrypts with a wrong passphrase"
check '! grep -q correct-horse "$T/k/enc.key"' "passphrase in the file"

begin keygen_passphrase_env_unset
env -u GALLEY_UNSET_VAR "$GALLEY" keygen --out "$T/k/nope" --passphrase-env GALLEY_UNSET_VAR >"$T/out" 2>"$T/err"
check '[ $? = 2 ]' "exit not 2"
err_has "GALLEY_UNSET_VAR is unset or empty"
absent "$T/k/nope.key"
absent "$T/k/nope.pub"

begin keygen_refuses_to_overwrite
cp "$T/k/p256.key" "$T/k/before.key"
run 2 keygen --out "$T/k/p256"
err_has "already exists; refusing to overwrite a key"
same "$T/k/p256.key" "$T/k/before.key"
echo "someone's public key" > "$T/k/half.pub"
run 2 keygen --out "$T/k/half"
err_has "half.pub: already exists"
absent "$T/k/half.key"
check '[ "$(cat "$T/k/half.pub")" = "someone'"'"'s public key" ]' "half.pub was changed"
check '[ -z "$(ls "$T/k" | grep tmp)" ]' "temporary files left: $(ls "$T/k")"

begin keygen_bad_type
run 2 keygen --out "$T/k/rsa" --type rsa
absent "$T/k/rsa.key"

# ---------------------------------------------------------------------------------------- signing
begin bundle_sign_then_verify
mkbundle -o "$T/signed" --sign --key "$T/k/p256.key" || bad "bundle --sign failed: $(cat "$T/err")"
check '[ -f "$T/signed/attestation.sigstore.json" ]' "no attestation.sigstore.json"
check '! grep -q attestation.sigstore.json "$T/signed/bundle.yaml"' "the attestation is in the inventory"
run 0 verify "$T/signed" --key "$T/k/p256.pub"
out_has "VERIFIED"
out_has "established: signature by key"
out_has "established: inventory complete"
out_has "NOT established: signing time"
harness_accepts "$T/signed" "$T/k/p256.pub"

begin bundle_sign_force_replaces_a_signed_bundle
mkbundle -o "$T/resign" --sign --key "$T/k/ed.key" || bad "bundle failed: $(cat "$T/err")"
run 2 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/resign" --sign --key "$T/k/p256.key"
run 0 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/resign" --sign --key "$T/k/p256.key" --force
out_has "signed by key id"
run 0 verify "$T/resign" --key "$T/k/p256.pub"
run 0 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/resign" --force
absent "$T/resign/attestation.sigstore.json"

begin bundle_sign_fails_before_writing
run 2 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/nosign" --sign --key "$T/k/enc.key"
err_has "the private key is encrypted and no passphrase was given"
absent "$T/nosign"
run 2 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/nosign" --sign
absent "$T/nosign"
run 2 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/nosign" --key "$T/k/p256.key"
absent "$T/nosign"

begin attest_existing_bundle
mkbundle -o "$T/plain" || bad "bundle failed"
run 1 verify "$T/plain" --key "$T/k/p256.pub"
out_has "attestation.sigstore.json is missing: the bundle is not signed"
cp -a "$T/plain" "$T/attested"
run 0 attest "$T/attested" --key "$T/k/p256.key"
run 0 verify "$T/attested" --key "$T/k/p256.pub"
harness_accepts "$T/attested" "$T/k/p256.pub"

begin attest_and_bundle_sign_make_the_same_statement
check '[ "$(payload "$T/attested/attestation.sigstore.json")" = "$(payload "$T/signed/attestation.sigstore.json")" ]' \
  "galley attest and galley bundle --sign give different statements"

begin attest_with_encrypted_key
cp -a "$T/plain" "$T/enc-signed"
GALLEY_TEST_PASS=correct-horse run 0 attest "$T/enc-signed" --key "$T/k/enc.key" --passphrase-env GALLEY_TEST_PASS
run 0 verify "$T/enc-signed" --key "$T/k/enc.pub"
GALLEY_TEST_PASS=wrong run 2 attest "$T/enc-signed" --key "$T/k/enc.key" --passphrase-env GALLEY_TEST_PASS
err_has "cannot decrypt the private key"

begin sign_refuses_a_key_readable_by_others
cp -a "$T/plain" "$T/loose"
cp "$T/k/p256.key" "$T/k/loose.key"
for mode in 640 604 660; do
  chmod "$mode" "$T/k/loose.key"
  run 2 attest "$T/loose" --key "$T/k/loose.key"
  err_has "private key is accessible to group or others (mode 0$mode)"
  absent "$T/loose/attestation.sigstore.json"
  run 2 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/loose2" --sign --key "$T/k/loose.key"
  absent "$T/loose2"
done

begin sign_refuses_other_keys
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/k/rsa.key" 2>/dev/null
chmod 600 "$T/k/rsa.key"
run 2 attest "$T/loose" --key "$T/k/rsa.key"
err_has "not an ECDSA P-256 or Ed25519 private key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$T/k/p384.key" 2>/dev/null
chmod 600 "$T/k/p384.key"
run 2 attest "$T/loose" --key "$T/k/p384.key"
err_has "not an ECDSA P-256 or Ed25519 private key"
cp "$T/k/p256.pub" "$T/k/pub-as-private.key" && chmod 600 "$T/k/pub-as-private.key"
run 2 attest "$T/loose" --key "$T/k/pub-as-private.key"
err_has "not a PEM private key"
run 3 attest "$T/loose" --key "$T/k/missing.key"
absent "$T/loose/attestation.sigstore.json"

begin attest_refuses_a_folder_that_does_not_match_its_inventory
cp -a "$T/plain" "$T/changed"
echo "# local edit" >> "$T/changed/deploy.sh"
run 1 attest "$T/changed" --key "$T/k/p256.key"
err_has "\"deploy.sh\": sha256"
err_has "refusing to sign it"
absent "$T/changed/attestation.sigstore.json"
run 3 attest "$T/nowhere" --key "$T/k/p256.key"

begin statement_is_in_toto_v1_slsa_v1
S=$T/signed
check '[ "$(jq_statement "$S" ._type)" = https://in-toto.io/Statement/v1 ]' "_type"
check '[ "$(jq_statement "$S" .predicateType)" = https://slsa.dev/provenance/v1 ]' "predicateType"
check '[ "$(jq_statement "$S" .predicate.buildDefinition.buildType)" = https://galley.dev/bundle/v1 ]' "buildType"
check '[ "$(jq_statement "$S" .predicate.runDetails.builder.id)" = "https://galley.dev/galley@$("$GALLEY" version | grep -o "[0-9][0-9.]*" | head -1)" ]' \
  "builder.id is $(jq_statement "$S" .predicate.runDetails.builder.id)"
check '[ "$(jq_statement "$S" .predicate.buildDefinition.externalParameters.deployer)" = helm ]' "deployer"
check '[ "$(jq_statement "$S" .predicate.buildDefinition.externalParameters.criteria.service)" = "${LEAF[1]}" ]' "criteria.service"
check '[ "$(jq_statement "$S" ".predicate.buildDefinition.externalParameters.options | type")" = object ]' "options"
# subjects: every file but the attestation, sorted, with its sha256 (computed here by sha256sum)
(cd "$S" && find . -type f ! -name attestation.sigstore.json | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum |
  awk '{print $2" "$1}') > "$T/expected-subjects"
jq_statement "$S" '.subject[] | .name + " " + .digest.sha256' > "$T/subjects"
same "$T/subjects" "$T/expected-subjects"
check '[ "$(jq_statement "$S" ".subject | map(.name) | . == sort")" = true ]' "subjects not sorted"
# resolved dependencies: recipe, catalog and template-set digests; every component with its version
recipe_digest=$(sed -n 's/^  recipeDigest: sha256://p' "$S/bundle.yaml")
templates_digest=$(sed -n 's/^  templatesDigest: sha256://p' "$S/bundle.yaml")
catalog_digest=$(sed -n 's/^  catalogDigest: sha256://p' "$S/recipe.yaml")
check '[ -n "$recipe_digest" ] && [ "$(jq_statement "$S" ".predicate.buildDefinition.resolvedDependencies[] | select(.name == \"recipe\") | .digest.sha256")" = "$recipe_digest" ]' "recipe digest"
check '[ -n "$templates_digest" ] && [ "$(jq_statement "$S" ".predicate.buildDefinition.resolvedDependencies[] | select(.name == \"templates\") | .digest.sha256")" = "$templates_digest" ]' "templates digest"
check '[ -n "$catalog_digest" ] && [ "$(jq_statement "$S" ".predicate.buildDefinition.resolvedDependencies[] | select(.name == \"catalog\") | .digest.sha256")" = "$catalog_digest" ]' "catalog digest"
ncomp=$(ls -d "$S"/[0-9][0-9]-*/ | wc -l)
check '[ "$(jq_statement "$S" "[.predicate.buildDefinition.resolvedDependencies[] | select(.annotations.version != null)] | length")" = "$ncomp" ]' \
  "not one dependency per component ($ncomp)"
check '[ "$(jq_statement "$S" "[.predicate.buildDefinition.resolvedDependencies[] | select(.annotations.type == \"helm\") | select((.uri // \"\") == \"\")] | length")" = 0 ]' \
  "a chart without its repository"
# every chart deploy.sh installs is a dependency: repository as uri, chart as name, its version
payload "$S/attestation.sigstore.json" > "$T/statement.json"
check 'python3 - "$S/deploy.sh" "$T/statement.json" <<EOF
import json, sys
deps = json.load(open(sys.argv[2]))["predicate"]["buildDefinition"]["resolvedDependencies"]
have = {(d.get("uri"), d["name"], d.get("annotations", {}).get("version")) for d in deps}
n = 0
for line in open(sys.argv[1]):
    w = line.split()
    if w[:3] != ["helm", "upgrade", "--install"]:
        continue
    n += 1
    if w[5] == "--repo":   # helm upgrade --install NAME CHART --repo URL --version V
        want = (w[6], w[4], w[8])
    else:                  # helm upgrade --install NAME oci://REPO/CHART --version V
        want = (w[4], w[4].rsplit("/", 1)[1], w[6])
    assert want in have, (want, sorted(have, key=str))
assert n > 0
EOF' "charts in deploy.sh missing from resolvedDependencies"
check '[ "$(jq_statement "$S" .predicate.runDetails.metadata.startedOn)" = null ]' "startedOn without SOURCE_DATE_EPOCH"
check 'jq_statement "$S" .predicate.runDetails.metadata.invocationId | grep -qE "^sha256:[0-9a-f]{64}$"' "invocationId"

begin sigstore_bundle_v03_with_key_id_hint
A=$S/attestation.sigstore.json
kid=$(openssl pkey -pubin -in "$T/k/p256.pub" -outform DER | openssl dgst -sha256 -binary | base64)
check '[ "$(jq -r .mediaType "$A")" = application/vnd.dev.sigstore.bundle.v0.3+json ]' "mediaType"
check '[ "$(jq -r .verificationMaterial.publicKey.hint "$A")" = "$kid" ]' "hint is not base64(sha256(DER))"
check '[ "$(jq -r ".dsseEnvelope.signatures | length" "$A")" = 1 ]' "not one signature"
check '[ "$(jq -r ".dsseEnvelope.signatures[0].keyid" "$A")" = "$kid" ]' "keyid is not base64(sha256(DER))"
check '[ "$(jq -r .dsseEnvelope.payloadType "$A")" = application/vnd.in-toto+json ]' "payloadType"
check '[ "$(jq -r ".verificationMaterial.timestampVerificationData" "$A")" = null ]' "timestamps without --tsa-url"

begin source_date_epoch_and_builder_id
SOURCE_DATE_EPOCH=1700000000 mkbundle -o "$T/sde" --sign --key "$T/k/ed.key" --builder-id https://ci.example.com/pipeline/7 ||
  bad "bundle failed: $(cat "$T/err")"
check '[ "$(jq_statement "$T/sde" .predicate.runDetails.metadata.startedOn)" = 2023-11-14T22:13:20Z ]' "startedOn"
check '[ "$(jq_statement "$T/sde" .predicate.runDetails.builder.id)" = https://ci.example.com/pipeline/7 ]' "builder.id"
SOURCE_DATE_EPOCH=yesterday run 2 attest "$T/sde" --key "$T/k/ed.key"
err_has "SOURCE_DATE_EPOCH: not a number of seconds"

begin deterministic_ed25519_byte_identical
SOURCE_DATE_EPOCH=1700000000 mkbundle -o "$T/det1" --sign --key "$T/k/ed.key" || bad "bundle failed"
SOURCE_DATE_EPOCH=1700000000 mkbundle -o "$T/det2" --sign --key "$T/k/ed.key" || bad "bundle failed"
same "$T/det1/attestation.sigstore.json" "$T/det2/attestation.sigstore.json"
cp -a "$T/det1" "$T/det3"
SOURCE_DATE_EPOCH=1700000000 run 0 attest "$T/det3" --key "$T/k/ed.key"
same "$T/det1/attestation.sigstore.json" "$T/det3/attestation.sigstore.json"
harness_accepts "$T/det1" "$T/k/ed.pub"

begin deterministic_ecdsa_statement
mkbundle -o "$T/ec1" --sign --key "$T/k/p256.key" || bad "bundle failed"
check '[ "$(payload "$T/ec1/attestation.sigstore.json")" = "$(payload "$S/attestation.sigstore.json")" ]' "statements differ"
check '[ "$(jq -r ".dsseEnvelope.signatures[0].sig" "$T/ec1/attestation.sigstore.json")" != "$(jq -r ".dsseEnvelope.signatures[0].sig" "$A")" ]' \
  "ECDSA signatures are equal (nonce not random?)"
run 0 verify "$T/ec1" --key "$T/k/p256.pub"

begin invocation_id_follows_content
mkbundle -o "$T/other" --node-selector team=ml --sign --key "$T/k/p256.key" || bad "bundle failed: $(cat "$T/err")"
check '[ "$(jq_statement "$T/other" .predicate.runDetails.metadata.invocationId)" != "$(jq_statement "$S" .predicate.runDetails.metadata.invocationId)" ]' \
  "two different bundles share an invocationId"
check '[ "$(jq_statement "$T/other" .predicate.buildDefinition.externalParameters.options.nodeSelector.team)" = ml ]' "options not in externalParameters"

# ------------------------------------------------------------------------------------- timestamps
begin local_tsa
bash "$HARNESS/tsa.sh" init "$T/tsa" || bad "tsa.sh init failed"
bash "$HARNESS/tsa.sh" init "$T/impostor" || bad "tsa.sh init failed"
python3 "$SRC/tests/attest/tsa_server.py" "$T/tsa" "$T/tsa.port" 2>"$T/tsa.log" &
TSA_PID=$!
for _ in $(seq 100); do [ -s "$T/tsa.port" ] && break; sleep 0.05; done
check '[ -s "$T/tsa.port" ]' "the TSA server did not start: $(cat "$T/tsa.log")"
TSA=http://127.0.0.1:$(cat "$T/tsa.port" 2>/dev/null)

begin attest_with_tsa_url
cp -a "$T/plain" "$T/stamped"
run 0 attest "$T/stamped" --key "$T/k/p256.key" --tsa-url "$TSA/tsr"
out_has "timestamped"
check '[ "$(jq -r ".verificationMaterial.timestampVerificationData.rfc3161Timestamps | length" "$T/stamped/attestation.sigstore.json")" = 1 ]' \
  "no rfc3161Timestamps"
jq -r '.verificationMaterial.timestampVerificationData.rfc3161Timestamps[0].signedTimestamp' "$T/stamped/attestation.sigstore.json" |
  base64 -d > "$T/stamp.tsr"
check 'openssl ts -reply -in "$T/stamp.tsr" -text 2>/dev/null | grep -q "Status: Granted"' "the stored response is not a granted TimeStampResp"
harness_accepts --tsa-cert "$T/tsa/chain.pem" "$T/stamped" "$T/k/p256.pub"
# and with the chain root-first, as the harness allows
cat "$T/tsa/root.pem" "$T/tsa/tsa.pem" > "$T/tsa-root-first.pem"
harness_accepts --tsa-cert "$T/tsa-root-first.pem" "$T/stamped" "$T/k/p256.pub"

begin bundle_sign_with_tsa_url_ed25519
mkbundle -o "$T/stamped-ed" --sign --key "$T/k/ed.key" --tsa-url "$TSA/tsr" || bad "bundle failed: $(cat "$T/err")"
harness_accepts --tsa-cert "$T/tsa/chain.pem" "$T/stamped-ed" "$T/k/ed.pub"

begin tsa_chunked_reply
cp -a "$T/plain" "$T/chunked"
run 0 attest "$T/chunked" --key "$T/k/p256.key" --tsa-url "$TSA/chunked"
harness_accepts --tsa-cert "$T/tsa/chain.pem" "$T/chunked" "$T/k/p256.pub"

begin tsa_failures_write_nothing
cp -a "$T/signed" "$T/tsafail"
cp "$T/tsafail/attestation.sigstore.json" "$T/before.json"
run 5 attest "$T/tsafail" --key "$T/k/p256.key" --tsa-url "$TSA/status500"
err_has "the TSA answered \"HTTP/1.0 500"
run 5 attest "$T/tsafail" --key "$T/k/p256.key" --tsa-url "$TSA/garbage"
err_has "not a DER TimeStampResp"
run 5 attest "$T/tsafail" --key "$T/k/p256.key" --tsa-url "$TSA/other"
err_has "message imprint mismatch"
run 5 attest "$T/tsafail" --key "$T/k/p256.key" --tsa-url "$TSA/truncated"
err_has "the reply was cut short"
run 5 attest "$T/tsafail" --key "$T/k/p256.key" --tsa-url "http://127.0.0.1:1/tsr"
err_has "cannot connect"
run 2 attest "$T/tsafail" --key "$T/k/p256.key" --tsa-url "ftp://127.0.0.1/tsr"
err_has "only http:// and https:// URLs are supported"
same "$T/tsafail/attestation.sigstore.json" "$T/before.json"
run 5 bundle --recipe "$T/recipe.yaml" --deployer helm -o "$T/tsafail2" --sign --key "$T/k/p256.key" --tsa-url "$TSA/status500"
absent "$T/tsafail2"

begin air_gapped_timestamp
cp -a "$T/signed" "$T/airgap"
run 0 timestamp "$T/airgap" --query-out "$T/q.tsq"
sig_hash=$(jq -r '.dsseEnvelope.signatures[0].sig' "$T/airgap/attestation.sigstore.json" | base64 -d | sha256sum | awk '{print $1}')
check 'openssl asn1parse -inform DER -in "$T/q.tsq" 2>/dev/null | grep -qi "OCTET STRING *\[HEX DUMP\]:$sig_hash"' "the query is not over sha256(signature)"
(cd "$T/tsa" && openssl ts -reply -config tsa.cnf -section tsa_config -queryfile "$T/q.tsq" -out "$T/r.tsr" 2>/dev/null) ||
  bad "openssl ts -reply failed"
run 0 timestamp "$T/airgap" --response "$T/r.tsr"
harness_accepts --tsa-cert "$T/tsa/chain.pem" "$T/airgap" "$T/k/p256.pub"
cp "$T/airgap/attestation.sigstore.json" "$T/before.json"
run 2 timestamp "$T/airgap" --response "$T/r.tsr"
err_has "already attached"
# a response for another signature, garbage, neither or both flags, an unsigned bundle
run 2 timestamp "$T/airgap" --response "$T/stamp.tsr"
err_has "stamp.tsr: the timestamp is not over this signature (message imprint mismatch)"
echo garbage > "$T/garbage.tsr"
run 2 timestamp "$T/airgap" --response "$T/garbage.tsr"
err_has "garbage.tsr: not a DER TimeStampResp"
same "$T/airgap/attestation.sigstore.json" "$T/before.json"
run 2 timestamp "$T/airgap"
run 2 timestamp "$T/airgap" --query-out "$T/q2.tsq" --response "$T/r.tsr"
absent "$T/q2.tsq"
run 3 timestamp "$T/plain" --query-out "$T/q3.tsq"
absent "$T/q3.tsq"

# ----------------------------------------------------------------------------------- trust policy
pem() { sed 's/^/        /' "$1"; }
# policy OUT KEY_ENTRIES [SPEC_TAIL]: a TrustPolicy; KEY_ENTRIES and SPEC_TAIL are YAML at spec level.
policy() {
  printf 'apiVersion: galley.dev/v1alpha1\nkind: TrustPolicy\nmetadata:\n  name: test\nspec:\n  keys:\n%s\n%s\n' "$2" "${3:-}" > "$1"
}
key() {  # key NAME PUB [extra lines at item level]
  printf '    - name: %s\n      publicKey: |\n%s\n%s' "$1" "$(pem "$2")" "${3:-}"
}
tsa_entry() {  # tsa_entry NAME CHAIN
  printf '  tsa:\n    - name: %s\n      certificates: |\n%s\n' "$1" "$(pem "$2")"
}
TODAY=$(date -u +%F)
YESTERDAY=$(date -u -d yesterday +%F)
TOMORROW=$(date -u -d tomorrow +%F)

begin policy_accepts_key_in_its_window
policy "$T/p-ok.yaml" "$(key release "$T/k/p256.pub" "      notBefore: \"2020-01-01\"
      notAfter: \"2099-01-01\"")"
run 0 verify "$T/signed" --trust "$T/p-ok.yaml"
out_has "signature by key \"release\""

begin policy_second_key_signs
policy "$T/p-two.yaml" "$(key old "$T/k/ed.pub")
$(key new "$T/k/p256.pub")"
run 0 verify "$T/signed" --trust "$T/p-two.yaml"
out_has "signature by key \"new\""
run 0 verify "$T/det1" --trust "$T/p-two.yaml"
out_has "signature by key \"old\""

begin wrong_key
galley_rejects "$T/signed" "signature: no trusted key verifies it" --key "$T/k/ed.pub"
keygen_other() { "$GALLEY" keygen --out "$T/k/other" >/dev/null; }
keygen_other
galley_rejects "$T/signed" "signature: no trusted key verifies it" --key "$T/k/other.pub"
harness_rejects "$T/signed" "$T/k/other.pub" "signature"

begin expired_key_without_timestamp
policy "$T/p-expired.yaml" "$(key release "$T/k/p256.pub" "      notAfter: \"2020-01-01\"")"
galley_rejects "$T/signed" "key \"release\": expired 2020-01-01T00:00:00Z" --trust "$T/p-expired.yaml"
out_has "NOT established: signing time"
out_has "no trusted timestamp shows it was signed while the key was valid"

begin key_not_yet_valid
policy "$T/p-future.yaml" "$(key release "$T/k/p256.pub" "      notBefore: \"2099-01-01\"")"
galley_rejects "$T/signed" "not valid before 2099-01-01" --trust "$T/p-future.yaml"

begin rotated_key_verifies_with_trusted_timestamp
# The key's window ends tomorrow; judged in 2031 (--as-of) it has expired. The timestamp shows the
# bundle was signed inside the window, so it still verifies; without one it does not.
policy "$T/p-rotated.yaml" "$(key release "$T/k/p256.pub" "      notBefore: \"$YESTERDAY\"
      notAfter: \"$TOMORROW\"")" "$(tsa_entry local "$T/tsa/chain.pem")"
run 0 verify "$T/stamped" --trust "$T/p-rotated.yaml" --as-of 2031-01-01
out_has "established: signed no later than $TODAY"
out_has "RFC 3161 timestamp by TSA \"local\""
out_lacks "NOT established: signing time"
run 0 verify "$T/airgap" --trust "$T/p-rotated.yaml" --as-of 2031-01-01 --format json
check '[ "$(jq -r .established.signedAt.tsa "$T/out")" = local ]' "json signedAt.tsa"
galley_rejects "$T/signed" "expired $TOMORROW" --trust "$T/p-rotated.yaml" --as-of 2031-01-01
run 0 verify "$T/signed" --trust "$T/p-rotated.yaml"

begin revoked_key
policy "$T/p-revoked.yaml" "$(key release "$T/k/p256.pub")" "  revocations:
    - key: release
      date: \"2020-06-01\"
      reason: key compromise"
galley_rejects "$T/signed" "key \"release\": revoked 2020-06-01T00:00:00Z (key compromise)" --trust "$T/p-revoked.yaml"
policy "$T/p-revoked-ts.yaml" "$(key release "$T/k/p256.pub")" "$(tsa_entry local "$T/tsa/chain.pem")
  revocations:
    - key: release
      date: \"2020-06-01\""
galley_rejects "$T/stamped" "revoked 2020-06-01T00:00:00Z, before the signing time" --trust "$T/p-revoked-ts.yaml"
# revoked after the timestamped signing time: still valid; an untimestamped bundle is not
policy "$T/p-revoked-later.yaml" "$(key release "$T/k/p256.pub")" "$(tsa_entry local "$T/tsa/chain.pem")
  revocations:
    - key: release
      date: \"$TOMORROW\""
run 0 verify "$T/stamped" --trust "$T/p-revoked-later.yaml" --as-of 2031-01-01
galley_rejects "$T/signed" "revoked $TOMORROW" --trust "$T/p-revoked-later.yaml" --as-of 2031-01-01

begin untimestamped_deny
policy "$T/p-deny.yaml" "$(key release "$T/k/p256.pub")" "$(tsa_entry local "$T/tsa/chain.pem")
  untimestamped: deny"
galley_rejects "$T/signed" "requires a trusted timestamp" --trust "$T/p-deny.yaml"
run 0 verify "$T/stamped" --trust "$T/p-deny.yaml"

begin timestamp_from_an_untrusted_tsa
cp -a "$T/signed" "$T/impostor-stamped"
run 0 timestamp "$T/impostor-stamped" --query-out "$T/qi.tsq"
(cd "$T/impostor" && openssl ts -reply -config tsa.cnf -section tsa_config -queryfile "$T/qi.tsq" -out "$T/ri.tsr" 2>/dev/null)
run 0 timestamp "$T/impostor-stamped" --response "$T/ri.tsr"
galley_rejects "$T/impostor-stamped" "timestamp[0]: not verified by any trusted TSA" --trust "$T/p-deny.yaml"
run 0 verify "$T/impostor-stamped" --key "$T/k/p256.pub"
out_has "NOT established: the bundle carries 1 RFC 3161 timestamp(s), but no TSA is trusted"

begin builder_ids
policy "$T/p-builder.yaml" "$(key release "$T/k/ed.pub")" "  allowedBuilderIds: [https://ci.example.com/pipeline/7]"
run 0 verify "$T/sde" --trust "$T/p-builder.yaml"
out_has "built by https://ci.example.com/pipeline/7"
galley_rejects "$T/det1" "is not one of the policy's allowedBuilderIds" --trust "$T/p-builder.yaml"

begin older_tool_version_refused
policy "$T/p-newer.yaml" "$(key release "$T/k/p256.pub")" "  minimumToolVersion: 99.0.0"
galley_rejects "$T/signed" "older than the policy's minimumToolVersion 99.0.0" --trust "$T/p-newer.yaml"
policy "$T/p-same.yaml" "$(key release "$T/k/p256.pub")" "  minimumToolVersion: 0.0.1"
run 0 verify "$T/signed" --trust "$T/p-same.yaml"

begin bad_policies_exit_2
printf 'apiVersion: galley.dev/v1alpha1\nkind: Recipe\nmetadata:\n  name: x\nspec: {}\n' > "$T/p-kind.yaml"
run 2 verify "$T/signed" --trust "$T/p-kind.yaml"
policy "$T/p-field.yaml" "$(key release "$T/k/p256.pub")" "  colour: blue"
run 2 verify "$T/signed" --trust "$T/p-field.yaml"
err_has "p-field.yaml"
err_has "colour"
policy "$T/p-pem.yaml" "    - name: release
      publicKey: |
        -----BEGIN PUBLIC KEY-----
        AAAA
        -----END PUBLIC KEY-----"
run 2 verify "$T/signed" --trust "$T/p-pem.yaml"
err_has "p-pem.yaml:8: spec.keys[0].publicKey: not an ECDSA P-256 or Ed25519 public key PEM"
policy "$T/p-date.yaml" "$(key release "$T/k/p256.pub" "      notAfter: \"2020-13-45\"")"
run 2 verify "$T/signed" --trust "$T/p-date.yaml"
err_has "spec.keys[0].notAfter: not a date"
policy "$T/p-rev.yaml" "$(key release "$T/k/p256.pub")" "  revocations:
    - key: relaese
      date: \"2020-01-01\""
run 2 verify "$T/signed" --trust "$T/p-rev.yaml"
err_has "\"relaese\" is not one of spec.keys"
policy "$T/p-dup.yaml" "$(key release "$T/k/p256.pub")
$(key release "$T/k/ed.pub")"
run 2 verify "$T/signed" --trust "$T/p-dup.yaml"
err_has "names two keys"
policy "$T/p-tsa.yaml" "$(key release "$T/k/p256.pub")" "$(tsa_entry local "$T/tsa/tsa.pem")"
run 2 verify "$T/signed" --trust "$T/p-tsa.yaml"
err_has "spec.tsa[0].certificates: holds 1 certificate(s)"
printf 'spec: [\n' > "$T/p-yaml.yaml"
run 2 verify "$T/signed" --trust "$T/p-yaml.yaml"
run 3 verify "$T/signed" --trust "$T/p-missing.yaml"

begin verify_usage_exit_2
run 2 verify "$T/signed"
err_has "give exactly one of --key PUB and --trust POLICY"
run 2 verify "$T/signed" --key "$T/k/p256.pub" --trust "$T/p-ok.yaml"
run 2 verify "$T/signed" --key "$T/k/p256.pub" --as-of "next tuesday"
err_has "--as-of"
run 2 verify "$T/signed" --key "$T/k/p256.pub" --format xml
run 2 verify "$T/signed" --key "$T/k/rsa.key"
openssl pkey -in "$T/k/rsa.key" -pubout -out "$T/k/rsa.pub" 2>/dev/null
run 2 verify "$T/signed" --key "$T/k/rsa.pub"
err_has "not an ECDSA P-256 or Ed25519 public key"
run 3 verify "$T/nowhere" --key "$T/k/p256.pub"
ln -s "$T/signed" "$T/signed-link"
run 0 verify "$T/signed-link" --key "$T/k/p256.pub"
run 2 verify "$T/signed/bundle.yaml" --key "$T/k/p256.pub"

begin verify_json_statement
run 0 verify "$T/signed" --key "$T/k/p256.pub" --format json
check '[ "$(jq -r .verified "$T/out")" = true ]' "verified"
check '[ "$(jq -r .established.signature.keyId "$T/out")" = "$kid" ]' "signature.keyId"
check '[ "$(jq -r .established.inventory.complete "$T/out")" = true ]' "inventory.complete"
check '[ "$(jq -r .established.recipeDigest "$T/out")" = "sha256:$recipe_digest" ]' "recipeDigest"
check '[ "$(jq -r ".established.signedAt" "$T/out")" = null ]' "signedAt without a timestamp"
check 'jq -r ".notEstablished[]" "$T/out" | grep -q "^signing time"' "notEstablished lacks the signing time"
check '[ "$(jq -r ".failures | length" "$T/out")" = 0 ]' "failures"
run 1 verify "$T/signed" --key "$T/k/ed.pub" --format json
check '[ "$(jq -r .verified "$T/out")" = false ] && [ "$(jq -r ".failures | length" "$T/out")" -ge 1 ]' "json failure"

begin verify_needs_no_network_or_state
env -i "$GALLEY" verify "$T/stamped" --trust "$T/p-rotated.yaml" >"$T/out" 2>"$T/err" && ok || bad "fails with an empty environment: $(cat "$T/out" "$T/err")"
if command -v unshare >/dev/null && unshare -rn true 2>/dev/null; then
  unshare -rn "$GALLEY" verify "$T/stamped" --trust "$T/p-rotated.yaml" >"$T/out" 2>"$T/err" && ok || bad "fails without a network: $(cat "$T/out" "$T/err")"
fi

# ---------------------------------------------------------------------------------- tamper matrix
# Each copy of $T/signed is changed one way; galley verify, attest-verify.mjs and attest-verify.py must all reject
# it, each with a message naming what failed.
tamper() { rm -rf "$T/t"; cp -a "$T/signed" "$T/t"; }
PUB=$T/k/p256.pub

begin tamper_flipped_byte_in_each_file
while IFS= read -r rel; do
  tamper
  flip "$T/t/$rel"
  galley_rejects "$T/t" "subject[" --key "$PUB"
  out_has "\"$rel\": sha256 mismatch"
  harness_rejects "$T/t" "$PUB" "\"$rel\": sha256 mismatch"
done < <(cd "$T/signed" && find . -type f ! -name attestation.sigstore.json | sed 's|^\./||' | LC_ALL=C sort)

begin tamper_statement
tamper
python3 - "$T/t/attestation.sigstore.json" <<'EOF'
import base64, json, sys
p = sys.argv[1]
d = json.load(open(p))
s = base64.b64decode(d["dsseEnvelope"]["payload"]).replace(b'"deployer":"helm"', b'"deployer":"helM"')
d["dsseEnvelope"]["payload"] = base64.b64encode(s).decode()
json.dump(d, open(p, "w"), indent=2)
EOF
galley_rejects "$T/t" "signature: no trusted key verifies it" --key "$PUB"
harness_rejects "$T/t" "$PUB" "signature"
# a flipped byte in the base64 payload text
tamper
python3 - "$T/t/attestation.sigstore.json" <<'EOF'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
t = d["dsseEnvelope"]["payload"]
i = len(t) // 2
d["dsseEnvelope"]["payload"] = t[:i] + ("A" if t[i] != "A" else "B") + t[i + 1:]
json.dump(d, open(p, "w"), indent=2)
EOF
galley_rejects "$T/t" "signature: no trusted key verifies it" --key "$PUB"
harness_rejects "$T/t" "$PUB" "signature"

begin tamper_signature
tamper
python3 - "$T/t/attestation.sigstore.json" <<'EOF'
import base64, json, sys
p = sys.argv[1]
d = json.load(open(p))
sig = bytearray(base64.b64decode(d["dsseEnvelope"]["signatures"][0]["sig"]))
sig[len(sig) // 2] ^= 0x01
d["dsseEnvelope"]["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
json.dump(d, open(p, "w"), indent=2)
EOF
galley_rejects "$T/t" "signature: no trusted key verifies it" --key "$PUB"
harness_rejects "$T/t" "$PUB" "signature"

begin tamper_added_file
tamper
echo "kind: ConfigMap" > "$T/t/03-extra.yaml"
galley_rejects "$T/t" "file \"03-extra.yaml\" is in the folder but is not a subject of the statement" --key "$PUB"
out_has "\"03-extra.yaml\" is in the folder but not in bundle.yaml's inventory"
harness_rejects "$T/t" "$PUB" "file \"03-extra.yaml\" is in the folder but is not a subject"
tamper
mkdir -p "$T/t/.git" && echo x > "$T/t/.git/HEAD"
galley_rejects "$T/t" "file \".git/HEAD\" is in the folder but is not a subject" --key "$PUB"

begin tamper_removed_file
tamper
rm "$T/t/deploy.sh"
galley_rejects "$T/t" "\"deploy.sh\": no such file in the folder" --key "$PUB"
out_has "\"deploy.sh\" is in bundle.yaml's inventory but missing from the folder"
harness_rejects "$T/t" "$PUB" "\"deploy.sh\": no such file in the folder"

begin tamper_renamed_file
tamper
mv "$T/t/undeploy.sh" "$T/t/undeploy2.sh"
galley_rejects "$T/t" "\"undeploy.sh\": no such file in the folder" --key "$PUB"
out_has "file \"undeploy2.sh\" is in the folder but is not a subject"
harness_rejects "$T/t" "$PUB" "\"undeploy.sh\": no such file in the folder"

begin tamper_symlinked_file
tamper
mv "$T/t/README.md" "$T/README.copy" && ln -s "$T/README.copy" "$T/t/README.md"
galley_rejects "$T/t" "\"README.md\" is a symbolic link" --key "$PUB"
harness_rejects "$T/t" "$PUB" "symlink"
tamper
ln -s deploy.sh "$T/t/deploy-link.sh"
galley_rejects "$T/t" "\"deploy-link.sh\" is a symbolic link" --key "$PUB"
tamper
ln -sf "$T/signed/attestation.sigstore.json" "$T/t/attestation.sigstore.json.tmp" && mv -T "$T/t/attestation.sigstore.json.tmp" "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "attestation.sigstore.json is not a regular file" --key "$PUB"

begin tamper_mode
tamper
chmod 0644 "$T/t/deploy.sh"
galley_rejects "$T/t" "\"deploy.sh\": mode differs from bundle.yaml's 0755" --key "$PUB"

begin tamper_statement_from_another_bundle
tamper
cp "$T/other/attestation.sigstore.json" "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "sha256 mismatch" --key "$PUB"
harness_rejects "$T/t" "$PUB" "sha256 mismatch"

begin tamper_recipe_and_inventory_rewritten
# An attacker edits recipe.yaml and rewrites bundle.yaml's inventory to match: the signed statement
# still names the old digests.
tamper
sed -i 's/^  name: .*/  name: evil/' "$T/t/recipe.yaml"
python3 - "$T/t" <<'EOF'
import hashlib, os, re, sys
d = sys.argv[1]
b = open(os.path.join(d, "bundle.yaml")).read()
data = open(os.path.join(d, "recipe.yaml"), "rb").read()
b = re.sub(r"(path: recipe\.yaml\n\s+sha256: )[0-9a-f]{64}(\n\s+size: )\d+",
           lambda m: m.group(1) + hashlib.sha256(data).hexdigest() + m.group(2) + str(len(data)), b)
open(os.path.join(d, "bundle.yaml"), "w").write(b)
EOF
galley_rejects "$T/t" "subject[" --key "$PUB"
out_has "\"recipe.yaml\": sha256 mismatch"
out_has "\"bundle.yaml\": sha256 mismatch"

begin tamper_recipe_not_a_recipe
tamper
echo hello > "$T/t/recipe.yaml"
galley_rejects "$T/t" "recipe digest: recipe.yaml says nothing" --key "$PUB"
out_has "\"recipe.yaml\": sha256 mismatch"
harness_rejects "$T/t" "$PUB" "\"recipe.yaml\": sha256 mismatch"

begin tamper_statement_of_another_shape
tamper
python3 - "$T/t/attestation.sigstore.json" <<'EOF'
import base64, json, sys
p = sys.argv[1]
d = json.load(open(p))
d["dsseEnvelope"]["payload"] = base64.b64encode(b'{"_type":5,"subject":{"a":1},"predicate":[1]}').decode()
json.dump(d, open(p, "w"), indent=2)
EOF
galley_rejects "$T/t" "statement: _type is 5" --key "$PUB"
out_has "signature: no trusted key verifies it"
harness_rejects "$T/t" "$PUB" "signature"

begin attest_refuses_an_unsound_recipe
# recipe.yaml edited and the inventory rewritten to match: the folder matches bundle.yaml, but the
# recipe's own digest no longer matches its content, so galley will not sign it.
cp -a "$T/plain" "$T/unsound"
sed -i 's/^  name: .*/  name: evil/' "$T/unsound/recipe.yaml"
python3 - "$T/unsound" <<'EOF'
import hashlib, os, re, sys
d = sys.argv[1]
b = open(os.path.join(d, "bundle.yaml")).read()
data = open(os.path.join(d, "recipe.yaml"), "rb").read()
b = re.sub(r"(path: recipe\.yaml\n\s+sha256: )[0-9a-f]{64}(\n\s+size: )\d+",
           lambda m: m.group(1) + hashlib.sha256(data).hexdigest() + m.group(2) + str(len(data)), b)
open(os.path.join(d, "bundle.yaml"), "w").write(b)
EOF
run 2 attest "$T/unsound" --key "$T/k/p256.key"
err_has "recipe.yaml"
err_has "does not match the recipe's content"
absent "$T/unsound/attestation.sigstore.json"

begin tamper_envelope_shape
tamper
jq '.verificationMaterial.publicKey.hint = "c29tZW9uZSBlbHNl"' "$T/signed/attestation.sigstore.json" > "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "differs from the DSSE keyid" --key "$PUB"
tamper
jq '.verificationMaterial.tlogEntries = [{"logIndex": "1"}]' "$T/signed/attestation.sigstore.json" > "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "transparency-log entries cannot be checked offline" --key "$PUB"
tamper
jq '.dsseEnvelope.payloadType = "application/json"' "$T/signed/attestation.sigstore.json" > "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "payloadType is \"application/json\"" --key "$PUB"
tamper
jq '.mediaType = "application/vnd.dev.sigstore.bundle.v0.1+json"' "$T/signed/attestation.sigstore.json" > "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "mediaType is" --key "$PUB"
tamper
jq '.dsseEnvelope.signatures += .dsseEnvelope.signatures' "$T/signed/attestation.sigstore.json" > "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "has 2 signatures" --key "$PUB"
tamper
echo '{"mediaType":' > "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "not a JSON object" --key "$PUB"
tamper
jq '.dsseEnvelope.signatures[0].sig = "***"' "$T/signed/attestation.sigstore.json" > "$T/t/attestation.sigstore.json"
galley_rejects "$T/t" "not valid base64" --key "$PUB"

begin tamper_timestamp
rm -rf "$T/t"
cp -a "$T/stamped" "$T/t"
python3 - "$T/t/attestation.sigstore.json" <<'EOF'
import base64, json, sys
p = sys.argv[1]
d = json.load(open(p))
ts = d["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]
b = bytearray(base64.b64decode(ts["signedTimestamp"]))
b[-20] ^= 0x01  # inside the CMS signature
ts["signedTimestamp"] = base64.b64encode(bytes(b)).decode()
json.dump(d, open(p, "w"), indent=2)
EOF
galley_rejects "$T/t" "timestamp[0]: not verified by any trusted TSA" --trust "$T/p-rotated.yaml"

begin verify_as_of_refuses_impossible_dates
run 2 verify "$T/signed" --key "$T/k/p256.pub" --as-of 2025-02-31
err_has '--as-of: "2025-02-31" is not a date or time'
run 2 verify "$T/signed" --key "$T/k/p256.pub" --as-of 2025-01-01T24:00:00Z
run 0 verify "$T/signed" --key "$T/k/p256.pub" --as-of 2024-02-29

begin policy_refuses_impossible_dates
policy "$T/p-feb31.yaml" "$(key release "$T/k/p256.pub" "      notAfter: \"2025-02-31\"")"
run 2 verify "$T/signed" --trust "$T/p-feb31.yaml"
err_has "p-feb31.yaml:$(grep -n notAfter "$T/p-feb31.yaml" | cut -d: -f1): spec.keys[0].notAfter: not a date"
policy "$T/p-leap.yaml" "$(key release "$T/k/p256.pub" "      notBefore: \"2024-02-29\"")"
run 0 verify "$T/signed" --trust "$T/p-leap.yaml"

finish attest_blackbox
