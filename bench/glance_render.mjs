// First render and page weight of /map (the map at a glance, issue 19) in this machine's
// Chromium, read from the page's own Performance API: the "glance-first-render" mark that
// web/static/glance.js sets once the treemap's boxes are in the page (its startTime counts from
// navigation start), navigation timing, and every resource's size split by kind.
//
//   node bench/glance_render.mjs URL [RUNS]
//
// Each run is a first visit (a fresh browser context: empty cache) followed by a repeat visit in
// the same context (scripts and styles from the cache, the overview asked again), then a drill
// into the largest category (click to the agencies drawn). Prints one line per run, then the
// median and max of each, the load average before and after, and the bytes of the first visit.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = (process.argv[2] || 'http://127.0.0.1:8080').replace(/\/$/, '');
const runs = Number(process.argv[3] || 7);
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'datamap-glance-bench-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// What the page measured about itself once the treemap is drawn.
async function measure(page) {
  await page.waitForFunction(() => performance.getEntriesByName('glance-first-render').length > 0, null, { timeout: 120000 });
  return page.evaluate(() => {
    const render = performance.getEntriesByName('glance-first-render')[0].startTime;
    const nav = performance.getEntriesByType('navigation')[0];
    const kinds = { html: nav.encodedBodySize, js: 0, css: 0, data: 0, other: 0 };
    const before = { ...kinds };  // only what was fetched before the first render
    const later = [];
    for (const e of performance.getEntriesByType('resource')) {
      const p = new URL(e.name).pathname;
      const kind = p.endsWith('.js') ? 'js' : p.endsWith('.css') ? 'css' : p.startsWith('/api/') ? 'data' : 'other';
      const bytes = e.encodedBodySize || e.transferSize || 0;
      kinds[kind] += bytes;
      if (e.startTime < render) before[kind] += bytes; else later.push(p.split('/').pop());
    }
    return { render: Math.round(render), responseEnd: Math.round(nav.responseEnd),
      dcl: Math.round(nav.domContentLoadedEventEnd), cells: Number(document.getElementById('treemap').dataset.cellCount),
      before, all: kinds, later };
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const rows = { first: [], repeat: [], drill: [] };
let weight = null;
console.log(`glance_render: ${base}/map, ${runs} runs, load average ${loadavg()}`);
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(base + '/map');
    const first = await measure(page);
    await page.waitForLoadState('networkidle');
    weight = weight || await measure(page);  // after the later scripts came in
    await page.goto(base + '/map');
    const repeat = await measure(page);
    // Drill into the largest category: click to the agencies' boxes drawn.
    const largest = page.locator('#treemap .tm-cell').first();
    const t0 = Date.now();
    await largest.click();
    await page.waitForFunction(() => document.querySelector('#treemap .tm-cell')?.dataset.key.startsWith('agency:'), null, { timeout: 120000 });
    const drill = Date.now() - t0;
    rows.first.push(first.render);
    rows.repeat.push(repeat.render);
    rows.drill.push(drill);
    console.log(`run ${i + 1}: first visit ${first.render} ms (HTML in ${first.responseEnd} ms, DOMContentLoaded ${first.dcl} ms, ` +
      `${first.cells} boxes), repeat visit ${repeat.render} ms, drill to ${await page.locator('#treemap .tm-cell').count()} agencies ${drill} ms`);
    await context.close();
  }
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
for (const [name, xs] of Object.entries(rows))
  console.log(`${name.padEnd(7)} median ${median(xs)} ms, max ${Math.max(...xs)} ms, min ${Math.min(...xs)} ms`);
const kb = (o) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ');
const sum = (o) => Object.values(o).reduce((s, v) => s + v, 0);
console.log(`bytes before the first render: ${sum(weight.before)} (${kb(weight.before)})`);
console.log(`bytes once idle: ${sum(weight.all)} (${kb(weight.all)}); fetched after the first render: ${weight.later.join(' ')}`);
console.log(`load average after: ${loadavg()}`);
