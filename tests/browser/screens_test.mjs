// Every main screen as the user who works there, in Chinese and in English,
// saved as screenshots; the customer file lists its documents and where
// each original is now.
import { run, assert } from './lib.mjs';

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

  await page.locator('[data-testid=lang]').click();
  await page.locator('.main-nav a', { hasText: 'Search' }).waitFor();
  await page.locator('[data-testid=doc-title]').waitFor();
  await s.shot(page, 'document-en');
  await page.goto(`${s.url}/#/records`);
  await page.locator('h1', { hasText: 'Records management' }).waitFor();
  await s.shot(page, 'records-en');
  await page.locator('[data-testid=lang]').click();
});
