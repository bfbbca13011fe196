// Starts the real `datamap serve` for browser tests: a temporary data directory holding a real
// sample (every Nth record of the bundled 2022 data.go.kr list, imported with `datamap import`),
// a sysadmin token from `datamap user add`, and the server on a free loopback port (--port 0;
// the server prints the port it bound). Everything is removed when stop() is called.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const sourceDir = process.env.DATAMAP_SOURCE_DIR || path.resolve(import.meta.dirname, '../../..');
export const binary = process.env.DATAMAP_BINARY || path.join(sourceDir, 'build/datamap');

// Splits CSV text into records (a quoted field may span lines), keeping each record's raw text.
function csvRecords(text) {
  const records = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      records.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

// The header and every `step`-th record: a spread over all agencies, categories and years.
export function writeSample(file, step) {
  const xz = spawnSync('xz', ['-dc', path.join(sourceDir, 'data/sample/datago-list-2022.csv.xz')], {
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (xz.status !== 0) throw new Error('xz failed: ' + xz.stderr);
  const records = csvRecords(xz.stdout);
  const picked = [records[0]];
  for (let i = 1; i < records.length; i += step) picked.push(records[i]);
  fs.writeFileSync(file, picked.join(''));
  return picked.length - 1;
}

function run(args) {
  const r = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`datamap ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

export class DatamapServer {
  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datamap-e2e-'));
    this.dataDir = path.join(this.dir, 'data');
    this.log = '';
  }

  importSample(step = 20) {
    const csv = path.join(this.dir, 'sample.csv');
    this.sampleSize = writeSample(csv, step);
    run(['import', '--data', this.dataDir, csv]);
    return this.sampleSize;
  }

  addUser(name, flags = []) {
    const out = run(['user', 'add', name, '--data', this.dataDir, ...flags]).trim().split('\n');
    return out[out.length - 1].trim();
  }

  // `env`: extra environment for the server process (test knobs such as DATAMAP_GLANCE_DELAY_MS).
  async start(env = {}) {
    // One browser on 127.0.0.1 runs every test: keep the anonymous rate limit out of its way
    // (tests/api/resource_limits_test.cpp proves the limit itself).
    const config = path.join(this.dir, 'datamap.toml');
    fs.writeFileSync(config, '[rate_limit]\nper_minute = 6000000\nburst = 1000000\n' +
      'expensive_per_minute = 6000000\nexpensive_burst = 1000000\n');
    this.child = spawn(binary, ['serve', '--data', this.dataDir, '--host', '127.0.0.1', '--port', '0',
      '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.child.stderr.on('data', (d) => { this.log += d; });
    this.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start:\n' + this.log)), 120000);
      this.child.stdout.on('data', (d) => {
        this.log += d;
        const m = /serving (http:\/\/[0-9.]+:\d+)/.exec(this.log);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      this.child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${this.log}`)); });
    });
    return this.url;
  }

  // Waits until search has indexed every dataset of the catalog and the map is built: the server
  // answers at once on start while both catch up in the background, and tests that compare
  // counts must not race them.
  async waitUntilCaughtUp(timeoutMs = 120000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const names = await this.action('package_list', {});
        const search = await this.action('package_search', { rows: 0 });
        await this.action('datamap_stats', {});
        if (search.count === names.length && names.length > 0) return names.length;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
      if (Date.now() > deadline) throw new Error('search or map did not catch up:\n' + this.log);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // Calls an action over HTTP, as any API client would.
  async action(name, params = {}, token = null, method = 'GET') {
    let res;
    if (method === 'GET') {
      res = await fetch(`${this.url}/api/3/action/${name}?${new URLSearchParams(params)}`, {
        headers: token ? { Authorization: token } : {},
      });
    } else {
      res = await fetch(`${this.url}/api/3/action/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: token } : {}) },
        body: JSON.stringify(params),
      });
    }
    const body = await res.json();
    if (!body.success) throw new Error(`${name}: ${res.status} ${JSON.stringify(body.error)}`);
    return body.result;
  }

  async stop() {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
