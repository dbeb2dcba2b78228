// An upload through the upload screen's file input (what a drop does too):
// progress, then the job's state until it is done, and the page is a new
// document of the scanner's, waiting for review.
import { run, assert } from './lib.mjs';
import path from 'node:path';
import fs from 'node:fs';

await run('upload', async (s) => {
  const { customers } = s.fixture;
  const scanner = await s.newPage();
  await s.login(scanner, 'scan1');
  await scanner.goto(`${s.url}/#/upload`);
  await scanner.locator('[data-testid=upload-customer]').fill(customers.en);
  const file = path.join(process.env.DOSSIER_SAMPLES, 'zh-registration-upside-down.png');
  assert.ok(fs.existsSync(file));
  await scanner.locator('[data-testid=upload-file]').setInputFiles(file);
  const line = scanner.locator('[data-testid=uploads] li').first();
  await scanner.waitForFunction(() => {
    const el = document.querySelector('[data-testid=uploads] li .state');
    return el && (el.dataset.state === 'done' || el.dataset.state === 'failed' || el.dataset.state === 'error');
  }, null, { timeout: 300000 });
  const state = await line.locator('.state').getAttribute('data-state');
  await s.shot(scanner, 'upload');
  assert.equal(state, 'done', await line.textContent());
  const review = JSON.parse(s.dossier('admin', ['review', 'list', '--json']));
  assert.ok(review.some((d) => d.customer === customers.en && d.created_by === 'scan1'),
            'the uploaded page is a document waiting for review');
});
