// Browser test of the data-request pages (issue 16): a signed-in citizen files a request through
// the form, finds it in the list, votes for it; the new pages pass axe-core's WCAG 2.1 A and AA
// rules, for visitors, signed-in citizens and the agency answering.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { DatamapServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';

let server;
let browser;
let citizen;
let sysadmin;

before(async () => {
  server = new DatamapServer();
  sysadmin = server.addUser('sysadmin', ['--sysadmin']);
  await server.start();
  await server.action('organization_create', { name: 'seoul', title: '서울특별시' }, sysadmin, 'POST');
  citizen = server.addUser('citizen');
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function signedInPage(token = citizen) {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(server.url + '/console?lang=ko');
  await page.getByLabel('API 토큰').fill(token);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForURL(/\/console$/);
  return page;
}

// axe-core's WCAG 2.1 A and AA findings on the page as it is now.
async function axeHere(page, label) {
  const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document,
    { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) =>
    `${label}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function axeViolations(page, urls) {
  const found = [];
  for (const url of urls) {
    await page.goto(server.url + url, { waitUntil: 'networkidle' });
    found.push(...await axeHere(page, url));
  }
  return found;
}

describe('data requests', () => {
  let requestPath;

  test('a signed-in citizen files a request through the form, sees it listed and votes for it', async () => {
    const page = await signedInPage();
    await page.goto(server.url + '/requests');
    await page.getByRole('link', { name: '새 제공신청' }).click();
    await page.waitForURL(/\/requests\/new$/);
    await page.getByLabel('신청 데이터 이름').fill('공영주차장 실시간 <주차> 가능 대수');
    await page.getByLabel('설명').fill('주차장별 남은 면수를 5분마다');
    await page.getByLabel('활용 목적').selectOption('research');
    await page.getByLabel('제공 기관 (선택)').selectOption('seoul');
    await page.getByRole('button', { name: '신청하기' }).click();
    await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
    requestPath = new URL(page.url()).pathname;
    assert.equal((await page.locator('h1').innerText()).trim(), '공영주차장 실시간 <주차> 가능 대수');
    assert.match(await page.locator('.card-meta').first().innerText(), /접수/);

    await page.goto(server.url + '/requests?status=open');
    const listed = page.getByRole('link', { name: '공영주차장 실시간 <주차> 가능 대수' });
    await listed.click();
    await page.waitForURL(new RegExp(requestPath + '$'));
    await page.getByRole('button', { name: '나도 필요해요 (공감)' }).click();
    await page.waitForURL(new RegExp(requestPath + '$'));
    assert.match(await page.locator('#votes-h').innerText(), /1/);
    await page.getByLabel('댓글 쓰기').fill('저도 필요합니다');
    await page.getByRole('button', { name: '등록' }).click();
    await page.locator('.comments li').first().waitFor();
    await page.close();
  });

  test('the request pages pass axe-core\'s WCAG 2.1 A and AA rules', async () => {
    assert.ok(requestPath, 'the first test filed no request');
    await server.action('package_create', { name: 'bus-stops', title: '버스 정류장 위치', owner_org: 'seoul' },
      sysadmin, 'POST');
    const report = await server.action('issue_report_create',
      { package_id: 'bus-stops', kind: 'wrong_values', description: '좌표가 바다 위에 있습니다' }, citizen, 'POST');
    const reportPath = `/reports/${report.id}`;
    await browser.context.clearCookies();  // a visitor first
    const anonymous = await browser.context.newPage();
    const urls = ['/requests', '/requests?status=open&organization=seoul', requestPath, '/requests/new',
      '/requests?lang=en', reportPath, '/reports/new?package=bus-stops', '/dataset/bus-stops'];
    const found = await axeViolations(anonymous, urls);
    await anonymous.close();
    const page = await signedInPage();
    found.push(...await axeViolations(page, [requestPath, '/requests/new', '/notifications', '/console',
      '/reports/new?package=bus-stops']));
    await page.close();
    // The agency's view: answer and close forms, moderation forms on each comment.
    await browser.context.clearCookies();
    const agency = await signedInPage(sysadmin);
    await agency.goto(server.url + requestPath);
    assert.equal(await agency.getByRole('heading', { name: '기관 답변' }).count(), 1);
    found.push(...await axeViolations(agency, [requestPath, '/console', reportPath]));
    await agency.close();
    assert.deepEqual(found, []);
  });

  test('the map marks where demand is unmet, in words a screen reader reads too', async () => {
    assert.ok(requestPath, 'the first test filed no request');
    await server.action('group_create', { name: 'transport', title: '교통물류' }, sysadmin, 'POST');
    // Two datasets in transport (bus-stops has no category): transport is seoul's main category.
    for (const [name, title] of [['parking-lots', '공영주차장 위치'], ['parking-fees', '공영주차장 요금']])
      await server.action('package_create', { name, title, owner_org: 'seoul', groups: [{ name: 'transport' }] },
        sysadmin, 'POST');
    let transport;
    for (let i = 0; i < 300 && !transport; i++) {  // the map follows the catalog a moment later
      const overview = await server.action('datamap_overview', { levels: 'category' });
      transport = overview.categories.find((c) => c.key === 'category:transport');
      if (!transport) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(transport, 'the map never showed the transport category');
    assert.equal(transport.demand.requests, 1, 'the one open request counts in its agency\'s category');
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20000);
    await page.goto(server.url + '/map?lang=ko');
    await page.waitForFunction(() => Number(document.getElementById('treemap').dataset.cellCount || 0) > 0);
    const cell = page.locator('#treemap .tm-cell[data-key="category:transport"]');
    assert.equal((await cell.locator('.tm-demand').innerText()).trim(), '신청 1');
    assert.match(await cell.locator('.visually-hidden').innerText(), /답을 기다리는 제공신청 1건 \(공감 1\)/);
    assert.match(await page.locator('#glance-legend').innerText(), /답을 기다리는 제공신청 수/);
    const found = await axeViolations(page, ['/map?lang=ko']);
    await page.close();
    assert.deepEqual(found, []);
  });

  test('while a title is typed, similar open requests and datasets are listed below it as links', async () => {
    assert.ok(requestPath, 'the first test filed no request');
    // A request whose title is markup: it must come back as text.
    const hostile = '<script>window.hacked=1</script> 버스 정류장 <b>위치</b>';
    const filed = await server.action('datarequest_create', { title: hostile }, citizen, 'POST');
    await server.waitUntilCaughtUp();
    await browser.context.clearCookies();
    const page = await signedInPage();
    const calls = [];
    page.on('request', (r) => { if (r.url().includes('/datarequest_similar')) calls.push(r.url()); });
    await page.goto(server.url + '/requests/new');
    const title = page.getByLabel('신청 데이터 이름');
    const box = page.locator('#title-similar');
    assert.equal(await box.getAttribute('aria-live'), 'polite');

    await title.pressSequentially('공', { delay: 40 });  // one character asks nothing
    await page.waitForTimeout(800);
    assert.equal(calls.length, 0);
    await title.pressSequentially('영주차장', { delay: 40 });
    const requestLink = box.getByRole('link', { name: '공영주차장 실시간 <주차> 가능 대수' });
    await requestLink.waitFor();
    assert.equal(calls.length, 1, 'one call once typing paused, not one per key');
    assert.equal(await box.getByRole('heading', { name: '비슷한 신청과 데이터' }).count(), 1);
    const datasetLink = box.getByRole('link', { name: '공영주차장 위치' });
    assert.equal(await datasetLink.getAttribute('href'), '/dataset/parking-lots');
    assert.deepEqual(await axeHere(page, '/requests/new with suggestions'), []);

    // Keyboard: Tab from the field reaches the first suggestion, Enter follows it.
    await title.focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), '공영주차장 실시간 <주차> 가능 대수');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(requestPath + '$'));
    await page.goBack();
    await page.getByLabel('신청 데이터 이름').fill('');
    await page.getByLabel('신청 데이터 이름').pressSequentially('버스 정류장', { delay: 40 });
    const hostileLink = box.getByRole('link', { name: hostile });
    await hostileLink.waitFor();
    assert.equal(await hostileLink.getAttribute('href'), `/requests/${filed.id}`);
    assert.equal(await box.locator('script, b').count(), 0, 'the title is text, not markup');
    assert.equal(await page.evaluate(() => window.hacked), undefined);
    await box.getByRole('link', { name: '버스 정류장 위치' }).click();
    await page.waitForURL(/\/dataset\/bus-stops$/);
    assert.equal((await page.locator('h1').innerText()).trim(), '버스 정류장 위치');

    // Shortened below two characters, the list goes away.
    await page.goto(server.url + '/requests/new');
    await page.getByLabel('신청 데이터 이름').pressSequentially('버스', { delay: 40 });
    await box.getByRole('link').first().waitFor();
    await page.getByLabel('신청 데이터 이름').press('Backspace');
    await page.waitForFunction(() => document.getElementById('title-similar').childElementCount === 0);
    await page.close();
  });
});
