// Every main screen as the user who works there, in Chinese and in English,
// saved as screenshots; the customer file lists its documents and where
// each original is; an upload by drag-and-drop's file input reaches a
// finished job.
import { run, assert } from './lib.mjs';
import path from 'node:path';
import fs from 'node:fs';

await run('screens', async (s) => {
  const { customers, documents } = s.fixture;
  const page = await s.newPage();
  await s.login(page, 'admin');
  await page.goto(`${s.url}/#/customer/${customers.zh}`);
  await page.locator('h1', { hasText: '上海明川贸易有限公司' }).waitFor();
  const text = await page.locator('main').textContent();
  assert.ok(text.includes(documents.contract) && text.includes(documents.form), 'both documents listed');
  // Each original with where it is now.
  const originals = await page.locator('table.originals tbody tr').allTextContents();
  assert.ok(originals.some((r) => r.includes(s.fixture.originals.contract) && r.includes('A-03-1-001')), originals.join('\n'));
  assert.ok(originals.some((r) => r.includes(s.fixture.originals.form) && r.includes('A-03-1-002')), originals.join('\n'));
  await s.shot(page, 'customer');

  await page.goto(`${s.url}/#/doc/${documents.form}`);
  await page.locator('[data-testid=doc-title]').waitFor();
  const pdf = await page.locator('[data-testid=pdf-link]').getAttribute('href');
  const res = await page.request.get(s.url + pdf);
  assert.equal(res.status(), 200);
  assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');

  await page.locator('[data-testid=lang]').click();
  await page.locator('.main-nav a', { hasText: 'Search' }).waitFor();
  await page.locator('[data-testid=doc-title]').waitFor();
  await s.shot(page, 'document-en');
  await page.goto(`${s.url}/#/records`);
  await page.locator('h1', { hasText: 'Records management' }).waitFor();
  await s.shot(page, 'records-en');
  await page.locator('[data-testid=lang]').click();

  // Upload as the scanner.
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
