// Browser tests of the metadata quality pages (issue 15, docs/QUALITY.md): Chromium drives the
// real `datamap serve` holding a sample of the real 2022 data.go.kr list. A person can go from
// the national ranking to an agency's scoreboard to the dataset to fix, narrow a search by
// rating, order the ranking by error rate or broken links, see an agency's history drawn and
// tabled, and every quality page passes axe-core's WCAG 2.1 A and AA rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { DatamapServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';

let server;
let browser;
const days = ['2026-11-01', '2026-11-02'];

before(async () => {
  server = new DatamapServer();
  server.importSample(60);  // ~1,000 real datasets
  const admin = server.addUser('qadmin', ['--sysadmin']);
  await server.start();
  await server.waitUntilCaughtUp();
  // Two recorded days (the daily job adds today's): the history has something to draw.
  for (const date of days) await server.action('quality_snapshot', { date }, admin, 'POST');
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

describe('metadata quality', () => {
  test('from the national ranking to an agency scoreboard to the dataset to fix first', async () => {
    const page = await newPage();
    await page.goto(server.url + '/quality');
    assert.equal((await page.locator('h1').innerText()).trim(), '기관별 메타데이터 품질');
    const ranking = page.getByRole('table', { name: '평균 점수가 높은 기관부터' });
    const first = ranking.locator('tbody tr').first();
    assert.equal((await first.locator('td').first().innerText()).trim(), '1');
    const agency = (await first.getByRole('link').innerText()).trim();
    await first.getByRole('link').click();
    await page.waitForURL(/\/organization\/[^/]+\/quality$/);
    assert.equal((await page.locator('h1').innerText()).trim(), `${agency} 메타데이터 품질`);
    // The worst dataset comes with what to fix, in Korean, and opens its dataset page.
    const worst = page.locator('#worst ~ ol .card').first();
    assert.ok((await worst.locator('ul li').count()) > 0, 'no fix listed for the worst dataset');
    const title = (await worst.locator('.card-title a').innerText()).trim();
    await worst.locator('.card-title a').click();
    await page.waitForURL(/\/dataset\/[^/?]+$/);
    assert.equal((await page.locator('h1').innerText()).trim(), title);
    await page.close();
  });

  test('a rating facet narrows the search, and every card then shows that rating in words', async () => {
    const page = await newPage();
    await page.goto(server.url + '/dataset');
    const facet = page.getByRole('list', { name: '메타데이터 품질' });
    const link = facet.getByRole('link').first();
    const label = (await link.locator('.facet-name').innerText()).trim();
    await link.click();
    await page.waitForURL(/quality_rating=/);
    const badges = await page.locator('.cards .badge-quality').allInnerTexts();
    assert.ok(badges.length > 0, 'no result cards');
    for (const b of badges) assert.match(b, new RegExp(`메타데이터 품질 ${label} \\(\\d+%\\)`));
    await page.close();
  });

  test('the ranking orders by error rate or broken links, and an agency sees its history', async () => {
    const page = await newPage();
    await page.goto(server.url + '/quality');
    await page.getByRole('link', { name: '데이터 오류율이 높은 기관부터' }).click();
    await page.waitForURL(/sort=error_rate/);
    const ranking = page.getByRole('table', { name: '데이터 오류율이 높은 기관부터' });
    const headers = (await ranking.locator('thead th').allInnerTexts()).map((t) => t.trim());
    assert.ok(headers.includes('끊긴 링크') && headers.includes('데이터 오류율'), headers.join(', '));
    assert.equal(await page.getByRole('link', { name: '데이터 오류율이 높은 기관부터' }).getAttribute('aria-current'), 'true');
    await page.getByRole('link', { name: '끊긴 링크가 많은 기관부터' }).click();
    await page.waitForURL(/sort=broken_links/);
    await page.getByRole('table', { name: '끊긴 링크가 많은 기관부터' }).waitFor();

    const org = (await server.action('quality_overview', { limit: 1 })).agencies[0].name;
    await page.goto(`${server.url}/organization/${org}/quality`);
    const drawing = page.getByRole('img', { name: /^평균 점수 추이: 2026-11-01 / });
    await drawing.waitFor();
    const history = page.getByRole('table', { name: '날짜별 기록 (최근 날짜가 마지막)' });
    const dates = (await history.locator('tbody th').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(dates.slice(0, 2), days);
    assert.deepEqual([...dates].sort(), dates, 'oldest first, newest last');
    for (const name of ['끊긴 링크', '오류율이 높은 데이터', '변화 추이'])
      await page.getByRole('heading', { name, level: 2 }).waitFor();
    await page.close();
  });

  test('the quality pages pass axe-core\'s WCAG 2.1 A and AA rules', async () => {
    const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const overview = await server.action('quality_overview', { limit: 1 });
    assert.ok(overview.agencies.length > 0, 'no agency ranked');
    const org = overview.agencies[0].name;
    const worst = await server.action('organization_quality_show', { id: org, limit: 1 });
    const pages = ['/quality', '/quality?sort=error_rate', `/organization/${org}/quality`,
      '/dataset?sort=quality+desc',
      `/dataset/${worst.worst[0].name}`,
      '/dataset?quality_rating=bad', `/organization/${org}/quality?lang=en`];
    const page = await newPage();
    const found = [];
    for (const url of pages) {
      await page.goto(server.url + url, { waitUntil: 'networkidle' });
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
});
