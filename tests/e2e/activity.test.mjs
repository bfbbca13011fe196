// Browser tests of reuses and the activity dashboard (issue 16 items 3 and 4): Chromium drives a
// real `datamap serve`. A reuse added through the API shows on its dataset's page with its link
// and escaped title; a user who follows a dataset sees its change on their dashboard
// (/console/activity) after signing in; both pages pass axe-core's WCAG 2.1 A and AA rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { DatamapServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';

let server;
let browser;
let adminToken;
let citizenToken;

before(async () => {
  server = new DatamapServer();
  adminToken = server.addUser('e2e-admin', ['--sysadmin']);
  citizenToken = server.addUser('e2e-citizen');
  await server.start();
  await server.action('organization_create', { name: 'e2e-seoul', title: '서울특별시' }, adminToken, 'POST');
  await server.action('package_create', {
    name: 'e2e-bus-stops', title: '서울시 버스 정류장 위치', owner_org: 'e2e-seoul',
    notes: '정류장 좌표', tags: ['버스'],
  }, adminToken, 'POST');
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

async function axeViolations(page) {
  const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document,
    { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) =>
    `${page.url()}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

describe('reuses and the activity dashboard', () => {
  test('a reuse shows on its dataset page, linked and escaped', async () => {
    const hostile = '버스 알림 <img src=x onerror=alert(1)> 앱';
    await server.action('reuse_create', {
      title: hostile, url: 'https://example.org/bus-app', type: 'app',
      description: '정류장별 도착 알림', datasets: ['e2e-bus-stops'],
    }, citizenToken, 'POST');
    const page = await newPage();
    let dialogs = 0;
    page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
    await page.goto(server.url + '/dataset/e2e-bus-stops');
    const section = page.getByRole('region', { name: '이 데이터를 활용한 사례' });
    const link = section.getByRole('link', { name: hostile });
    assert.equal(await link.getAttribute('href'), 'https://example.org/bus-app');
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.equal(dialogs, 0, 'a script from the reuse title ran');
    const feed = section.getByRole('link', { name: /Atom/ });
    assert.equal(await feed.getAttribute('href'), '/feeds/dataset/e2e-bus-stops.atom');
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });

  test('following a dataset puts its changes on the follower\'s dashboard', async () => {
    await server.action('follow_dataset', { id: 'e2e-bus-stops' }, citizenToken, 'POST');
    await server.action('package_patch', { id: 'e2e-bus-stops', title: '서울시 버스 정류장 좌표' }, adminToken, 'POST');
    const page = await newPage();
    await page.goto(server.url + '/console');
    await page.getByLabel('API 토큰').fill(citizenToken);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('link', { name: '내 활동 대시보드' }).click();
    await page.waitForURL(/\/console\/activity$/);
    assert.equal((await page.locator('h1').innerText()).trim(), '내 활동 대시보드');
    const following = page.getByRole('region', { name: '팔로우 중' });
    assert.equal(await following.getByRole('link', { name: '서울시 버스 정류장 좌표' }).count(), 1);
    const changes = page.getByRole('region', { name: '최근 변경' });
    const first = changes.locator('li').first();
    assert.match(await first.innerText(), /데이터 변경: 서울시 버스 정류장 좌표/);
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });

  test('following a data request from its page puts the agency\'s answer on the dashboard', async () => {
    const asker = server.addUser('e2e-asker');
    const request = await server.action('datarequest_create',
      { title: '버스 <정류장> 혼잡도', organization: 'e2e-seoul' }, asker, 'POST');
    await browser.context.clearCookies();  // signed in afresh, as the citizen
    const page = await newPage();
    await page.goto(server.url + '/console');
    await page.getByLabel('API 토큰').fill(citizenToken);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL(/\/console$/);
    await page.goto(server.url + `/requests/${request.id}`);
    const follow = page.getByRole('region', { name: /팔로우/ });
    assert.equal(await follow.getByRole('link', { name: /Atom/ }).getAttribute('href'),
      `/feeds/datarequest/${request.id}.atom`);
    await follow.getByRole('button', { name: /^팔로우 \(/ }).click();
    await page.waitForURL(new RegExp(`/requests/${request.id}$`));
    assert.equal(await page.getByRole('button', { name: '팔로우 취소' }).count(), 1);
    assert.match(await page.locator('#follow-h').innerText(), /2/);  // the asker and this citizen
    assert.deepEqual(await axeViolations(page), []);

    await server.action('datarequest_update', { id: request.id, status: 'reviewing' }, adminToken, 'POST');
    await page.goto(server.url + '/console/activity');
    const following = page.getByRole('region', { name: '팔로우 중' });
    assert.equal(await following.getByRole('link', { name: '버스 <정류장> 혼잡도' }).count(), 1);
    const first = page.getByRole('region', { name: '최근 변경' }).locator('li').first();
    assert.match(await first.innerText(), /제공신청 진행: 버스 <정류장> 혼잡도/);
    assert.equal(await first.getByRole('link').getAttribute('href'), `/requests/${request.id}`);
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });
});
