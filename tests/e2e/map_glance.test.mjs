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
    await page.goto(server.url + '/map');
    await treemapDrawn(page);
    await page.waitForLoadState('networkidle');
    // What the page weighs, from its own Performance API: every response body (no compression
    // on loopback, so the sizes are the files' sizes), split at the first render that
    // web/static/glance.js marks. The budget is docs/BENCHMARKS.md's.
    const timing = await page.evaluate(() => {
      const render = performance.getEntriesByName('glance-first-render')[0].startTime;
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource');
      const size = (e) => e.decodedBodySize || 0;
      const early = resources.filter((e) => e.startTime < render);
      return { first_render_ms: Math.round(render), domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
        bytes_before_first_render: size(nav) + early.reduce((s, e) => s + size(e), 0),
        api_before_first_render: early.map((e) => new URL(e.name)).filter((u) => u.pathname.startsWith('/api/')).map((u) => u.pathname + u.search),
        page_bytes: size(nav) + resources.reduce((s, e) => s + size(e), 0),
        by_resource: Object.fromEntries(resources.map((e) => [new URL(e.name).pathname + new URL(e.name).search, size(e)])) };
    });
    fs.writeFileSync(path.join(artifacts, 'map-glance-metrics.json'),
      JSON.stringify({ datasets: (await server.action('package_search', { rows: 0 })).count, ...timing }, null, 2));
    // One cached endpoint feeds the first render, and what it needs stays within the budget
    // (the graph library comes after it).
    assert.deepEqual(timing.api_before_first_render, ['/api/3/action/datamap_overview?levels=category']);
    assert.ok(timing.bytes_before_first_render <= 150 * 1024, `first render needs ${timing.bytes_before_first_render} bytes`);

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
    // The table under the treemap (the text alternative) carries the same counts.
    const tableCounts = await page.locator('#glance-table tbody tr td:nth-of-type(1)').allInnerTexts();
    assert.deepEqual(tableCounts.map((t) => Number(t.replace(/,/g, ''))).sort((a, b) => a - b),
      groups.map((g) => g.package_count).sort((a, b) => a - b));
    await page.close();
  });

  test('area switches to views and colour to another measure, both kept in the URL, and every box prints its share', async () => {
    const api = await server.action('datamap_overview', { levels: 'category' });
    const drawnBy = async (page, measure) => {
      const slot = api.measures.indexOf(measure);
      const want = Object.fromEntries(api.categories.filter((c) => c.m[slot] > 0).map((c) => [c.key, c.m[slot]]));
      await page.waitForFunction((most) => document.querySelector('#treemap .tm-cell')?.dataset.value === String(most),
        Math.max(...Object.values(want)));
      const drawn = await cells(page);
      assert.deepEqual(drawn.map((c) => c.key).sort(), Object.keys(want).sort());
      const total = Object.values(want).reduce((s, v) => s + v, 0);
      const totalArea = drawn.reduce((s, c) => s + c.area, 0);
      for (const c of drawn) {
        assert.equal(c.value, want[c.key], c.key);
        const share = want[c.key] / total;
        assert.ok(Math.abs(c.area / totalArea - share) <= Math.max(0.15 * share, 0.004), `${c.key}: area ${c.area / totalArea} for ${measure} share ${share}`);
      }
    };
    const page = await newPage();
    await page.goto(server.url + '/map');
    await treemapDrawn(page);
    await page.locator('#glance-size').selectOption('views');
    await page.waitForURL(/size=views/);
    await drawnBy(page, 'views');
    // The 2022 list records no downloads: the boxes stay sized by datasets, and the page says why.
    await page.locator('#glance-size').selectOption('downloads');
    await page.waitForURL(/size=downloads/);
    await page.waitForFunction(() => /다운로드 기록이 없습니다/.test(document.getElementById('glance-status').textContent));
    await drawnBy(page, 'datasets');
    await page.locator('#glance-size').selectOption('views');
    await page.waitForURL(/size=views/);
    await drawnBy(page, 'views');
    await page.locator('#glance-colour').selectOption('quality');
    await page.waitForURL(/colour=quality/);
    await page.waitForFunction(() => document.querySelector('#glance-legend .legend-title')?.textContent.includes('품질'));
    // Colour is never the only cue: each box that shows its figures prints the share in text.
    const values = await page.locator('#treemap .tm-value:not(.tm-hidden)').allInnerTexts();
    assert.ok(values.length > 0);
    for (const v of values) assert.match(v, /\d+%$/);
    // Reloading the URL keeps both choices.
    await page.reload();
    await treemapDrawn(page);
    assert.equal(await page.locator('#glance-size').inputValue(), 'views');
    assert.equal(await page.locator('#glance-colour').inputValue(), 'quality');
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
    // Forward goes back in, to the same agency's datasets.
    await page.goForward();
    await page.waitForURL(/[?&]agency=/);
    await levelShown(page, () => (document.querySelector('#treemap .tm-cell[href]')?.getAttribute('href') || '').startsWith('/dataset/'));
    assert.ok((await cells(page)).some((c) => c.key === dataset.key), 'forward did not bring the agency\'s datasets back');
    await page.close();
  });

  test('an answer that comes late for a level left behind does not draw over the level the URL names', async () => {
    const page = await newPage();
    await page.goto(server.url + '/map');
    await treemapDrawn(page);
    const [slow, fast] = (await cells(page)).slice(0, 2).map((c) => ({ ...c, name: c.key.slice('category:'.length) }));
    fast.label = await page.locator(`#treemap .tm-cell[data-key="${fast.key}"] .tm-name`).textContent();
    // The first category's agencies are answered 1.5 s late; the second's at once.
    let delayed = 0;
    const isSlow = (url) => url.pathname.endsWith('/datamap_overview') && url.searchParams.get('category') === slow.name;
    await page.route(isSlow, async (route) => { delayed++; await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
    const late = page.waitForResponse((r) => isSlow(new URL(r.url())));
    await page.evaluate(([a, b]) => { window.datamapGlance.go({ category: a }); window.datamapGlance.go({ category: b }); },
      [slow.name, fast.name]);
    await page.waitForURL(new RegExp('category=' + encodeURIComponent(fast.name)));
    await levelShown(page, () => document.querySelector('#treemap .tm-cell')?.dataset.key.startsWith('agency:'));
    // Once the late answer has arrived and the page has had a moment to handle it, the boxes are
    // still the second category's agencies.
    await (await late).finished();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    assert.equal(delayed, 1, 'the first category was not asked for');
    const drawn = await cells(page);
    assert.equal(drawn.reduce((s, c) => s + c.value, 0), fast.value, 'the boxes are not the second category\'s agencies');
    assert.equal(Number(await page.locator('#treemap').getAttribute('data-cell-count')), drawn.length);
    assert.equal((await page.locator('#glance-crumbs li').allInnerTexts()).pop(), fast.label);
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
    // Enter on a dataset's box opens its page.
    await page.keyboard.press('ArrowDown');
    const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
    assert.ok(href && href.startsWith('/dataset/'), `focus left the datasets: ${href}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/dataset\//);
    assert.ok(page.url().endsWith(href), page.url());
    await page.goBack();
    await page.waitForURL(/[?&]agency=/);
    await treemapDrawn(page);
    await page.locator('#treemap .tm-cell[tabindex="0"]').focus();
    await page.keyboard.press('Backspace');
    await page.waitForURL((u) => u.search.includes('category=') && !u.search.includes('agency='));
    await page.close();
  });

  test('no two visible labels overlap, at desktop and phone widths, on every level', async () => {
    const largest = (await server.action('datamap_overview', { levels: 'category,agency', category: 'public-administration' }))
      .categories[0].agencies[0].key.slice('agency:'.length);
    const datasetLevel = '/map?category=public-administration&agency=' + encodeURIComponent(largest);
    for (const width of [1280, 390]) {
      const page = await newPage(width);
      for (const url of ['/map', '/map?category=public-administration', datasetLevel]) {
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
    // Checked against each term's own carriers (datamap_overview term=…, which does not read the
    // edges): every term named on a link is carried by both ends, with carriers × carriers pairs.
    const carriers = {};
    const carriersOf = async (name) => {
      if (!carriers[name]) {
        const t = (await server.action('datamap_overview', { term: name })).term;
        carriers[name] = Object.fromEntries(t.categories.map((c) => [c.key, c.datasets]));
      }
      return carriers[name];
    };
    for (const e of api.relations.edges)
      for (const t of e.terms) {
        const c = await carriersOf(t.name);
        assert.ok(c[e.source] && c[e.target], `${t.name} is named on ${e.source}–${e.target} but not carried by both`);
        assert.equal(t.pairs, c[e.source] * c[e.target], `${t.name} on ${e.source}–${e.target}`);
      }
    // Every two categories sharing one of the widely carried terms (the 법정동코드 and
    // 사업자등록번호 among them) are linked in the drawing.
    const drawnEdges = new Set(await page.evaluate(() => window.datamapRelations.edges()
      .map((x) => [x.data('source'), x.data('target')].sort().join('|'))));
    const wide = (await server.action('datamap_overview', { terms: 10 })).terms.map((t) => t.name);
    for (const name of new Set(['법정동코드', '사업자등록번호', ...wide])) {
      const keys = Object.keys(await carriersOf(name));
      for (let i = 0; i < keys.length; i++)
        for (let j = i + 1; j < keys.length; j++)
          assert.ok(drawnEdges.has([keys[i], keys[j]].sort().join('|')), `${keys[i]} and ${keys[j]} share ${name} but are not linked`);
    }
    // A link's thickness grows with its dataset pairs.
    const widths = await page.evaluate(() => window.datamapRelations.edges()
      .map((x) => [x.data('pairs'), parseFloat(x.renderedStyle('width'))]).sort((a, b) => a[0] - b[0]));
    for (let i = 1; i < widths.length; i++)
      assert.ok(widths[i][1] >= widths[i - 1][1] - 1e-6, `a link of ${widths[i][0]} pairs is thinner than one of ${widths[i - 1][0]}`);
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
    // An agency by its name: its datasets are drawn, in one of its categories.
    const agency = (await server.action('datamap_overview', { levels: 'agency' })).agencies.find((a) => a.label && a.m[0] >= 20);
    await find(agency.label);
    await page.waitForURL(new RegExp('agency=' + encodeURIComponent(agency.key.slice('agency:'.length))));
    await levelShown(page, () => (document.querySelector('#treemap .tm-cell[href]')?.getAttribute('href') || '').startsWith('/dataset/'));
    assert.equal((await page.locator('#glance-crumbs li').allInnerTexts()).pop(), agency.label);
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
    // So do the home page's cards, where the issue first saw the tags (one of them, at least,
    // comes from a description that carries <br/>).
    await page.goto(server.url + '/');
    const cards = await page.locator('.cards .card').evaluateAll((cs) => cs.map((c) => ({
      name: c.querySelector('.card-title a').getAttribute('href').slice('/dataset/'.length), text: c.innerText })));
    assert.ok(cards.length > 0);
    let tagged = 0;
    for (const c of cards) {
      assert.ok(!/<\/?br/i.test(c.text), c.text);
      if (/<br/i.test((await server.action('package_show', { id: c.name })).notes || '')) tagged++;
    }
    assert.ok(tagged > 0, 'no card on the home page comes from a description with <br/>');
    // DCAT carries the description without the tag.
    const ttl = await (await fetch(server.url + '/dataset/15000796.ttl')).text();
    assert.ok(!/&lt;br|<br/i.test(ttl), 'the Turtle description still has <br/>');
    await page.close();
  });
});
