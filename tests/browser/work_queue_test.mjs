// The work queue screen on a real queue: a scanner queues an item to OCR
// and three with `dossier ingest --queue --no-ocr` (one of them loses its
// spooled file, so it fails); the screen lists them as queued and refreshes
// itself (not while the tab is hidden). A worker killed with SIGKILL while
// it OCRs the first leaves it working (处理中) under its name; once its
// short lease has run out a real `dossier worker --once` takes it over
// (attempt 2) and does the rest, and the screen, without a reload, shows
// three done with links to the filed documents and one failed with its
// error; then it stops refreshing. A clerk (no document.ingest) has no nav
// entry and sees the server's refusal. Screenshots in Chinese and English,
// desk and tablet width.
import { run, assert } from './lib.mjs';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const queuedId = (out) => {
  const m = /queued (W\d{6})/.exec(out);
  assert.ok(m, 'no work item in: ' + out);
  return m[1];
};

// Requests the page makes to GET /api/work, counted.
function countWorkRequests(page) {
  const counter = { n: 0 };
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/work') counter.n++; });
  return counter;
}

// Makes the page believe its tab is hidden (or shown again).
async function setHidden(page, hidden) {
  await page.evaluate((hidden) => {
    if (hidden) {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    } else {
      delete document.hidden;
      delete document.visibilityState;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

await run('work_queue', async (s) => {
  const { zh, en } = s.fixture.customers;
  const samples = process.env.DOSSIER_SAMPLES;
  const page = (name) => path.join(samples, name);
  // OCR'd (not --no-ocr, and pages the customer has not filed, which would
  // be a duplicate known before any OCR), so a worker is still at it when
  // it is killed.
  const slow = queuedId(s.dossier('scan1', ['ingest', '--queue', page('zh-registration-upside-down.png'),
    page('zh-registration.png'), '--one-document', '--customer', en, '--type', 'form']));
  const a = queuedId(s.dossier('scan1', ['ingest', '--queue', '--no-ocr', page('en-agreement.png'),
    '--customer', zh, '--type', 'contract', '--title', '队列合同 Q-1']));
  const b = queuedId(s.dossier('scan1', ['ingest', '--queue', '--no-ocr', '--one-document',
    page('zh-contract-1.png'), page('zh-contract-2.png'), '--customer', en, '--type', 'form',
    '--title', 'Queued form Q-2']));
  const lost = path.join(s.dir, 'lost-page.png');
  fs.copyFileSync(page('zh-registration.png'), lost);
  const c = queuedId(s.dossier('scan1', ['ingest', '--queue', '--no-ocr', lost, '--customer', zh]));
  // The spooled copy goes missing: the worker fails the item.
  const spool = path.join(s.archive, 'queue');
  const spooled = fs.readdirSync(spool, { recursive: true }).map((f) => path.join(spool, f))
    .filter((f) => path.basename(f) === 'lost-page.png');
  assert.equal(spooled.length, 1, 'one spooled lost-page.png');
  fs.rmSync(spooled[0]);

  const scanner = await s.newPage();
  const requests = countWorkRequests(scanner);
  await s.login(scanner, 'scan1');
  await scanner.locator('.main-nav a[data-nav=work]').click();
  await scanner.locator('[data-testid=work-list] table.work').waitFor();
  assert.equal(await scanner.locator('h1').textContent(), '处理队列');
  assert.deepEqual(await scanner.locator('[data-testid=work-id]').allTextContents(), [c, b, a, slow],
                   'newest first');
  for (const id of [slow, a, b, c]) {
    const state = scanner.locator(`[data-testid=work-state-${id}]`);
    assert.equal(await state.getAttribute('data-state'), 'queued');
    assert.equal(await state.textContent(), '排队中');
  }
  const rowB = scanner.locator('table.work tr', { has: scanner.locator(`[data-testid=work-state-${b}]`) });
  assert.match(await rowB.textContent(), /scan1/);
  assert.deepEqual(await rowB.locator('.work-files li').allTextContents(), ['zh-contract-1.png', 'zh-contract-2.png']);
  assert.equal(await scanner.locator('[data-testid=work-refresh]').getAttribute('data-auto'), 'on');
  await s.shot(scanner, 'work-queued');

  // It refreshes by itself while items are queued...
  const before = requests.n;
  await sleep(3500);
  assert.ok(requests.n > before, 'the list refreshed itself while items were queued');
  // ...but not while the tab is hidden; shown again, it looks at once.
  await setHidden(scanner, true);
  await sleep(300);
  const hiddenFrom = requests.n;
  await sleep(4000);
  assert.equal(requests.n, hiddenFrom, 'no refresh while the tab is hidden');
  await setHidden(scanner, false);
  await sleep(800);
  assert.ok(requests.n > hiddenFrom, 'refreshed when the tab was shown again');

  // A worker takes the first item and is killed while it works on it: the
  // item stays working, under that worker, until its lease runs out.
  const killed = spawn(process.env.DOSSIER_BIN, ['worker', '--name', 'station-worker-0', '--lease-seconds', '4'], {
    env: { ...process.env, HOME: s.home, DOSSIER_ARCHIVE: s.archive, DOSSIER_USER: 'scan1',
           DOSSIER_PASSWORD: s.password('scan1'), OMP_THREAD_LIMIT: '1' },
    stdio: 'ignore',
  });
  const gone = new Promise((resolve) => killed.on('exit', resolve));
  let running = false;
  for (let i = 0; i < 200 && !running; ++i) {
    running = s.dossier('scan1', ['jobs', slow]).includes('running');
    if (!running) await sleep(50);
  }
  assert.ok(running, `${slow} was never running`);
  console.log(`${slow} seen running by the CLI`);
  killed.kill('SIGKILL');
  await gone;
  const killedAt = Date.now();
  const slowState = scanner.locator(`[data-testid=work-state-${slow}]`);
  await scanner.locator(`[data-testid=work-state-${slow}][data-state=running]`).waitFor({ timeout: 10000 });
  assert.equal(await slowState.textContent(), '处理中');
  assert.equal(await scanner.locator('table.work tr', { has: slowState }).locator('td').last().textContent(), '正在处理…');
  assert.match(await scanner.locator(`[data-testid=work-worker-${slow}]`).textContent(), /station-worker-0/);
  assert.equal(await scanner.locator('[data-testid=work-refresh]').getAttribute('data-auto'), 'on');
  await s.shot(scanner, 'work-running');
  // The lease (4 s, renewed every 1.3 s) has run out when this has passed.
  await sleep(Math.max(0, killedAt + 5500 - Date.now()));

  // A real worker does the queue and leaves (exit 11, partial: one item failed).
  let out = '';
  try {
    out = s.dossier('scan1', ['worker', '--once', '--name', 'station-worker-1']);
  } catch (e) {
    assert.equal(e.status, 11, `worker: exit ${e.status}\n${e.stdout}\n${e.stderr}`);
    out = e.stdout;
  }
  console.log('worker: ' + out.trim().split('\n').pop());
  assert.match(out, /3 item\(s\) done, 1 failed/);

  // The screen shows it without a reload.
  await scanner.locator(`[data-testid=work-state-${a}][data-state=done]`).waitFor({ timeout: 15000 });
  await scanner.locator(`[data-testid=work-state-${c}][data-state=failed]`).waitFor({ timeout: 15000 });
  assert.equal(await scanner.locator(`[data-testid=work-state-${a}]`).textContent(), '已完成');
  assert.equal(await scanner.locator(`[data-testid=work-state-${b}]`).getAttribute('data-state'), 'done');
  assert.match(await scanner.locator(`[data-testid=work-worker-${a}]`).textContent(), /station-worker-1/);
  assert.equal(await scanner.locator(`[data-testid=work-attempts-${a}]`).getAttribute('data-attempts'), '1');
  assert.equal(await scanner.locator(`[data-testid=work-attempts-${a}]`).textContent(), '已尝试 1 次');
  // The killed worker's item was taken over.
  assert.equal(await slowState.getAttribute('data-state'), 'done');
  assert.equal(await scanner.locator(`[data-testid=work-attempts-${slow}]`).getAttribute('data-attempts'), '2');
  assert.match(await scanner.locator(`[data-testid=work-worker-${slow}]`).textContent(), /station-worker-1/);
  const docSlow = await scanner.locator(`[data-testid=work-result-${slow}] a`).textContent();
  assert.match(docSlow, /^D\d{6}$/);
  assert.match(await scanner.locator(`[data-testid=work-result-${slow}]`).textContent(), /已存储/);
  const error = await scanner.locator(`[data-testid=work-error-${c}]`).textContent();
  assert.match(error, /lost-page\.png/);
  assert.match(error, /missing/);
  const docA = await scanner.locator(`[data-testid=work-result-${a}] a`).textContent();
  const docB = await scanner.locator(`[data-testid=work-result-${b}] a`).textContent();
  assert.match(docA, /^D\d{6}$/);
  assert.match(docB, /^D\d{6}$/);
  assert.equal(new Set([docA, docB, docSlow]).size, 3, 'three documents');
  assert.equal(await scanner.locator(`[data-testid=work-result-${b}] li`).count(), 1, 'one document of two files');

  // Nothing pending: it stops refreshing.
  assert.equal(await scanner.locator('[data-testid=work-refresh]').getAttribute('data-auto'), 'off');
  const idleFrom = requests.n;
  await sleep(4000);
  assert.equal(requests.n, idleFrom, 'no refresh once nothing is pending');
  await s.shot(scanner, 'work-done');

  // English.
  await scanner.locator('[data-testid=lang]').click();
  await scanner.locator(`[data-testid=work-state-${a}]`).waitFor();
  assert.equal(await scanner.locator('h1').textContent(), 'Work queue');
  assert.equal(await scanner.locator(`[data-testid=work-state-${a}]`).textContent(), 'done');
  assert.equal(await scanner.locator(`[data-testid=work-state-${c}]`).textContent(), 'failed');
  assert.equal(await scanner.locator('.main-nav a[data-nav=work]').textContent(), 'Work queue');
  await s.shot(scanner, 'work-done-en');

  // The filter: only the failed one.
  await scanner.locator('[data-testid=tab-failed]').click();
  await scanner.waitForFunction(() => location.hash === '#/work?state=failed');
  await scanner.locator('[data-testid=work-list] table.work').waitFor();
  assert.deepEqual(await scanner.locator('[data-testid=work-id]').allTextContents(), [c]);
  await scanner.locator('[data-testid=tab-queued]').click();
  await scanner.locator('[data-testid=work-list] .empty').waitFor();

  // The link opens the filed document.
  await scanner.locator('[data-testid=tab-all]').click();
  await scanner.locator(`[data-testid=work-result-${a}] a`).click();
  await scanner.waitForFunction((d) => location.hash.split('?')[0] === '#/doc/' + d, docA);
  await scanner.locator('[data-testid=doc-title]').waitFor();
  assert.equal(await scanner.locator('[data-testid=doc-title]').textContent(), '队列合同 Q-1');

  // Tablet width, Chinese.
  const tablet = await s.newPage({ viewport: { width: 1024, height: 768 } });
  await s.login(tablet, 'scan1');
  await tablet.goto(`${s.url}/#/work`);
  await tablet.locator('[data-testid=work-list] table.work').waitFor();
  const overflow = await tablet.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a tablet`);
  await s.shot(tablet, 'work-tablet');
  await tablet.locator('[data-testid=lang]').click();
  await tablet.locator('h1', { hasText: 'Work queue' }).waitFor();
  await tablet.locator('[data-testid=work-list] table.work').waitFor();
  assert.ok(await tablet.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
            'the English page fits a tablet');
  await s.shot(tablet, 'work-tablet-en');

  // A clerk: no nav entry, and the server's refusal on a direct visit.
  const clerk = await s.newPage();
  await s.login(clerk, 'clerk1');
  assert.equal(await clerk.locator('.main-nav a[data-nav=work]').count(), 0);
  await clerk.goto(`${s.url}/#/work`);
  await clerk.locator('[data-testid=refused]').waitFor();
  assert.match(await clerk.locator('[data-testid=refused-detail]').textContent(), /权限不足/);
  assert.equal(await clerk.locator('table.work').count(), 0);
  await s.shot(clerk, 'work-refused');
});
