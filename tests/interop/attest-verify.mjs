#!/usr/bin/env node
// attest-verify.mjs: a folder against its Sigstore bundle (DSSE, in-toto Statement v1), verified by
// sigstore-js (@sigstore/bundle parses it, @sigstore/verify checks the signature with the given public
// key and, with --tsa-cert, the RFC 3161 timestamps against that TSA chain), then each statement
// subject against the folder: same files, same sha256, no symbolic link.
// Usage: node attest-verify.mjs [--strict] [--tsa-cert CHAIN.pem] BUNDLE.json PUBLIC_KEY.pem FOLDER
//   --strict  the bundle's mediaType and its key hint (equal to the signature's keyid) are checked too
// Prints "OK: ..." and exits 0, or one "FAIL: ..." line per problem and exits 1 (2: bad usage).
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import sigstoreBundle from "@sigstore/bundle";
import sigstoreVerify from "@sigstore/verify";

const { bundleFromJSON } = sigstoreBundle;
const { Verifier, toSignedEntity, toTrustMaterial } = sigstoreVerify;
const args = process.argv.slice(2);
let strict = false;
let tsaPem = null;
const rest = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--strict") strict = true;
  else if (args[i] === "--tsa-cert") tsaPem = args[++i];
  else rest.push(args[i]);
}
if (rest.length !== 3 || (args.includes("--tsa-cert") && !tsaPem)) {
  console.error("usage: node attest-verify.mjs [--strict] [--tsa-cert CHAIN.pem] BUNDLE.json PUBLIC_KEY.pem FOLDER");
  process.exit(2);
}
const [bundlePath, keyPath, folder] = rest;
const failures = [];
const fail = (m) => failures.push(m);

const doc = JSON.parse(fs.readFileSync(bundlePath, "utf8"));
const key = crypto.createPublicKey(fs.readFileSync(keyPath));
const stamps = doc?.verificationMaterial?.timestampVerificationData?.rfc3161Timestamps ?? [];
if (strict && doc.mediaType !== "application/vnd.dev.sigstore.bundle.v0.3+json") fail(`bundle mediaType is ${JSON.stringify(doc.mediaType)}`);
if (!doc?.verificationMaterial?.publicKey) fail("bundle: no verificationMaterial.publicKey");
if (stamps.length > 0 && !tsaPem) fail(`bundle has ${stamps.length} RFC 3161 timestamp(s) and no --tsa-cert to check them`);

// The TSA chain, leaf first whatever order the file has; trusted while every certificate is valid.
const root = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] };
if (tsaPem) {
  const certs = (fs.readFileSync(tsaPem, "utf8").match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [])
    .map((p) => new crypto.X509Certificate(p)).sort((a, b) => Number(a.ca) - Number(b.ca));
  root.timestampAuthorities.push({
    certChain: { certificates: certs.map((c) => ({ rawBytes: c.raw })) },
    validFor: { start: new Date(Math.max(...certs.map((c) => Date.parse(c.validFrom)))),
                end: new Date(Math.min(...certs.map((c) => Date.parse(c.validTo)))) },
  });
}
const trust = toTrustMaterial(root, () => ({ publicKey: key, validFor: () => true }));
const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: tsaPem ? 1 : 0 });

let statement = null;
try {
  const bundle = bundleFromJSON(doc);
  const envelope = bundle.content.dsseEnvelope;
  if (!envelope) throw new Error("no dsseEnvelope");
  if (strict && doc.verificationMaterial.publicKey.hint !== (envelope.signatures[0]?.keyid ?? "")) fail("bundle key hint differs from the signature's keyid");
  try {
    verifier.verify(toSignedEntity(bundle));
  } catch (e) {
    fail(`${e.code === "SIGNATURE_ERROR" || !tsaPem ? "signature" : "timestamp"} (@sigstore/verify): ${e.code ?? ""} ${e.message}`);
  }
  if (envelope.payloadType !== "application/vnd.in-toto+json") fail(`payloadType is ${envelope.payloadType}`);
  statement = JSON.parse(envelope.payload.toString("utf8"));
  if (statement?._type !== "https://in-toto.io/Statement/v1") fail(`statement _type is ${JSON.stringify(statement?._type)}`);
} catch (e) {
  fail(`bundle (@sigstore/bundle): ${e.message}`);
}

// The folder: every regular file but the bundle itself is a subject, and every subject is a file.
const dir = path.resolve(folder);
const self = path.relative(dir, path.resolve(bundlePath)).split(path.sep).join("/");
const found = new Map();
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const abs = path.join(d, e.name);
    const rel = path.relative(dir, abs).split(path.sep).join("/");
    if (e.isSymbolicLink()) found.set(rel, null);
    else if (e.isDirectory()) walk(abs);
    else if (rel !== self) found.set(rel, abs);
  }
})(dir);
const subjects = Array.isArray(statement?.subject) ? statement.subject : [];
if (statement && subjects.length === 0) fail("statement has no subject");
const named = new Set();
for (const s of subjects) {
  named.add(s.name);
  if (!found.has(s.name)) { fail(`subject "${s.name}": no such file in the folder`); continue; }
  const abs = found.get(s.name);
  if (abs === null) { fail(`subject "${s.name}": is a symlink`); continue; }
  const sum = crypto.createHash("sha256").update(fs.readFileSync(abs)).digest("hex");
  if (sum !== s.digest?.sha256) fail(`subject "${s.name}": sha256 mismatch`);
}
for (const [rel, abs] of found) {
  if (named.has(rel)) continue;
  fail(abs === null ? `"${rel}" is a symlink` : `file "${rel}" is in the folder but is not a subject`);
}
if (failures.length > 0) {
  for (const f of failures) console.log(`FAIL: ${f}`);
  process.exit(1);
}
console.log(`OK: ${subjects.length} subject(s) verified by sigstore-js${tsaPem ? `, ${stamps.length} timestamp(s)` : ""}`);
