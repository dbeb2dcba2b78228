// What every browser test shares: a copy of the fixture archive (so tests
// never see each other's changes), `dossier serve` on a free loopback port,
// headless Debian Chromium driven by playwright-core, login through the UI,
// screenshots into the artifacts folder, and a check that no page threw
// or broke the CSP.
//
// Environment (set by tests/browser/CMakeLists.txt): DOSSIER_BIN,
// DOSSIER_WEB_DIR, DOSSIER_BROWSER_FIXTURE (made by make_archive.mjs),
// DOSSIER_NODE_MODULES (playwright-core), DOSSIER_ARTIFACTS, DOSSIER_CHROMIUM.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const need = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const require = createRequire(path.join(need('DOSSIER_NODE_MODULES'), 'noop.js'));
const { chromium } = require('playwright-core');

export { assert };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Station {
  constructor(name) {
    this.name = name;
    this.artifacts = need('DOSSIER_ARTIFACTS');
    fs.mkdirSync(this.artifacts, { recursive: true });
    const template = need('DOSSIER_BROWSER_FIXTURE');
    this.fixture = JSON.parse(fs.readFileSync(path.join(template, 'fixture.json'), 'utf8'));
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `dossier-browser-${name}-`));
    fs.cpSync(path.join(template, 'archive'), path.join(this.dir, 'archive'), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'home'), { mode: 0o700 });
    this.archive = path.join(this.dir, 'archive');
    this.home = path.join(this.dir, 'home');
    this.errors = [];
    this.pages = [];
    this.serverArgs = [];  // more `dossier serve` flags, set by a test's prepare
  }

  password(user) {
    return user === 'admin' ? this.fixture.adminPassword : this.fixture.password;
  }

  // Runs the CLI against this test's archive as user (the server keeps
  // running: SQLite lets both in).
  dossier(user, args) {
    return execFileSync(need('DOSSIER_BIN'), args, {
      encoding: 'utf8',
      env: { ...process.env, HOME: this.home, DOSSIER_ARCHIVE: this.archive, DOSSIER_USER: user,
             DOSSIER_PASSWORD: this.password(user), OMP_THREAD_LIMIT: '1' },
    });
  }

  async start() {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.serverLog = path.join(this.artifacts, `${this.name}-server.log`);
    const log = fs.openSync(this.serverLog, 'w');
    const env = { ...process.env, HOME: this.home, OMP_THREAD_LIMIT: '1' };
    for (const k of ['DOSSIER_USER', 'DOSSIER_PASSWORD', 'DOSSIER_SESSION', 'DOSSIER_ARCHIVE']) delete env[k];
    this.server = spawn(need('DOSSIER_BIN'),
      ['serve', '--listen', `127.0.0.1:${port}`, '--archive', this.archive, '--web', need('DOSSIER_WEB_DIR'),
       ...this.serverArgs],
      { env, stdio: ['ignore', log, log] });
    this.exited = new Promise((resolve) => this.server.on('exit', (code, signal) => resolve({ code, signal })));
    let up = false;
    this.server.on('exit', () => { up = false; });
    for (let i = 0; i < 600 && this.server.exitCode === null; ++i) {
      try {
        const res = await fetch(this.url + '/api/me');
        await res.arrayBuffer();
        up = true;
        break;
      } catch {
        await sleep(100);
      }
    }
    if (!up) {
      throw new Error(`dossier serve did not start on ${this.url}:\n` + fs.readFileSync(this.serverLog, 'utf8'));
    }
    this.browser = await chromium.launch({
      executablePath: process.env.DOSSIER_CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
    });
  }

  // A fresh browser context (its own cookies and localStorage).
  async newPage(options = {}) {
    const context = await this.browser.newContext({
      viewport: { width: 1366, height: 900 }, locale: 'zh-CN', ...options,
    });
    const page = await context.newPage();
    this.pages.push(page);
    page.on('pageerror', (e) => this.errors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
        this.errors.push(`CSP: ${m.text()}`);
      }
    });
    return page;
  }

  async login(page, user) {
    await page.goto(this.url + '/');
    await page.locator('#login-user').fill(user);
    await page.locator('#login-password').fill(this.password(user));
    await page.locator('form.login button[type=submit]').click();
    await page.locator('[data-testid=who]').waitFor();
    assert.equal(await page.locator('[data-testid=who]').textContent(), user);
  }

  async shot(page, name) {
    const file = path.join(this.artifacts, `${name}.png`);
    // The images shown (page previews, thumbnails) are in the picture.
    await page.waitForFunction(() => [...document.images].every((i) => i.complete));
    // From the top: the page viewer is sticky, a scrolled page moves it.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
    return file;
  }

  async stop() {
    if (this.browser) await this.browser.close().catch(() => {});
    if (this.server && this.server.exitCode === null) {
      this.server.kill('SIGTERM');
      const t = setTimeout(() => this.server.kill('SIGKILL'), 20000);
      const how = await this.exited;
      clearTimeout(t);
      console.log(`dossier serve stopped (${how.signal ?? 'exit ' + how.code})`);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// Runs one browser test: a station of its own, the body, then cleanup.
// prepare(station), if given, runs before the server starts (files to set
// up, station.serverArgs). Exit code 0 only when the body passed and no
// page threw.
export async function run(name, body, prepare) {
  const station = new Station(name);
  let failed = false;
  try {
    if (prepare) await prepare(station);
    await station.start();
    await body(station);
    assert.deepEqual(station.errors, [], 'errors in the browser');
    console.log(`ok - ${name}`);
  } catch (e) {
    failed = true;
    console.error(`not ok - ${name}\n${e && e.stack ? e.stack : e}`);
    // What each page showed when it failed.
    for (const [i, page] of station.pages.entries()) {
      try {
        const file = path.join(station.artifacts, `${name}-failure-${i + 1}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.error(`page ${i + 1} at ${page.url()}: message "${await page.locator('#flash').textContent()}", ` +
                      `screenshot ${file}`);
      } catch {
        // the page is gone
      }
    }
    if (station.serverLog && fs.existsSync(station.serverLog)) {
      console.error('--- server log (tail) ---\n' +
        fs.readFileSync(station.serverLog, 'utf8').split('\n').slice(-30).join('\n'));
    }
  } finally {
    await station.stop();
  }
  process.exit(failed ? 1 : 0);
}

// fetch from inside the page, with its session cookie and its CSRF token
// (as the UI would send it), for calling the API directly.
export async function apiFromPage(page, method, apiPath, body) {
  return page.evaluate(async ({ method, apiPath, body }) => {
    const me = await (await fetch('/api/me')).json();
    const res = await fetch('/api' + apiPath, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = null;
    try { json = await res.json(); } catch { json = null; }
    return { status: res.status, body: json };
  }, { method, apiPath, body });
}
