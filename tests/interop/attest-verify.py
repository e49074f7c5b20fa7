#!/usr/bin/env python3
"""A folder against its Sigstore bundle, checked with the openssl CLI and Python's standard library only.

Usage: attest-verify.py [--strict] [--tsa-cert CHAIN.pem] BUNDLE.json PUBLIC_KEY.pem FOLDER
The DSSE signature over PAE(payloadType, payload) is checked by `openssl dgst -verify` (ECDSA, RSA) or
`openssl pkeyutl -verify -rawin` (Ed25519); with --tsa-cert each RFC 3161 timestamp by `openssl ts
-verify` over the signature bytes (the chain's self-signed certificates trusted, the others untrusted
intermediates); then each in-toto subject against the folder: same files, same sha256, no symlink.
--strict also checks the bundle's mediaType and that its key hint equals the signature's keyid.
Prints "OK: ..." and exits 0, or one "FAIL: ..." line per problem and exits 1 (2: bad usage).
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

args = sys.argv[1:]
strict = "--strict" in args
args = [a for a in args if a != "--strict"]
tsa = None
if "--tsa-cert" in args:
    i = args.index("--tsa-cert")
    tsa = args[i + 1] if i + 1 < len(args) else None
    del args[i:i + 2]
if len(args) != 3 or ("--tsa-cert" in sys.argv and not tsa):
    print(__doc__.splitlines()[2], file=sys.stderr)
    sys.exit(2)
bundle_path, key_path, folder = args
failures = []
tmp = tempfile.mkdtemp()


def temp(name: str, data: bytes) -> str:
    p = os.path.join(tmp, name)
    with open(p, "wb") as f:
        f.write(data)
    return p


def openssl(*argv) -> bool:
    return subprocess.run(["openssl", *argv], capture_output=True).returncode == 0


doc = json.load(open(bundle_path))
vm = doc.get("verificationMaterial") or {}
env = doc.get("dsseEnvelope") or {}
sigs = env.get("signatures") or []
stamps = (vm.get("timestampVerificationData") or {}).get("rfc3161Timestamps") or []
if strict and doc.get("mediaType") != "application/vnd.dev.sigstore.bundle.v0.3+json":
    failures.append(f"bundle mediaType is {doc.get('mediaType')!r}")
if "publicKey" not in vm:
    failures.append("bundle: no verificationMaterial.publicKey")
if strict and sigs and (vm.get("publicKey") or {}).get("hint", "") != sigs[0].get("keyid", ""):
    failures.append("bundle key hint differs from the signature's keyid")
statement = None
try:
    payload = base64.b64decode(env["payload"], validate=True)
    sig = base64.b64decode(sigs[0]["sig"], validate=True)
    ptype = env["payloadType"].encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(payload), payload)
    text = subprocess.run(["openssl", "pkey", "-pubin", "-in", key_path, "-noout", "-text_pub"],
                          capture_output=True, text=True).stdout
    pae_file, sig_file = temp("pae", pae), temp("sig", sig)
    if "ED25519" in text.upper():
        good = openssl("pkeyutl", "-verify", "-pubin", "-inkey", key_path, "-rawin", "-in", pae_file, "-sigfile", sig_file)
    else:
        good = openssl("dgst", "-sha256", "-verify", key_path, "-signature", sig_file, pae_file)
    if not good:
        failures.append("signature (openssl): the public key does not verify the DSSE signature")
    if stamps and not tsa:
        failures.append(f"bundle has {len(stamps)} RFC 3161 timestamp(s) and no --tsa-cert to check them")
    if tsa:
        pems = open(tsa).read().split("-----END CERTIFICATE-----")
        pems = [p.strip() + "\n-----END CERTIFICATE-----\n" for p in pems if "BEGIN CERTIFICATE" in p]
        roots, others = [], []
        for p in pems:
            f = temp("c%d.pem" % len(roots + others), p.encode())
            subject = subprocess.run(["openssl", "x509", "-in", f, "-noout", "-subject"], capture_output=True, text=True).stdout
            issuer = subprocess.run(["openssl", "x509", "-in", f, "-noout", "-issuer"], capture_output=True, text=True).stdout
            (roots if subject.split("=", 1)[1:] == issuer.split("=", 1)[1:] else others).append(p)
        ca, untrusted = temp("ca.pem", "".join(roots).encode()), temp("untrusted.pem", "".join(others).encode())
        if not stamps:
            failures.append("timestamp: --tsa-cert given, but the bundle has no RFC 3161 timestamp")
        for n, s in enumerate(stamps):
            tsr = temp("t%d.tsr" % n, base64.b64decode(s.get("signedTimestamp", "")))
            extra = ["-untrusted", untrusted] if others else []
            if not openssl("ts", "-verify", "-in", tsr, "-data", sig_file, "-CAfile", ca, *extra):
                failures.append(f"timestamp[{n}] (openssl ts -verify): does not verify against {tsa}")
    if env.get("payloadType") != "application/vnd.in-toto+json":
        failures.append(f"payloadType is {env.get('payloadType')!r}")
    statement = json.loads(payload)
    if not isinstance(statement, dict) or statement.get("_type") != "https://in-toto.io/Statement/v1":
        failures.append("statement: not an in-toto Statement v1")
except (KeyError, IndexError, TypeError, ValueError) as e:
    failures.append(f"bundle: cannot read it ({e!r}); signature not checked")

root = os.path.abspath(folder)
self_rel = os.path.relpath(os.path.abspath(bundle_path), root)
found = {}
for d, dirs, files in os.walk(root):
    for name in dirs + files:
        p = os.path.join(d, name)
        rel = os.path.relpath(p, root).replace(os.sep, "/")
        if os.path.islink(p):
            found[rel] = None
        elif os.path.isfile(p) and rel != self_rel:
            found[rel] = p
subjects = statement.get("subject") if isinstance(statement, dict) else None
subjects = subjects if isinstance(subjects, list) else []
named = set()
for s in subjects:
    name = s.get("name") if isinstance(s, dict) else None
    named.add(name)
    if name not in found:
        failures.append(f'subject "{name}": no such file in the folder')
    elif found[name] is None:
        failures.append(f'subject "{name}": is a symlink')
    elif hashlib.sha256(open(found[name], "rb").read()).hexdigest() != (s.get("digest") or {}).get("sha256"):
        failures.append(f'subject "{name}": sha256 mismatch')
for rel, p in sorted(found.items()):
    if rel not in named:
        failures.append(f'"{rel}" is a symlink' if p is None else f'file "{rel}" is in the folder but is not a subject')
if failures:
    for f in failures:
        print("FAIL: " + f)
    sys.exit(1)
print(f"OK: {len(subjects)} subject(s) verified with openssl" + (f", {len(stamps)} timestamp(s)" if tsa else ""))
