// Browser tests of the portal and console: Debian's Chromium drives the real `datamap serve`
// over loopback, holding a real sample of the 2022 data.go.kr list. What is asserted is what a
// person using the site would see.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DatamapServer, sourceDir } from './support/server.mjs';
import { launch } from './support/browser.mjs';
import { createRequire } from 'node:module';

const artifacts = path.join(sourceDir, 'tests/e2e/artifacts');
fs.mkdirSync(artifacts, { recursive: true });

let server;
let browser;
let adminToken;

before(async () => {
  server = new DatamapServer();
  server.importSample(20);  // ~3,000 real datasets
  adminToken = server.addUser('e2e-admin', ['--sysadmin']);
  await server.start();
  await server.waitUntilCaughtUp();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function newPage() {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20000);
  return page;
}

// The number in the results heading, e.g. "‘주차장’ 검색 결과 1,234건" → 1234.
async function resultCount(page) {
  const text = await page.locator('#results-heading').innerText();
  const m = /([\d,]+)\s*건/.exec(text) || /([\d,]+)\s*datasets?/.exec(text);
  assert.ok(m, `no count in "${text}"`);
  return Number(m[1].replace(/,/g, ''));
}

describe('citizen portal', () => {
  test('a Korean query from the home page finds datasets, and a result opens its dataset page', async () => {
    const page = await newPage();
    await page.goto(server.url + '/');
    await page.getByLabel('데이터 검색').fill('버스 정류장을');
    await page.getByRole('button', { name: '검색' }).click();
    await page.waitForURL(/\/dataset\?q=/);
    assert.ok((await resultCount(page)) > 0, 'no results for a Korean query with a particle');
    const first = page.locator('.cards .card-title a').first();
    const title = (await first.innerText()).trim();
    await first.click();
    await page.waitForURL(/\/dataset\/[^?]+$/);
    assert.equal((await page.locator('h1').innerText()).trim(), title);
    // The dataset page carries schema.org JSON-LD that parses and names the dataset.
    const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
    assert.equal(ld['@type'], 'Dataset');
    assert.equal(ld.name, title);
    await page.close();
  });

  test('choosing a category facet narrows the results to its count, and the URL keeps the state', async () => {
    const page = await newPage();
    await page.goto(server.url + '/dataset?q=' + encodeURIComponent('정보'));
    const total = await resultCount(page);
    const facet = page.locator('#facets section.facet').filter({ hasText: '분류' }).locator('a').nth(1);
    const facetCount = Number((await facet.locator('.count').innerText()).replace(/,/g, ''));
    assert.ok(facetCount > 0 && facetCount < total, `facet count ${facetCount} vs total ${total}`);
    await facet.click();
    await page.waitForURL(/groups=/);
    assert.equal(await resultCount(page), facetCount);
    // A second facet (format or type) narrows further, and going back restores the first state.
    const typeFacet = page.locator('#facets section.facet').filter({ hasText: '유형' }).locator('a:not(.on)').first();
    const typeCount = Number((await typeFacet.locator('.count').innerText()).replace(/,/g, ''));
    await typeFacet.click();
    await page.waitForURL(/type=/);
    assert.equal(await resultCount(page), typeCount);
    assert.ok(typeCount <= facetCount);
    await page.goBack();
    assert.equal(await resultCount(page), facetCount);
    await page.close();
  });

  test('the map draws its treemap with the npm layout library, and a dataset\'s neighbourhood with the graph library', async () => {
    const page = await newPage();
    const failed = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(server.url + '/map');
    await page.waitForFunction(() => Number(document.getElementById('treemap').dataset.cellCount || 0) > 0, null, { timeout: 30000 });
    const drawn = await page.locator('#treemap .tm-cell').count();
    assert.ok(drawn >= 10, `only ${drawn} categories drawn`);
    // The same boxes are rows of a table for screen-reader users.
    assert.equal(await page.locator('#glance-table tbody tr').count(), drawn);
    // The libraries came from this server, not a CDN.
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter(Boolean));
    assert.ok(scripts.every((s) => s.startsWith(server.url)), scripts.join(','));
    assert.deepEqual(failed, []);
    await page.locator('#treemap').screenshot({ path: path.join(artifacts, 'map-overview.png') });
    // A dataset named in the URL draws its neighbourhood below (map.js, cytoscape).
    const search = await server.action('package_search', { q: '주차장', rows: 1 });
    await page.goto(server.url + '/map?focus=' + encodeURIComponent(search.results[0].name));
    // The graph library loads after the treemap's first render. Wait for the drawn count: the
    // page's first text ("데이터를 고르면 주변 데이터를 그립니다.") already says 주변/around.
    await page.waitForFunction(
      () => /주변 \d+개 항목|\d+ items around it/.test(document.getElementById('map-status').textContent),
      null, { timeout: 30000 });
    assert.ok((await page.evaluate(() => window.datamapMap.nodes().length)) > 1);
    await page.close();
  });

  test('the path finder shows a path between two related datasets with a reason for each hop', async () => {
    // Two datasets two steps apart on the map: A, a dataset B related to A, and a dataset C
    // related to B but not to A, so the path has to go through at least one more dataset.
    const related = async (name) => (await server.action('datamap_related', { id: name, limit: 100 })).map((r) => r.name);
    const search = await server.action('package_search', { q: '주차장', rows: 10 });
    let from = null;
    let to = null;
    for (const pkg of search.results) {
      const near = await related(pkg.name);
      for (const b of near) {
        const far = (await related(b)).filter((c) => c !== pkg.name && !near.includes(c));
        if (far.length) { from = pkg.name; to = far[0]; break; }
      }
      if (from) break;
    }
    assert.ok(from && to, 'no two-step relation found in the sample');
    const page = await newPage();
    await page.goto(`${server.url}/map?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    const hops = page.locator('#map-path-result li.path-hop');
    await hops.first().waitFor();
    const n = await hops.count();
    assert.ok(n >= 2, `expected a path of two hops or more, got ${n}`);
    for (let i = 0; i < n; i++) {
      const reasons = await hops.nth(i).locator('.reason').allInnerTexts();
      assert.ok(reasons.length > 0 && reasons.every((r) => r.trim().length > 0), `hop ${i} has no reason`);
    }
    await page.screenshot({ path: path.join(artifacts, 'map-path.png') });
    await page.close();
  });

  test('every kind of page passes axe-core\'s WCAG 2.1 A and AA rules', async () => {
    // axe-core (npm) is injected into each rendered page; a violation names its rule and elements.
    const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const search = await server.action('package_search', { q: '주차장', rows: 1 });
    assert.ok(search.results.length > 0, 'no dataset to check');
    // English last: the choice is remembered in a cookie, which is set back to Korean afterwards.
    const pages = ['/', '/dataset?q=' + encodeURIComponent('주차장'), '/dataset?q=zzzqqqxxx',
      '/dataset/' + search.results[0].name, '/organization', '/group', '/map', '/console', '/?lang=en'];
    const page = await newPage();
    const found = [];
    for (const url of pages) {
      await page.goto(server.url + url, { waitUntil: 'networkidle' });
      if (url === '/map')
        await page.waitForFunction(() => Number(document.getElementById('treemap').dataset.cellCount || 0) > 0, null, { timeout: 30000 });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document,
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      for (const v of result.violations)
        found.push(`${url}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    }
    await page.goto(server.url + '/?lang=ko');
    assert.deepEqual(found, []);
    await page.close();
  });

  test('a dataset titled <script>alert(1)</script> renders as text on its page and in search', async () => {
    const orgs = await server.action('organization_list', {});
    const hostile = '<script>alert(1)</script>';
    await server.action('package_create', {
      name: 'e2e-hostile-title', title: hostile, owner_org: orgs[0],
      notes: '</script><!-- <img src=x onerror=alert(2)> 주차장 설명', tags: ['<b>태그</b>'],
    }, adminToken, 'POST');
    const page = await newPage();
    let dialogs = 0;
    page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
    await page.goto(server.url + '/dataset/e2e-hostile-title');
    assert.equal((await page.locator('h1').innerText()).trim(), hostile);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
    assert.equal(ld.name, hostile);
    // Search follows the catalog within a second or so; give it a few.
    for (let i = 0; i < 20; i++) {
      await page.goto(server.url + '/dataset?q=' + encodeURIComponent('alert'));
      if (await page.locator('.cards .card-title a', { hasText: hostile }).count()) break;
      await page.waitForTimeout(250);
    }
    assert.equal(await page.locator('.cards .card-title a', { hasText: hostile }).count(), 1);
    assert.equal(dialogs, 0, 'a script from the title ran');
    await page.close();
  });
});

describe('agency console', () => {
  test('signs in with a token, shows per-field validation, registers a dataset that search then finds', async () => {
    const page = await newPage();
    await page.goto(server.url + '/console');
    await page.getByLabel('API 토큰').fill('dm_not-a-real-token');
    await page.getByRole('button', { name: '로그인' }).click();
    await page.locator('#token-error').waitFor();
    await page.getByLabel('API 토큰').fill(adminToken);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('link', { name: '새 데이터 등록' }).click();

    const title = 'e2e 따릉이 대여소 위치 테스트';
    await page.getByLabel('제목').fill(title);
    await page.getByLabel('주소 이름 (URL)').fill('Bad Name!');
    await page.getByLabel('리소스 URL').fill('ftp://nowhere');
    await page.getByRole('button', { name: '등록' }).click();
    // The API's own messages, next to the fields they concern.
    await page.locator('#form-errors').waitFor();
    assert.ok((await page.locator('#f-name-error').innerText()).length > 0);
    assert.ok((await page.locator('#f-resource_url-error').innerText()).length > 0);
    assert.equal(await page.getByLabel('제목').inputValue(), title, 'typed values are kept');

    await page.getByLabel('주소 이름 (URL)').fill('e2e-bike-stations');
    await page.getByLabel('리소스 URL').fill('https://example.org/bike.csv');
    await page.getByLabel('리소스 형식').fill('CSV');
    await page.getByLabel('키워드').fill('자전거, 따릉이');
    await page.getByRole('button', { name: '등록' }).click();
    await page.waitForURL(/\/dataset\/e2e-bike-stations$/);
    assert.equal((await page.locator('h1').innerText()).trim(), title);

    let found = 0;
    for (let i = 0; i < 20 && !found; i++) {
      await page.goto(server.url + '/dataset?q=' + encodeURIComponent('따릉이 대여소'));
      found = await page.locator('.cards .card-title a', { hasText: title }).count();
      if (!found) await page.waitForTimeout(250);
    }
    assert.equal(found, 1, 'the registered dataset is not found by search');
    await page.close();
  });
});
