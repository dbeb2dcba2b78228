// Review and approval as two different users: the scanner (who also holds
// the reviewer role) cannot approve its own scan, a second reviewer corrects
// a field and approves it, and the document is filed with an archive number.
import { run, assert } from './lib.mjs';

await run('review', async (s) => {
  const doc = s.fixture.documents.contract;
  const scanner = await s.newPage();
  await s.login(scanner, 'scan1');
  await scanner.goto(s.url + '/#/review');
  await scanner.locator(`[data-testid=review-${doc}]`).click();
  await scanner.locator('[data-testid=own-scan]').waitFor();
  await scanner.locator('.decisions button.approve').click();
  await scanner.locator('#flash .flash.error').waitFor();
  const refusal = await scanner.locator('#flash').textContent();
  console.log(`the scanner's own approval: ${refusal}`);
  await s.shot(scanner, 'review-own-scan-refused');
  const still = JSON.parse(s.dossier('admin', ['show', doc, '--json']));
  assert.equal(still.status, 'pending', 'the scanner could not approve its own scan');

  const reviewer = await s.newPage();
  await s.login(reviewer, 'rev1');
  await reviewer.goto(s.url + '/#/review');
  await reviewer.locator(`[data-testid=review-${doc}]`).click();
  await reviewer.locator('.decisions button.approve').waitFor();
  assert.equal(await reviewer.locator('[data-testid=own-scan]').count(), 0);
  // The page is shown beside the fields.
  await reviewer.waitForFunction(() => {
    const img = document.querySelector('[data-testid=page-image]');
    return img && img.complete && img.naturalWidth > 0;
  });
  await s.shot(reviewer, 'review');

  // Correct one field, then approve.
  const input = reviewer.locator('table.fields input[data-field=contract_number]');
  await input.waitFor();
  await input.fill('HT-2026-0153A');
  await reviewer.locator('table.fields tr:has(input[data-field=contract_number]) button.save-field').click();
  await reviewer.locator('#flash .flash.ok', { hasText: 'contract_number' }).waitFor();
  await reviewer.locator('table.fields input[data-field=contract_number]').waitFor();
  assert.equal(await reviewer.locator('table.fields input[data-field=contract_number]').inputValue(), 'HT-2026-0153A');

  await reviewer.locator('.decisions button.approve').click();
  await reviewer.locator('#flash .flash.ok', { hasText: '已归档' }).waitFor();
  const ok = await reviewer.locator('#flash').textContent();
  assert.match(ok, /DA-\d{4}-HT-\d{6}-./, `approval message names the archive number: ${ok}`);
  const filed = JSON.parse(s.dossier('admin', ['show', doc, '--json']));
  assert.equal(filed.status, 'filed');
  assert.equal(filed.reviewed_by, 'rev1');
  assert.equal(filed.created_by, 'scan1');
  const field = filed.fields.find((f) => f.name === 'contract_number');
  assert.equal(field.value, 'HT-2026-0153A');
  assert.equal(field.by, 'rev1');
  // The queue is empty now.
  await reviewer.goto(s.url + '/#/review');
  await reviewer.locator('p.empty').waitFor();
});
