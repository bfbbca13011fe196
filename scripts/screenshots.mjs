// Screenshots of the portal for the README: home, search, a dataset, its data preview and the map, at desktop
// (1280 px) and phone (390 px) widths, into docs/screenshots/. Run against a server that holds
// the bundled sample (`make run`), e.g.: node scripts/screenshots.mjs http://127.0.0.1:8080
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = (process.argv[2] || 'http://127.0.0.1:8080').replace(/\/$/, '');
const outDir = path.resolve(import.meta.dirname, '../docs/screenshots');
fs.mkdirSync(outDir, { recursive: true });

const query = '주차장';
const sizes = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'datamap-shots-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await context.newPage();
  // The dataset shown is the first search result that the map relates to others.
  await page.goto(`${base}/dataset?q=${encodeURIComponent(query)}`);
  const datasetUrl = await page.locator('.cards .card-title a').first().getAttribute('href');
  const shots = {
    home: '/',
    search: `/dataset?q=${encodeURIComponent(query)}`,
    dataset: datasetUrl,
    map: '/map',
    'map-relations': '/map?view=relations&term=' + encodeURIComponent('법정동코드'),
  };
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    for (const [name, url] of Object.entries(shots)) {
      await page.goto(base + url, { waitUntil: 'networkidle' });
      if (name === 'map') {
        // The treemap of where data lives, from the search box down through its legend.
        await page.waitForFunction(() => Number(document.getElementById('treemap').dataset.cellCount || 0) > 0, null, { timeout: 60000 });
        await page.locator('#glance-find').scrollIntoViewIfNeeded();
      }
      if (name === 'map-relations') {
        await page.waitForFunction(() => Number(document.getElementById('relations').dataset.nodeCount || 0) > 0, null, { timeout: 60000 });
        await page.locator('#rel-level').scrollIntoViewIfNeeded();
      }
      const file = path.join(outDir, `${name}-${size}.png`);
      await page.screenshot({ path: file });
      console.log('wrote', path.relative(process.cwd(), file));
    }
    // The data preview of 전국주차장정보표준데이터, which `make run` loads into the DataStore:
    // from the preview's heading down through its point map.
    await page.goto(`${base}/dataset/15012896`, { waitUntil: 'networkidle' });
    const preview = page.locator('section.data-preview').first();
    if (await preview.count()) {
      const box = await preview.boundingBox();
      const file = path.join(outDir, `preview-${size}.png`);
      await page.screenshot({ path: file, fullPage: true,
        clip: { x: 0, y: box.y - 8, width: viewport.width, height: Math.min(box.height + 16, 1700) } });
      console.log('wrote', path.relative(process.cwd(), file));
    }
  }
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
