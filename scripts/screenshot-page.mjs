// Screenshots one or more URLs with Debian's Chromium (headless): node scripts/screenshot-page.mjs OUT.png URL [WIDTH] [FULLPAGE]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [out, url, width = '1280', full = 'true'] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'datamap-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: Number(width), height: Number(width) < 600 ? 844 : 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.screenshot({ path: out, fullPage: full === 'true' });
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
