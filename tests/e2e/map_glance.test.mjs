// The National Data Map at a glance (issue 19), in Chromium on the whole bundled 2022 data.go.kr
// list (61,359 datasets): the treemap draws every category with areas in proportion to the
// catalog's counts, drilling down to an agency and a dataset works by mouse and by keyboard and
// is kept in the URL, no two visible labels overlap, the relation view names the standard terms
// linking categories, highlighting a term marks exactly the agencies the API says carry it, the
// page passes axe's WCAG 2.1 AA rules at desktop and phone widths, and data.go.kr's <br/>
// descriptions render as paragraphs. Page weight and first render time are written to
// tests/e2e/artifacts/map-glance-metrics.json (docs/BENCHMARKS.md quotes them).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { DatamapServer, sourceDir } from './support/server.mjs';
import { launch } from './support/browser.mjs';

const artifacts = path.join(sourceDir, 'tests/e2e/artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;

before(async () => {
  server = new DatamapServer();
  server.importSample(1);  // every record: the whole 61,359-dataset list
  await server.start();
  await server.waitUntilCaughtUp(600000);
  // The glance is computed once per catalog revision; the first ask pays for it.
  await server.action('datamap_overview', { levels: 'category' });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function newPage(width = 1280) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  page.setDefaultTimeout(30000);
  return page;
}

async function treemapDrawn(page) {
  await page.waitForFunction(() => Number(document.getElementById('treemap').dataset.cellCount || 0) > 0);
}

// Waits until the treemap shows the level the URL names (the previous level's boxes are gone).
async function levelShown(page, predicate) {
  await page.waitForFunction(predicate);
  await treemapDrawn(page);
}

const cells = (page) => page.evaluate(() => [...document.querySelectorAll('#treemap .tm-cell')].map((c) => {
  const r = c.getBoundingClientRect();
  return { key: c.dataset.key, value: Number(c.dataset.value), area: r.width * r.height, href: c.getAttribute('href') };
}));

describe('map at a glance', () => {
  test('the treemap draws every category with areas in proportion to group_list counts', async () => {
    const page = await newPage();
    const started = Date.now();
    await page.goto(server.url + '/map');
    await treemapDrawn(page);
    const firstRender = Date.now() - started;
    await page.waitForLoadState('networkidle');
    // What the page weighs: every response body as it came over the wire (no compression on
    // loopback, so the sizes are the files' sizes), the page itself included.
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource');
      const size = (e) => e.decodedBodySize || 0;
      return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd),
        page_bytes: size(nav) + resources.reduce((s, e) => s + size(e), 0),
        by_resource: Object.fromEntries(resources.map((e) => [new URL(e.name).pathname + new URL(e.name).search, size(e)])) };
    });
    fs.writeFileSync(path.join(artifacts, 'map-glance-metrics.json'),
      JSON.stringify({ datasets: (await server.action('package_search', { rows: 0 })).count,
        first_render_ms: firstRender, ...timing }, null, 2));

    const groups = (await server.action('group_list', { all_fields: true })).filter((g) => g.package_count > 0);
    const drawn = await cells(page);
    assert.deepEqual(drawn.map((c) => c.key).sort(), groups.map((g) => 'category:' + g.name).sort());
    const byKey = Object.fromEntries(drawn.map((c) => [c.key, c]));
    const totalCount = groups.reduce((s, g) => s + g.package_count, 0);
    const totalArea = drawn.reduce((s, c) => s + c.area, 0);
    for (const g of groups) {
      const cell = byKey['category:' + g.name];
      assert.equal(cell.value, g.package_count, g.name);
      const want = g.package_count / totalCount;
      const got = cell.area / totalArea;
      // Two pixels of padding between boxes shrink small boxes a little more than large ones.
      assert.ok(Math.abs(got - want) <= Math.max(0.15 * want, 0.004), `${g.name}: area share ${got} for count share ${want}`);
    }
    await page.close();
  });

  test('drilling to an agency and a dataset by mouse updates the URL, and back returns', async () => {
    const page = await newPage();
    await page.goto(server.url + '/map');
    await treemapDrawn(page);
    const category = (await cells(page))[0];
    await page.locator(`#treemap .tm-cell[data-key="${category.key}"]`).click();
    await page.waitForURL(/[?&]category=/);
    await levelShown(page, () => document.querySelector('#treemap .tm-cell')?.dataset.key.startsWith('agency:'));
    const agencies = await cells(page);
    // The agencies of the category add up to its count.
    assert.equal(agencies.reduce((s, c) => s + c.value, 0), category.value);
    const agency = agencies[0];
    await page.locator(`#treemap .tm-cell[data-key="${agency.key}"]`).click();
    await page.waitForURL(/[?&]agency=/);
    await levelShown(page, () => (document.querySelector('#treemap .tm-cell[href]')?.getAttribute('href') || '').startsWith('/dataset/'));
    const crumbs = await page.locator('#glance-crumbs li').allInnerTexts();
    assert.equal(crumbs.length, 3, crumbs.join(' > '));
    const dataset = (await cells(page)).find((c) => c.href);  // the largest box may be "others"
    await page.locator(`#treemap .tm-cell[data-key="${dataset.key}"]`).click();
    await page.waitForURL(/\/dataset\//);
    assert.ok(page.url().endsWith(dataset.href), page.url());
    await page.goBack();
    await page.waitForURL(/[?&]agency=/);
    await treemapDrawn(page);
    await page.goBack();
    await page.waitForURL((u) => u.search.includes('category=') && !u.search.includes('agency='));
    await levelShown(page, () => document.querySelector('#treemap .tm-cell')?.dataset.key.startsWith('agency:'));
    await page.close();
  });

  test('the keyboard moves between boxes, Enter goes in and Backspace comes back out', async () => {
    const page = await newPage();
    await page.goto(server.url + '/map');
    await treemapDrawn(page);
    const focusedKey = () => page.evaluate(() => document.activeElement.dataset.key);
    await page.locator('#treemap .tm-cell[tabindex="0"]').focus();
    const first = await focusedKey();
    await page.keyboard.press('ArrowRight');
    const second = await focusedKey();
    assert.notEqual(second, first, 'ArrowRight did not move');
    assert.ok(await page.locator('#glance-tip').isVisible(), 'the focused box shows no full name');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp('category=' + encodeURIComponent(second.slice('category:'.length))));
    await levelShown(page, () => document.activeElement?.dataset?.key?.startsWith('agency:'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]agency=/);
    await levelShown(page, () => (document.activeElement?.getAttribute('href') || '').startsWith('/dataset/'));
    await page.keyboard.press('Backspace');
    await page.waitForURL((u) => u.search.includes('category=') && !u.search.includes('agency='));
    await page.close();
  });

  test('no two visible labels overlap, at desktop and phone widths, on every level', async () => {
    for (const width of [1280, 390]) {
      const page = await newPage(width);
      for (const url of ['/map', '/map?category=public-administration']) {
        await page.goto(server.url + url);
        await treemapDrawn(page);
        const boxes = await page.evaluate(() => [...document.querySelectorAll('#treemap .tm-label:not(.tm-hidden) .tm-name')]
          .map((n) => { const r = n.getBoundingClientRect(); const c = n.closest('.tm-cell').getBoundingClientRect();
            return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, inside: r.left >= c.left - 0.5 && r.right <= c.right + 0.5 && r.bottom <= c.bottom + 0.5 }; }));
        assert.ok(boxes.length > 0, `${url} at ${width}px shows no label at all`);
        boxes.forEach((b, i) => assert.ok(b.inside, `${url} at ${width}px: label ${i} spills out of its box`));
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            const overlap = a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5;
            assert.ok(!overlap, `${url} at ${width}px: labels ${i} and ${j} overlap`);
          }
      }
      // The phone layout fits the screen: nothing scrolls sideways.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), `page wider than ${width}px`);
      await page.close();
    }
  });

  test('the relation view names the standard terms on the links between categories', async () => {
    const api = await server.action('datamap_overview', { relations: 'category' });
    const named = api.relations.edges.filter((e) => e.terms.length > 0);
    assert.ok(named.length > 0, 'no two categories share a standard term');
    const page = await newPage();
    await page.goto(server.url + '/map?view=relations');
    await page.waitForFunction(() => Number(document.getElementById('relations').dataset.nodeCount || 0) > 0);
    assert.equal(await page.evaluate(() => window.datamapRelations.edges().length), api.relations.edges.length);
    for (const e of named.slice(0, 10)) {
      const row = page.locator(`#rel-table tr[data-source="${e.source}"][data-target="${e.target}"]`);
      assert.ok((await row.locator('.rel-terms').innerText()).includes(e.terms[0].name), `${e.source}–${e.target}`);
      const drawnTerms = await page.evaluate((id) => window.datamapRelations.edges()
        .filter((x) => x.data('source') === id[0] && x.data('target') === id[1]).map((x) => x.data('terms'))[0], [e.source, e.target]);
      assert.ok(drawnTerms.includes(e.terms[0].name));
    }
    await page.close();
  });

  test('highlighting a standard term marks exactly the agencies and categories the API says carry it', async () => {
    // A term carried by a few dozen datasets: small enough to list its datasets' agencies
    // through datamap_neighbors too, a second reading of the map to check the first against.
    const terms = (await server.action('datamap_overview', { terms: 5000 })).terms;
    const term = terms.find((t) => t.datasets >= 5 && t.datasets <= 200 && t.agencies >= 2);
    assert.ok(term, 'no suitable term');
    const answer = (await server.action('datamap_overview', { term: term.name })).term;
    const hood = await server.action('datamap_neighbors', { id: 'term:' + term.name, depth: 2, limit: 1000,
      node_types: 'term,dataset,agency', edge_types: 'has_term,published_by' });
    assert.equal(hood.truncated, false);
    const viaNeighbours = new Set(hood.nodes.filter((n) => n.type === 'agency').map((n) => n.id));
    assert.deepEqual(new Set(answer.agencies.map((a) => a.key)), viaNeighbours);

    const page = await newPage();
    await page.goto(server.url + '/map?view=relations');
    await page.waitForFunction(() => Number(document.getElementById('relations').dataset.nodeCount || 0) > 0);
    await page.locator('#rel-term').fill(term.name);
    await page.locator('#rel-term-form button[type="submit"]').click();
    await page.waitForURL(/[?&]term=/);
    await page.locator('#rel-carriers .carrier-agencies li').first().waitFor();
    const listed = await page.locator('#rel-carriers .carrier-agencies li').evaluateAll((lis) => lis.map((li) => li.dataset.key));
    assert.deepEqual(new Set(listed), viaNeighbours);
    const marked = await page.evaluate(() => window.datamapRelations.nodes('.carrier').map((n) => n.id()));
    assert.deepEqual(new Set(marked), new Set(answer.categories.map((c) => c.key)));
    // The same highlight on the agency level: every drawn agency that carries it is marked.
    await page.locator('#rel-level').selectOption('agency');
    await page.waitForURL(/level=agency/);
    await page.waitForFunction(() => window.datamapRelations.nodes().some((n) => n.id().startsWith('agency:')));
    const drawn = await page.evaluate(() => window.datamapRelations.nodes().map((n) => [n.id(), n.hasClass('carrier')]));
    for (const [id, carrier] of drawn) assert.equal(carrier, viaNeighbours.has(id), id);
    await page.close();
  });

  test('searching the map focuses a category, an agency, a term or a dataset, and the URL keeps it', async () => {
    const page = await newPage();
    await page.goto(server.url + '/map');
    await treemapDrawn(page);
    const find = async (text) => {
      await page.locator('#glance-q').fill(text);
      await page.locator('#glance-find button[type="submit"]').click();
    };
    await find('교통물류');
    await page.waitForURL(/category=transport/);
    await find('법정동코드');
    await page.waitForURL(/view=relations.*term=|term=.*view=relations/);
    await find('경기도 성남시_공동주택현황');
    await page.waitForURL(/dataset=/);
    await treemapDrawn(page);
    assert.equal(await page.locator('#treemap .tm-found').count(), 1, 'the dataset is not marked in its agency');
    // Reloading the shared URL shows the same view.
    await page.reload();
    await treemapDrawn(page);
    assert.equal(await page.locator('#treemap .tm-found').count(), 1);
    await page.close();
  });

  test('the map passes axe-core WCAG 2.1 AA at desktop and phone widths, both views', async () => {
    const found = [];
    for (const width of [1280, 390]) {
      const page = await newPage(width);
      for (const url of ['/map', '/map?category=public-administration', '/map?view=relations&term=' + encodeURIComponent('법정동코드')]) {
        await page.goto(server.url + url, { waitUntil: 'networkidle' });
        await page.waitForFunction(() => Number(document.getElementById('treemap').dataset.cellCount || 0) > 0 ||
          Number(document.getElementById('relations').dataset.nodeCount || 0) > 0);
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() => window.axe.run(document,
          { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
        for (const v of result.violations)
          found.push(`${url} at ${width}px: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }
      await page.close();
    }
    assert.deepEqual(found, []);
  });

  test('data.go.kr descriptions with <br/> render as paragraphs, and the page carries no tag as text', async () => {
    const page = await newPage();
    await page.goto(server.url + '/dataset/15000796');
    const paragraphs = await page.locator('section.notes p').allInnerTexts();
    assert.ok(paragraphs.length >= 2, `one paragraph: ${paragraphs.join('|')}`);
    assert.ok(paragraphs.every((p) => !/<\/?br/i.test(p)), paragraphs.join('|'));
    const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
    assert.ok(!/<\/?br/i.test(ld.description), ld.description);
    // A search card shows the same text without tags.
    await page.goto(server.url + '/dataset?q=' + encodeURIComponent('성남시 공동주택현황'));
    const snippets = await page.locator('.cards .card-snippet').allInnerTexts();
    assert.ok(snippets.length > 0);
    assert.ok(snippets.every((s) => !/<\/?br/i.test(s)), snippets.join('|'));
    // DCAT carries the description without the tag.
    const ttl = await (await fetch(server.url + '/dataset/15000796.ttl')).text();
    assert.ok(!/&lt;br|<br/i.test(ttl), 'the Turtle description still has <br/>');
    await page.close();
  });
});
