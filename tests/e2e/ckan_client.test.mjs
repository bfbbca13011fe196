// A real CKAN client against datamap's DataStore: OKFN's ckan.js (npm `ckan`, the client the
// Recline data explorer used) calls datastore_search and datastore_search_sql on the real
// `datamap serve`, exactly as it calls CKAN. (ckanapi, the Python client the issue names, comes
// only from PyPI, which this machine cannot reach; ckan.js speaks the same Action API.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DatamapServer } from './support/server.mjs';

const require = createRequire(import.meta.url);
const CKAN = require('ckan');

let server;
let token;
let resourceId;

// Wraps ckan.js's callback API.
function call(fn, ...args) {
  return new Promise((resolve, reject) => fn(...args, (err, out) => (err ? reject(new Error(String(err))) : resolve(out))));
}

before(async () => {
  server = new DatamapServer();
  server.importSample(400);
  token = server.addUser('ckanjs-admin', ['--sysadmin']);
  await server.start();
  const [name] = await server.action('package_list', { limit: 1 });
  const created = await server.action('datastore_create', {
    resource: { package_id: name, name: '구별 주차장' },
    fields: [{ id: '구', type: 'text' }, { id: '주차장수', type: 'int' }, { id: '요금', type: 'numeric' }],
    records: [
      { 구: '종로구', 주차장수: 12, 요금: 1000.5 },
      { 구: '중구', 주차장수: 7, 요금: 2000 },
      { 구: '강남구', 주차장수: 31, 요금: 3000 },
      { 구: '중랑구', 주차장수: 7, 요금: 500 },
    ],
  }, token, 'POST');
  resourceId = created.resource_id;
});

after(async () => { if (server) await server.stop(); });

test('ckan.js datastoreQuery: filters, sort and paging as CKAN answers them', async () => {
  const client = new CKAN.Client(server.url, token);
  const out = await call(client.datastoreQuery.bind(client), {
    resource_id: resourceId,
    filters: [{ type: 'term', field: '주차장수', term: 7 }],
    sort: [{ field: '구', order: 'desc' }],
    size: 10,
  });
  assert.equal(out.total, 2);
  assert.deepEqual(out.hits.map((r) => r['구']), ['중랑구', '중구']);
  // ckan.js maps CKAN's type names onto JSON Table Schema's: the answer must use CKAN's names.
  const types = Object.fromEntries(out.fields.map((f) => [f.id, f.type]));
  assert.equal(types['구'], 'string');
  assert.equal(types['주차장수'], 'integer');
});

test('ckan.js datastoreQuery: full-text q over Korean text', async () => {
  const client = new CKAN.Client(server.url, token);
  const out = await call(client.datastoreQuery.bind(client), { resource_id: resourceId, q: '강남', size: 5 });
  assert.equal(out.total, 1);
  assert.equal(out.hits[0]['주차장수'], 31);
});

test('ckan.js datastoreSqlQuery: an aggregate over the table', async () => {
  const client = new CKAN.Client(server.url, token);
  const out = await call(client.datastoreSqlQuery.bind(client),
    `SELECT "주차장수", COUNT(*) AS n FROM "${resourceId}" GROUP BY "주차장수" ORDER BY "주차장수"`);
  assert.deepEqual(out.hits.map((r) => [r['주차장수'], r.n]), [[7, 2], [12, 1], [31, 1]]);
});
