// The first visitor of /map on a server that has never computed the map at a glance: when the
// computation takes longer than the server waits, the action answers 503 with Retry-After and the
// page asks again, so the visitor sees the treemap (not an error) once it is ready.
// DATAMAP_GLANCE_DELAY_MS holds the computation back; DATAMAP_GLANCE_FIRST_WAIT_MS shortens the wait.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DatamapServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';

let server;
let browser;

before(async () => {
  server = new DatamapServer();
  server.importSample(200);  // ~300 real datasets
  await server.start({ DATAMAP_GLANCE_DELAY_MS: '2500', DATAMAP_GLANCE_FIRST_WAIT_MS: '100' });
  await server.waitUntilCaughtUp();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a glance still being computed is asked again after Retry-After and then drawn', async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(30000);
  const overviewStatuses = [];
  page.on('response', (r) => {
    if (r.url().includes('/api/3/action/datamap_overview')) overviewStatuses.push(r.status());
  });
  await page.goto(server.url + '/map');
  await page.waitForFunction(() => Number(document.getElementById('treemap').dataset.cellCount || 0) > 0);
  assert.equal(overviewStatuses[0], 503, `statuses seen: ${overviewStatuses.join(',')}`);
  assert.ok(overviewStatuses.includes(200), `statuses seen: ${overviewStatuses.join(',')}`);
  const shown = await page.locator('#glance-status').innerText();
  assert.doesNotMatch(shown, /그릴 수 없습니다|could not be drawn/);
  await page.close();
});
