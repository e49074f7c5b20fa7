#!/usr/bin/env node
// k8s-check.mjs: every Kubernetes object in the given YAML files, judged by schemas Galley did not write.
//   core kinds        npm kubernetes-models (validators generated from Kubernetes' OpenAPI spec)
//   Argo CD kinds     npm @kubernetes-models/argo-cd 2.7.2 (from Argo CD v2.14's CRDs) and 4.0.0
//                     (from Argo CD v3's Go types): an object must satisfy both
//   custom resources  the openAPIV3Schema of each CRD given with --crds=PATH (file or folder), by ajv
// Fields a schema does not declare are failures too (as `kubectl apply --validate=strict` refuses them).
// Usage: node k8s-check.mjs [--crds=PATH]... PATH...   (PATH: a file or a folder, walked for *.yaml/*.yml)
// Prints one line per failure and a closing line "N object(s), N failure(s), N without schema".
// Exit: 0 no failure, 1 a failure, 2 bad usage.
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models";
import * as argoV3 from "@kubernetes-models/argo-cd";
import * as argoV2 from "argo-cd-crd-v2-14";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const crdPaths = [];
const inputs = [];
for (const a of process.argv.slice(2)) {
  if (a.startsWith("--crds=")) crdPaths.push(a.slice("--crds=".length));
  else if (a.startsWith("-")) { console.error(`k8s-check: unknown option ${a}`); process.exit(2); }
  else inputs.push(a);
}
if (inputs.length === 0) { console.error("usage: node k8s-check.mjs [--crds=PATH]... PATH..."); process.exit(2); }

// Model classes by "apiVersion|kind", found by walking each package's exports.
const schemas = new Map();
function register(ns, source, seen = new Set()) {
  if (ns === null || (typeof ns !== "object" && typeof ns !== "function") || seen.has(ns)) return;
  seen.add(ns);
  if (typeof ns === "function") {
    if (typeof ns.apiVersion === "string" && typeof ns.kind === "string") {
      const key = `${ns.apiVersion}|${ns.kind}`;
      const list = schemas.get(key) ?? [];
      if (!list.some((e) => e.source === source)) list.push({ source, model: ns });
      schemas.set(key, list);
    }
    return;
  }
  for (const k of Object.keys(ns)) register(ns[k], source, seen);
}
register(core, "kubernetes-models");
register(argoV2, "argo-cd 2.14 CRD");
register(argoV3, "argo-cd v3 types");

// Reads of the validator are recorded through proxies: an object whose schema lists properties is
// read key by key, so a key never read is one the schema does not know. Objects the validator lists
// (maps, free-form fields) are not judged. The generators drop properties named "description" and
// "x-kubernetes-*" from their schemas: those are never reported.
function watched(root) {
  const seen = [];
  const cache = new WeakMap();
  const wrap = (value, where) => {
    if (value === null || typeof value !== "object") return value;
    if (cache.has(value)) return cache.get(value);
    const note = { value, where, read: new Set(), listed: false };
    seen.push(note);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== "string") return v;
        note.read.add(key);
        return Object.hasOwn(target, key) ? wrap(v, `${where}/${key}`) : v;
      },
      has(target, key) { note.read.add(String(key)); return Reflect.has(target, key); },
      getOwnPropertyDescriptor(target, key) { note.read.add(String(key)); return Reflect.getOwnPropertyDescriptor(target, key); },
      ownKeys(target) { note.listed = true; return Reflect.ownKeys(target); },
    });
    cache.set(value, proxy);
    return proxy;
  };
  const unknown = () => seen.flatMap((n) => (Array.isArray(n.value) || n.listed || n.read.size === 0) ? [] :
    Object.keys(n.value).filter((k) => !n.read.has(k) && k !== "description" && !k.startsWith("x-kubernetes-"))
      .map((k) => `${n.where}/${k}`));
  return { proxy: wrap(root, ""), unknown };
}
function byModel(model, obj) {
  const w = watched(obj);
  const problems = [];
  try { model.prototype.validate.call(w.proxy); } catch (e) {
    if (Array.isArray(e.errors) && e.errors.length > 0) {
      for (const x of e.errors) problems.push(`${x.instancePath || "/"} ${x.message}`);
    } else problems.push(String(e.message ?? e));
  }
  for (const u of w.unknown()) problems.push(`${u}: unknown field`);
  return [...new Set(problems)];
}

// CRDs: OpenAPI v3 schemas, made acceptable to ajv (nullable, boolean exclusive bounds); unknown
// fields are those not under properties where the schema has properties and no additionalProperties.
const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
function toAjv(s) {
  if (Array.isArray(s)) return s.map(toAjv);
  if (s === null || typeof s !== "object") return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith("x-kubernetes-") || k === "nullable") continue;
    out[k] = toAjv(v);
  }
  if (s.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  if (s["x-kubernetes-int-or-string"] === true) { delete out.type; out.anyOf = [{ type: "integer" }, { type: "string" }]; }
  if (s["x-kubernetes-preserve-unknown-fields"] === true) out.additionalProperties = true;
  return out;
}
function undeclared(schema, value, where, out) {
  if (!schema || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) { value.forEach((v, i) => undeclared(schema.items, v, `${where}/${i}`, out)); return; }
  if (schema["x-kubernetes-preserve-unknown-fields"] === true && !schema.properties) return;
  for (const [k, v] of Object.entries(value)) {
    if (schema.properties && k in schema.properties) undeclared(schema.properties[k], v, `${where}/${k}`, out);
    else if (schema.additionalProperties && typeof schema.additionalProperties === "object") undeclared(schema.additionalProperties, v, `${where}/${k}`, out);
    else if (schema.properties && !schema.additionalProperties && !(where === "" && (k === "apiVersion" || k === "kind" || k === "metadata"))) out.push(`${where}/${k}: unknown field`);
  }
}
function addCrd(crd) {
  const group = crd?.spec?.group;
  const kind = crd?.spec?.names?.kind;
  for (const v of crd?.spec?.versions ?? []) {
    const schema = v?.schema?.openAPIV3Schema;
    if (!group || !kind || !schema) continue;
    const validate = ajv.compile(toAjv(schema));
    const key = `${group}/${v.name}|${kind}`;
    const list = schemas.get(key) ?? [];
    list.push({ source: `CRD ${kind}.${group}`, check: (obj) => {
      const problems = validate(obj) ? [] : validate.errors.map((x) => `${x.instancePath || "/"} ${x.message}`);
      undeclared(schema, obj, "", problems);
      return problems;
    } });
    schemas.set(key, list);
  }
}

function files(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return [p];
  return fs.readdirSync(p).sort().flatMap((e) => {
    const q = path.join(p, e);
    if (fs.statSync(q).isDirectory()) return e === ".git" || e === "node_modules" ? [] : files(q);
    return /\.ya?ml$/.test(e) ? [q] : [];
  });
}
function documents(file) {
  const out = [];
  for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) { out.push({ file, error: doc.errors[0].message }); continue; }
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push({ file, value });
  }
  return out;
}

for (const p of crdPaths) {
  for (const f of files(p)) for (const d of documents(f)) if (d.value?.kind === "CustomResourceDefinition") addCrd(d.value);
}
let objects = 0;
let failures = 0;
let unvalidated = 0;
const fail = (where, msg) => { failures++; console.log(`FAIL ${where}: ${msg}`); };
const all = inputs.flatMap(files).flatMap(documents);
for (const d of all) if (d.value?.kind === "CustomResourceDefinition") addCrd(d.value);
for (const d of all) {
  if (d.error) { fail(d.file, `YAML: ${d.error}`); continue; }
  const obj = d.value;
  if (typeof obj !== "object" || Array.isArray(obj) || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") continue;
  if (obj.apiVersion.startsWith("kustomize.config.k8s.io/")) continue; // kustomize's own configuration
  objects++;
  const where = `${d.file} ${obj.kind}/${obj.metadata?.name ?? "?"}`;
  const list = schemas.get(`${obj.apiVersion}|${obj.kind}`);
  if (!list) { unvalidated++; console.log(`WARN ${where}: no schema for ${obj.apiVersion} ${obj.kind}`); continue; }
  for (const s of list) {
    const problems = s.model ? byModel(s.model, obj) : s.check(obj);
    for (const p of problems) fail(where, `[${s.source}] ${p}`);
  }
  if (typeof obj.metadata?.name !== "string" || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(obj.metadata.name)) {
    fail(where, "metadata.name is not a DNS-1123 subdomain");
  }
  const wave = obj.metadata?.annotations?.["argocd.argoproj.io/sync-wave"];
  if (wave !== undefined && !/^[-+]?[0-9]+$/.test(String(wave))) fail(where, `sync-wave "${wave}" is not an integer`);
}
console.log(`${objects} object(s), ${failures} failure(s), ${unvalidated} without schema`);
process.exit(failures > 0 ? 1 : 0);
