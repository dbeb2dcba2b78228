// Uploads on a server of several stations (`dossier serve --queue-uploads`):
// the upload screen's page goes on the archive's work queue instead of
// being OCRed by the server. The line names its work item (a link to the
// work queue screen) and stays queued while no worker runs; a real
// `dossier worker --once` then files it, and the same line, without a
// reload, shows it done with the document it became. Screenshots of both.
import { run, assert, apiFromPage } from './lib.mjs';
import path from 'node:path';
import fs from 'node:fs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await run('upload_queue', async (s) => {
  const { customers } = s.fixture;
  const scanner = await s.newPage();
  await s.login(scanner, 'scan1');
  await scanner.goto(`${s.url}/#/upload`);
  await scanner.locator('[data-testid=upload-customer]').fill(customers.en);
  const file = path.join(process.env.DOSSIER_SAMPLES, 'zh-registration-upside-down.png');
  assert.ok(fs.existsSync(file));
  await scanner.locator('[data-testid=upload-file]').setInputFiles(file);
  const line = scanner.locator('[data-testid=uploads] li').first();
  const state = line.locator('.state');
  const item = state.locator('[data-testid=work-item]');
  await item.waitFor({ timeout: 60000 });
  const id = (await item.textContent()).trim();
  assert.match(id, /^W\d{6}$/);
  assert.equal(await item.getAttribute('href'), '#/work');
  // No worker runs: it stays queued, and the server files nothing itself.
  await sleep(3000);
  assert.equal(await state.getAttribute('data-state'), 'queued', await line.textContent());
  const waiting = await apiFromPage(scanner, 'GET', `/work/${id}`);
  assert.equal(waiting.status, 200, JSON.stringify(waiting));
  assert.equal(waiting.body.state, 'queued');
  assert.equal(waiting.body.enqueued_by, 'scan1');
  await s.shot(scanner, 'upload_queue-queued');

  // A worker (any station that shares the archive) does it.
  s.dossier('scan1', ['worker', '--once']);
  await scanner.waitForFunction(() => {
    const el = document.querySelector('[data-testid=uploads] li .state');
    return el && (el.dataset.state === 'done' || el.dataset.state === 'failed');
  }, null, { timeout: 120000 });
  assert.equal(await state.getAttribute('data-state'), 'done', await line.textContent());
  const made = line.locator('.report [data-document] a');
  assert.match(await made.textContent(), /^D\d{6}$/);
  const done = await apiFromPage(scanner, 'GET', `/work/${id}`);
  assert.equal(done.body.state, 'done', JSON.stringify(done));
  assert.notEqual(done.body.worker, '');
  await s.shot(scanner, 'upload_queue-done');
  const review = JSON.parse(s.dossier('admin', ['review', 'list', '--json']));
  assert.ok(review.some((d) => d.customer === customers.en && d.created_by === 'scan1'),
            'the uploaded page is a document of the scanner\'s, waiting for review');
}, (s) => {
  s.serverArgs.push('--queue-uploads');
});
