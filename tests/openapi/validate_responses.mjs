// Checks every response the HTTP tests received against the OpenAPI document the server serves.
// The tests' HTTP client (tests/support/http_client.cpp) appends each exchange with a datamap
// server to RECORD_DIR/<pid>.jsonl when DATAMAP_HTTP_RECORD_DIR is set; ctest runs this script
// after those suites (fixture http_records). For each record: the path and method must be
// described, the status must be one of the operation's responses, the content type one of that
// response's media types, and a JSON body must match its schema (ajv, JSON Schema 2020-12).
// Fails listing the mismatches, and fails when nothing was validated although the tests started
// servers (exit 77, which ctest reports as skipped, when no test of the run started one).
//
//   node tests/openapi/validate_responses.mjs RECORD_DIR
import fs from 'node:fs';
import path from 'node:path';

let Ajv2020, addFormats;
try {
  Ajv2020 = (await import('ajv/dist/2020.js')).default;
  addFormats = (await import('ajv-formats')).default;
} catch (e) {
  console.error('ajv or ajv-formats is missing: run `make setup` (npm ci).\n' + e.message);
  process.exit(2);
}
const { DatamapServer } = await import('../e2e/support/server.mjs');

const recordDir = process.argv[2];
if (!recordDir) {
  console.error('usage: validate_responses.mjs RECORD_DIR');
  process.exit(2);
}

// ---- the document, as served
async function servedDocument() {
  const server = new DatamapServer();
  try {
    const url = await server.start();
    const res = await fetch(url + '/api/openapi.json');
    if (res.status !== 200) throw new Error('/api/openapi.json answered ' + res.status);
    return await res.json();
  } finally {
    await server.stop();
  }
}
const spec = await servedDocument();

// Schemas refer to "#/components/schemas/X"; ajv sees them as "spec#/$defs/X".
const rewriteRefs = (value) =>
  JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"spec#/$defs/'));
const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
addFormats(ajv);
ajv.addVocabulary(['example', 'xml', 'discriminator', 'externalDocs']);  // OpenAPI's own keywords
ajv.addSchema({ $id: 'spec', $defs: rewriteRefs(spec.components.schemas) });
const errorEnvelope = ajv.compile({ $ref: 'spec#/$defs/ErrorEnvelope' });

// ---- matching a recorded request to a path of the document
const literalLength = (template) => template.replace(/\{[^}]+\}/g, '').length;
const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const templates = Object.keys(spec.paths)
  .filter((p) => p.includes('{'))
  .sort((a, b) => literalLength(b) - literalLength(a))  // most specific first: {name}.ttl before {name}
  .map((p) => ({
    template: p,
    regex: new RegExp('^' + p.split(/\{[^}]+\}/).map(escapeRegex).join('[^/]+') + '$'),
  }));

function describedPath(rawPath) {
  let p = rawPath.split('?')[0];
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep it encoded */
  }
  p = p.replace(/^\/api\/action\//, '/api/3/action/');  // the documented alias
  if (spec.paths[p]) return p;
  const t = templates.find((t) => t.regex.test(p));
  return t ? t.template : null;
}

const resolve = (obj) => {
  if (obj && obj.$ref) {
    const parts = obj.$ref.replace(/^#\//, '').split('/');
    return parts.reduce((o, k) => o[k.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
  }
  return obj;
};

const validators = new Map();
function validatorFor(key, schema) {
  if (!validators.has(key)) validators.set(key, ajv.compile(rewriteRefs(schema)));
  return validators.get(key);
}

const isJson = (media) => media === 'application/json' || media.endsWith('+json');

// ---- the check
const counts = { records: 0, validated: 0, typeOnly: 0, refusedMethod: 0, preflight: 0, unmatched: 0, tooLarge: 0 };
const mismatches = new Map();  // "METHOD template status: problem" -> {count, example}
const unmatched = new Map();
const operationsSeen = new Set();

function mismatch(record, template, problem) {
  const key = `${record.method} ${template} ${record.status}: ${problem}`;
  const m = mismatches.get(key) || { count: 0, example: record.path };
  m.count++;
  mismatches.set(key, m);
}

function check(record) {
  counts.records++;
  const template = describedPath(record.path);
  if (!template) {
    counts.unmatched++;
    const first = '/' + (record.path.split('?')[0].split('/')[1] || '');
    unmatched.set(first, (unmatched.get(first) || 0) + 1);
    return;
  }
  const method = record.method === 'HEAD' ? 'get' : record.method.toLowerCase();
  const operation = spec.paths[template][method];
  const media = (record.content_type || '').split(';')[0].trim().toLowerCase();
  if (!operation && record.method === 'OPTIONS' && record.status === 204 && !record.body) {
    counts.preflight++;  // CORS preflight: HTTP plumbing that OpenAPI documents do not describe
    return;
  }
  if (!operation) {
    // A method the path does not offer: the server must refuse it with 405 and the envelope.
    if (record.status !== 405) return mismatch(record, template, `method not described, answered ${record.status}`);
    if (record.body !== null && media === 'application/json') {
      let body;
      try {
        body = JSON.parse(record.body);
      } catch {
        return mismatch(record, template, '405 body is not JSON');
      }
      if (!errorEnvelope(body)) return mismatch(record, template, '405 body: ' + ajv.errorsText(errorEnvelope.errors));
    }
    counts.refusedMethod++;
    return;
  }
  operationsSeen.add(`${method.toUpperCase()} ${template}`);
  const status = String(record.status);
  const response = resolve(operation.responses[status] || operation.responses[status[0] + 'XX'] || operation.responses.default);
  if (!response) return mismatch(record, template, 'status not described');
  if (!response.content) {
    if (record.body) mismatch(record, template, 'a body where the document describes none');
    else counts.typeOnly++;
    return;
  }
  const content = response.content[media];
  if (!content) return mismatch(record, template, `content type ${media || '(none)'} not described (${Object.keys(response.content).join(', ')})`);
  // HEAD answers the headers a GET would have, and no body: status and type only.
  if (!isJson(media) || !content.schema || record.method === 'HEAD') {
    counts.typeOnly++;
    return;
  }
  if (record.body === null) {
    counts.tooLarge++;
    return;
  }
  let body;
  try {
    body = JSON.parse(record.body);
  } catch {
    return mismatch(record, template, 'body is not JSON');
  }
  const validate = validatorFor(`${template} ${method} ${status} ${media}`, content.schema);
  if (!validate(body)) {
    const errors = validate.errors
      .slice(0, 4)
      .map((e) => `${e.instancePath || '/'} ${e.message}` +
        (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''))
      .join('; ');
    return mismatch(record, template, errors);
  }
  counts.validated++;
}

let entries = [];
try {
  entries = fs.readdirSync(recordDir);
} catch {
  /* no directory: no test of this run started a server */
}
const files = entries.filter((f) => f.endsWith('.jsonl'));
const serversStarted = entries
  .filter((f) => f.endsWith('.servers'))
  .reduce((n, f) => n + fs.readFileSync(path.join(recordDir, f), 'utf8').split('\n').filter(Boolean).length, 0);
for (const f of files) {
  for (const line of fs.readFileSync(path.join(recordDir, f), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      check(JSON.parse(line));
    } catch (e) {
      mismatch({ method: '?', status: '?', path: f }, '?', 'unreadable record: ' + e.message);
    }
  }
}

console.log(`records: ${counts.records} from ${files.length} test processes (${serversStarted} servers started) in ${recordDir}`);
console.log(`JSON bodies validated against their schema: ${counts.validated}`);
console.log(`non-JSON responses with a described status and content type: ${counts.typeOnly}`);
console.log(`undescribed methods refused with 405 and the error envelope: ${counts.refusedMethod}`);
console.log(`CORS preflights (OPTIONS, 204): ${counts.preflight}`);
console.log(`bodies too large to record (status and type checked only): ${counts.tooLarge}`);
const operationCount = Object.values(spec.paths).reduce(
  (n, item) => n + ['get', 'post', 'put', 'delete', 'patch'].filter((m) => item[m]).length, 0);
console.log(`operations exercised: ${operationsSeen.size} of the ${operationCount} the document describes`);
console.log(`requests to paths the document does not describe (portal pages, unknown actions, …): ${counts.unmatched}` +
  (unmatched.size ? ' — ' + [...unmatched].map(([p, n]) => `${p} ${n}`).join(', ') : ''));
if (mismatches.size) {
  console.log(`\n${mismatches.size} kinds of response do not match the document:`);
  for (const [key, m] of [...mismatches].sort((a, b) => b[1].count - a[1].count))
    console.log(`  ${key}  (${m.count}x, e.g. ${m.example})`);
  console.log('\nDescribe what the server now answers in api/openapi/spec/ (see docs/API.md, "OpenAPI' +
    ' description"), or fix the response if the document is right.');
  process.exit(1);
}
if (counts.validated === 0 && serversStarted === 0) {
  // e.g. `ctest -R` over tests that never start a server: nothing to check (ctest: skipped).
  console.log('\nno test of this run started a datamap server: nothing to check');
  process.exit(77);
}
if (counts.validated === 0) {
  console.log(`\nno response was validated although ${serversStarted} servers were started: is recording broken?`);
  process.exit(1);
}
