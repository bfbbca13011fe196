// Joinable and nearby datasets on the dataset page, in Debian's Chromium against the real
// `datamap serve` (issue 14 item 5): the real parking and city-park files are uploaded by two
// agencies and loaded; the parking page lists the parks as joinable on 제공기관코드 (column
// pair and overlap figures) and as nearby (shares of points within 300 m), each with a
// "결합 미리보기" link whose page shows pairs that really match; the map page's measured-only
// filter keeps only those relations and stays in the URL; every page passes axe-core.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { DatamapServer, sourceDir } from './support/server.mjs';
import { launch } from './support/browser.mjs';

const artifacts = path.join(sourceDir, 'tests/e2e/artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const parkingFile = path.join(sourceDir, 'data/sample/datafiles/datago-std-parking-15012896.csv');
const parkFile = path.join(sourceDir, 'data/sample/datafiles/datago-std-citypark-15012890.csv');

let server;
let browser;
let admin;

// The loader's join normalisation: spaces, hyphens and leading zeros dropped, upper-cased.
const code = (v) => String(v).replace(/[\s-]/g, '').replace(/^0+/, '').toUpperCase();

async function uploadAndLoad(dataset, file) {
  const form = new FormData();
  form.append('package_id', dataset);
  form.append('name', path.basename(file));
  form.append('format', 'CSV');
  form.append('upload', new Blob([fs.readFileSync(file)], { type: 'text/csv' }), path.basename(file));
  const res = await fetch(`${server.url}/api/3/action/resource_create`, { method: 'POST', headers: { Authorization: admin }, body: form });
  const created = await res.json();
  assert.ok(created.success, JSON.stringify(created.error));
  const deadline = Date.now() + 120000;
  for (;;) {
    const job = await server.action('datastore_job_status', { resource_id: created.result.id });
    if (job.status === 'complete') return created.result.id;
    assert.notEqual(job.status, 'error', JSON.stringify(job.error));
    assert.ok(Date.now() < deadline, 'the load did not finish: ' + JSON.stringify(job));
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  server = new DatamapServer();
  admin = server.addUser('e2e-admin', ['--sysadmin']);
  await server.start();
  await server.action('organization_create', { name: 'mois', title: '행정안전부' }, admin, 'POST');
  await server.action('organization_create', { name: 'molit', title: '국토교통부' }, admin, 'POST');
  await server.action('package_create', { name: 'parking', title: '전국주차장정보표준데이터', owner_org: 'mois' }, admin, 'POST');
  await server.action('package_create', { name: 'city-parks', title: '전국도시공원정보표준데이터', owner_org: 'molit' }, admin, 'POST');
  await uploadAndLoad('parking', parkingFile);
  await uploadAndLoad('city-parks', parkFile);
  // The map catches up with both loads: the parks are joinable and near.
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      const related = await server.action('datamap_related', { id: 'parking', limit: 10 });
      const parks = related.find((r) => r.name === 'city-parks');
      const kinds = parks ? parks.reasons.map((r) => r.kind) : [];
      if (kinds.includes('joinable') && kinds.includes('near')) break;
    } catch (e) { /* 404 until the map has the dataset */ }
    assert.ok(Date.now() < deadline, 'the map never showed the joinable and near relations');
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

describe('joinable datasets and the join preview', () => {
  test('the dataset page lists the joinable and nearby datasets, and the previews show matching pairs', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    await page.goto(`${server.url}/dataset/parking`);
    const section = page.locator('section[aria-labelledby="join-h"]');
    // Joinable first: the column pairs and the overlap figures, as datamap_related measured them.
    const related = await server.action('datamap_related', { id: 'parking', limit: 10 });
    const parks = related.find((r) => r.name === 'city-parks');
    const parksReasons = parks.reasons;
    assert.equal(await section.locator('h2').innerText(), '이 데이터와 결합할 수 있는 데이터');
    const items = section.locator('ul.joinable > li');
    // One entry per measured relation: every joinable column pair, then the near one.
    const kinds = parksReasons.filter((r) => r.kind === 'joinable' || r.kind === 'near');
    assert.equal(await items.count(), kinds.length, (await items.allInnerTexts()).join('\n'));
    const nearAt = kinds.findIndex((r) => r.kind === 'near');
    assert.equal(nearAt, kinds.length - 1);
    const codeAt = kinds.findIndex((r) => r.kind === 'joinable' && r.join.on === '제공기관코드');
    assert.ok(codeAt >= 0, JSON.stringify(kinds));
    const join = kinds[codeAt].join;
    const near = parks.reasons.find((r) => r.kind === 'near').near;
    const joinText = await items.nth(codeAt).innerText();
    assert.match(joinText, /전국도시공원정보표준데이터/);
    assert.match(joinText, /제공기관코드 \(제공기관코드 ↔ 제공기관코드\)/);
    assert.ok(joinText.includes(`공유 값 ${join.shared_values}개`), joinText);
    assert.ok(joinText.includes(`이 데이터 행의 ${Math.round(join.rows_matched * 100)}%`), joinText);
    const nearText = await items.nth(nearAt).innerText();
    assert.ok(nearText.includes(`이 데이터 지점의 ${Math.round(near.points_near / near.points * 100)}%`), nearText);
    assert.match(nearText, /300m 안에 있음/);
    await section.screenshot({ path: path.join(artifacts, 'joinable-list.png') });

    // The code join's preview: ten pairs whose 제공기관코드 match.
    await items.nth(codeAt).locator('a.join-preview', { hasText: '결합 미리보기' }).click();
    await page.waitForURL(/\/join\?/);
    const table = page.locator('table.join-preview');
    const heads = await table.locator('thead th').allInnerTexts();
    const a = heads.indexOf('A · 제공기관코드'), b = heads.indexOf('B · 제공기관코드');
    assert.ok(a >= 0 && b >= 0, heads.join(' | '));
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), 10);
    for (let i = 0; i < 10; i++) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      assert.equal(code(cells[a]), code(cells[b]), cells.join(' | '));
    }
    await page.screenshot({ path: path.join(artifacts, 'join-preview.png'), fullPage: true });

    // The distance preview: every pair lies within 300 m.
    await page.goBack();
    await page.locator('section[aria-labelledby="join-h"] ul.joinable > li').nth(nearAt).locator('a.join-preview').click();
    await page.waitForURL(/within=300/);
    const dheads = await page.locator('table.join-preview thead th').allInnerTexts();
    const d = dheads.indexOf('거리(m)');
    assert.ok(d >= 0, dheads.join(' | '));
    const drows = page.locator('table.join-preview tbody tr');
    assert.ok(await drows.count() > 0);
    for (let i = 0; i < await drows.count(); i++) {
      const dist = Number(await drows.nth(i).locator('td').nth(d).innerText());
      assert.ok(dist >= 0 && dist <= 300, String(dist));
    }
    await page.close();
  });

  test('a preview of a table nobody has, or with a bad distance, is an error page and not a crash', async () => {
    for (const [query, status] of [['left=nope&right=nope&within=300', 404], ['left=a&right=b&within=-5', 400], ['left=a&right=b', 400]]) {
      const res = await fetch(`${server.url}/join?${query}`);
      assert.equal(res.status, status, query);
    }
    assert.equal((await fetch(`${server.url}/dataset/parking`)).status, 200);
  });

  test('the map keeps only measured relations when asked, and says so in the URL', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    await page.goto(`${server.url}/map?focus=parking`);
    await page.waitForFunction(() => Number(document.getElementById('map').dataset.nodeCount || 0) > 0);
    const all = await page.locator('#map-items li').count();
    assert.ok(all > 2, String(all));  // the agency, tags … besides the two datasets
    await page.locator('#map-measured').check();
    await page.waitForURL(/measured=1/);
    await page.waitForFunction(() => document.querySelectorAll('#map-items li').length === 2);
    const items = (await page.locator('#map-items li').allInnerTexts()).join(' | ');
    assert.match(items, /전국도시공원정보표준데이터/);
    // A shared link opens with the filter on.
    await page.goto(`${server.url}/map?focus=parking&measured=1`);
    assert.ok(await page.locator('#map-measured').isChecked());
    await page.waitForFunction(() => document.querySelectorAll('#map-items li').length === 2);
    await page.close();
  });

  test('the dataset page, the preview and the filtered map pass axe-core\'s WCAG 2.1 A and AA rules', async () => {
    const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const related = await server.action('datamap_related', { id: 'parking', limit: 10 });
    const join = related.find((r) => r.name === 'city-parks').reasons.find((r) => r.kind === 'joinable' && r.join.on === '제공기관코드').join;
    const preview = `/join?left=${join.resource}&right=${join.other_resource}&on=${encodeURIComponent(join.column)}&other_on=${encodeURIComponent(join.other_column)}`;
    const page = await browser.context.newPage();
    const found = [];
    for (const url of ['/dataset/parking', preview, '/map?focus=parking&measured=1']) {
      await page.goto(server.url + url, { waitUntil: 'networkidle' });
      if (url.startsWith('/map'))
        await page.waitForFunction(() => Number(document.getElementById('map').dataset.nodeCount || 0) > 0, null, { timeout: 30000 });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document,
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      for (const v of result.violations)
        found.push(`${url}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    }
    assert.deepEqual(found, []);
    await page.close();
  });
});
