// An upload through the upload screen's file input (what a drop does too):
// progress, then the job followed by its Server-Sent Events until it is
// done (no polling), and the page is a new document of the scanner's,
// waiting for review. Where the events cannot be had the screen polls.
import { run, assert } from './lib.mjs';
import path from 'node:path';
import fs from 'node:fs';

await run('upload', async (s) => {
  const { customers } = s.fixture;
  const scanner = await s.newPage();
  const requests = [];
  scanner.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await s.login(scanner, 'scan1');
  await scanner.goto(`${s.url}/#/upload`);
  await scanner.locator('[data-testid=upload-customer]').fill(customers.en);
  const file = path.join(process.env.DOSSIER_SAMPLES, 'zh-registration-upside-down.png');
  assert.ok(fs.existsSync(file));
  const finished = () => scanner.waitForFunction(() => {
    const el = document.querySelector('[data-testid=uploads] li .state');
    return el && (el.dataset.state === 'done' || el.dataset.state === 'failed' || el.dataset.state === 'error');
  }, null, { timeout: 300000 });
  await scanner.locator('[data-testid=upload-file]').setInputFiles(file);
  const line = scanner.locator('[data-testid=uploads] li').first();
  await finished();
  const state = line.locator('.state');
  await s.shot(scanner, 'upload');
  assert.equal(await state.getAttribute('data-state'), 'done', await line.textContent());
  assert.equal(await state.getAttribute('data-via'), 'events');
  assert.ok(Number(await state.getAttribute('data-events')) >= 1);
  const job = /J[0-9a-f]{16}/.exec(await state.textContent())[0];
  assert.ok(requests.includes(`/api/jobs/${job}/events`), 'the job was followed by its events');
  assert.ok(!requests.includes(`/api/jobs/${job}`), 'and not polled');
  const made = line.locator('.report [data-document] a');
  assert.match(await made.textContent(), /^D\d{6}$/);
  const review = JSON.parse(s.dossier('admin', ['review', 'list', '--json']));
  assert.ok(review.some((d) => d.customer === customers.en && d.created_by === 'scan1'),
            'the uploaded page is a document waiting for review');

  // The events refused on the way (a proxy that drops them): polled instead.
  // The same page again is the same document (a duplicate, quickly done).
  await scanner.route('**/api/jobs/*/events', (route) => route.abort());
  await scanner.locator('[data-testid=upload-file]').setInputFiles(file);
  await scanner.waitForFunction(() => {
    const el = document.querySelector('[data-testid=uploads] li .state');
    return el && el.dataset.via === 'poll' && el.dataset.state === 'done';
  }, null, { timeout: 300000 });
  assert.ok((await line.locator('.report').textContent()).includes('与已有文件相同'));
});
