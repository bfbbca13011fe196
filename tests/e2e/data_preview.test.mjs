// The data preview on the dataset page, in Debian's Chromium against the real `datamap serve`:
// the real 전국주차장정보표준데이터 file (CP949, 14,851 rows × 33 columns, as data.go.kr publishes
// it) is put into the DataStore with datastore_create / datastore_upsert over the API, and a
// reader sees its first rows, pages on without script, reads the column profile and sees the
// parking lots drawn as points over Korea, on a desktop and on a phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DatamapServer, sourceDir } from './support/server.mjs';
import { launch } from './support/browser.mjs';

const artifacts = path.join(sourceDir, 'tests/e2e/artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const parkingFile = path.join(sourceDir, 'data/sample/datafiles/datago-std-parking-15012896.csv');
const parkFile = path.join(sourceDir, 'data/sample/datafiles/datago-std-citypark-15012890.csv');

// RFC 4180 fields (quotes, doubled quotes, commas and newlines inside quotes).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const numericColumns = new Set(['위도', '경도']);
const intColumns = new Set(['주차구획수']);

function cell(name, value) {
  if (value === '') return null;
  if (numericColumns.has(name)) { const n = Number(value); return Number.isFinite(n) ? n : null; }
  if (intColumns.has(name)) { const n = Number(value); return Number.isInteger(n) ? n : null; }
  return value;
}

let server;
let browser;
let admin;
let resourceId;
let header;
let records;

before(async () => {
  server = new DatamapServer();
  admin = server.addUser('e2e-admin', ['--sysadmin']);
  await server.start();
  const [head, ...body] = parseCsv(new TextDecoder('euc-kr').decode(fs.readFileSync(parkingFile)));
  header = head;
  records = body.filter((r) => r.length === head.length)
    .map((r) => Object.fromEntries(head.map((h, i) => [h, cell(h, r[i])])));
  await server.action('organization_create', { name: 'parking-agency', title: '주차장 표준데이터 기관' }, admin, 'POST');
  const pkg = await server.action('package_create', {
    name: 'parking-std', title: '전국주차장정보표준데이터', owner_org: 'parking-agency',
    resources: [{ name: '전국주차장정보표준데이터.csv', format: 'CSV', url: 'https://www.data.go.kr/data/15012896/standard.do' }],
  }, admin, 'POST');
  resourceId = pkg.resources[0].id;
  const fields = head.map((h) => ({
    id: h, type: numericColumns.has(h) ? 'numeric' : intColumns.has(h) ? 'int' : 'text',
    ...(h === '위도' ? { info: { label: '위도 (WGS84)', notes: '', type_override: '', standard_term: '위도' } } : {}),
  }));
  // In batches, as a client would send a large table (each request stays under the body limit).
  const batch = 2000;
  await server.action('datastore_create', { resource_id: resourceId, force: true, fields, records: records.slice(0, batch) }, admin, 'POST');
  for (let i = batch; i < records.length; i += batch)
    await server.action('datastore_upsert', { resource_id: resourceId, force: true, method: 'insert', records: records.slice(i, i + batch) }, admin, 'POST');
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

describe('data preview', () => {
  test('the dataset page shows the first rows, the profile and the points, and pages without script', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    await page.goto(`${server.url}/dataset/parking-std`);
    const section = page.locator('section.data-preview');
    await section.waitFor();
    const table = section.locator('table.rows');
    // Header cells are the column names, after the row-number header.
    const headers = (await table.locator('thead th .col-id').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(headers, header);
    assert.match(await table.locator('thead th').nth(header.indexOf('위도') + 1).innerText(), /위도 \(WGS84\)/);
    // The first row is the file's first row.
    const first = await table.locator('tbody tr').first().locator('td').allInnerTexts();
    assert.equal(first[0], records[0]['주차장관리번호']);
    assert.equal(first[1], records[0]['주차장명']);
    assert.equal(await table.locator('tbody tr').count(), 20);
    assert.match(await table.locator('caption').innerText(), new RegExp(`전체 ${records.length.toLocaleString('en-US')}행 중 1–20행`));

    // The profile names every column with its type.
    const profile = section.locator('table.profile');
    assert.equal(await profile.locator('tbody tr').count(), header.length);
    const parkingRow = profile.locator('tbody tr').filter({ has: page.locator('th .col-id', { hasText: /^주차구획수$/ }) });
    assert.match(await parkingRow.locator('td.col-type').innerText(), /정수\s*int/);

    // The point map: an even sample of 5,000 of the 14,851 rows (every k-th row number), drawn
    // when both coordinates are numbers inside Korea's box; the rest counted in the caption.
    const svg = section.locator('svg.pm-svg');
    await svg.waitFor();
    await section.screenshot({ path: path.join(artifacts, 'data-preview.png') });
    await section.locator('figure.point-map').screenshot({ path: path.join(artifacts, 'data-preview-map.png') });
    let inside = 0, outside = 0;
    for (let i = 0; i < 5000; i++) {
      const r = records[Math.floor(i * records.length / 5000)];
      if (r['위도'] === null || r['경도'] === null) continue;
      if (r['위도'] >= 32.9 && r['위도'] <= 38.7 && r['경도'] >= 124.4 && r['경도'] <= 132) inside++;
      else outside++;
    }
    assert.equal(Number(await svg.getAttribute('data-points')), inside);
    assert.equal(Number(await svg.getAttribute('data-outside')), outside);
    const caption = await section.locator('.pm-caption').innerText();
    assert.match(caption, new RegExp(`고르게 뽑은 5,000행의 위치 ${inside.toLocaleString('en-US')}곳`));
    if (outside > 0) assert.match(caption, new RegExp(`한국 밖 좌표 ${outside.toLocaleString('en-US')}행은 그리지 않았습니다`));
    const box = await svg.boundingBox();
    assert.ok(box.width > 300 && box.height > 200, JSON.stringify(box));

    // Next 20 rows: a plain link, so it works with script off too.
    await section.locator('a[rel="next"]').click();
    await page.waitForURL(/rows_page=2/);
    assert.match(await page.locator('section.data-preview table.rows caption').innerText(), /21–40행/);
    const row21 = await page.locator('section.data-preview table.rows tbody tr').first().locator('td').allInnerTexts();
    assert.equal(row21[0], records[20]['주차장관리번호']);
    await page.close();
  });

  test('on a phone the wide table scrolls inside its box and the page itself does not', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/dataset/parking-std`);
    const scroller = page.locator('section.data-preview .table-scroll').first();
    const widths = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    assert.ok(widths.scroll > widths.client * 3, JSON.stringify(widths));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await page.locator('section.data-preview').screenshot({ path: path.join(artifacts, 'data-preview-phone.png') });
    await page.close();
  });

  test('an uploaded file is loaded and profiled, and its page shows the semantic types and the points', async () => {
    // The agency's way: resource_create with the file as multipart `upload`, as CKAN's UI sends it.
    await server.action('package_create', { name: 'city-parks', title: '전국도시공원정보표준데이터', owner_org: 'parking-agency' }, admin, 'POST');
    const form = new FormData();
    form.append('package_id', 'city-parks');
    form.append('name', '전국도시공원정보표준데이터.csv');
    form.append('format', 'CSV');
    form.append('upload', new Blob([fs.readFileSync(parkFile)], { type: 'text/csv' }), 'datago-std-citypark-15012890.csv');
    const res = await fetch(`${server.url}/api/3/action/resource_create`, { method: 'POST', headers: { Authorization: admin }, body: form });
    const created = await res.json();
    assert.ok(created.success, JSON.stringify(created.error));
    const rid = created.result.id;
    const deadline = Date.now() + 120000;
    for (;;) {
      const job = await server.action('datastore_job_status', { resource_id: rid });
      if (job.status === 'complete') break;
      assert.notEqual(job.status, 'error', JSON.stringify(job.error));
      assert.ok(Date.now() < deadline, 'the load did not finish: ' + JSON.stringify(job));
      await new Promise((r) => setTimeout(r, 250));
    }
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/dataset/city-parks`);
    const section = page.locator('section.data-preview');
    await section.waitFor();
    assert.match(await section.locator('table.rows caption').innerText(), /전체 18,481행 중 1–20행/);
    const profileRow = (name) => section.locator('table.profile tbody tr')
      .filter({ has: page.locator('th .col-id', { hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) }) });
    assert.match(await profileRow('위도').innerText(), /위도 \(WGS84\)/);
    assert.match(await profileRow('경도').innerText(), /경도 \(WGS84\)/);
    assert.match(await profileRow('전화번호').innerText(), /전화번호/);
    // The profile's statistics are there: 공원구분 has a handful of distinct values with counts.
    const kind = await profileRow('공원구분').locator('td').allInnerTexts();
    assert.ok(kind.some((t) => /어린이공원 \([\d,]+\)/.test(t)), kind.join(' | '));
    const svg = section.locator('svg.pm-svg');
    assert.ok(Number(await svg.getAttribute('data-points')) > 4000);
    await section.screenshot({ path: path.join(artifacts, 'data-preview-profiled.png') });
    await section.locator('table.profile').screenshot({ path: path.join(artifacts, 'data-preview-profile.png') });
    await page.close();
  });
});
