// A cabinet audit on a tablet with typed barcode scans (a USB scanner types
// the code and Enter): the found, missing and misplaced lines are the
// server's reconciliation of the scans it has, filling in as codes and
// boxes are scanned; scans made while the connection is down wait in
// localStorage and are sent when it is back; a reload keeps the audit's
// state; closing reconciles, lists the missing original, and the report
// downloads as a PDF.
import { run, assert, apiFromPage } from './lib.mjs';

await run('audit', async (s) => {
  const { originals, cabinet } = s.fixture;
  const page = await s.newPage({ viewport: { width: 1024, height: 768 }, hasTouch: true });
  await s.login(page, 'arch1');
  await page.goto(s.url + '/#/audit');
  await page.locator('[data-testid=audit-location]').selectOption(cabinet);
  await page.locator('button.big').click();
  await page.waitForURL(/#\/audit\/AU\d+/);
  const audit = /#\/audit\/(AU\d+)/.exec(page.url())[1];
  const input = page.locator('[data-testid=scan-input]');
  await input.waitFor();
  const tally = (c) => page.locator(`[data-testid=tally-${c}] .count`);
  const line = (category, barcode) => page.locator(`[data-category=${category}][data-barcode=${barcode}]`);
  // Nothing scanned yet: both originals of A-03 are missing, as it stands.
  await line('missing', originals.form).waitFor();
  assert.equal(await tally('missing').textContent(), '2');
  assert.equal(await tally('found').textContent(), '0');
  await s.shot(page, 'audit-start');

  const scan = async (code) => {
    await input.focus();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  await scan(originals.contract.toLowerCase());  // scanners may send lower case
  await line('found', originals.contract).waitFor();
  assert.equal(await tally('found').textContent(), '1');
  assert.equal(await tally('missing').textContent(), '1');
  assert.equal(await line('missing', originals.contract).count(), 0);

  // The connection drops: a box and an item scanned there wait on the tablet.
  const locs = await apiFromPage(page, 'GET', '/locations');
  const box = locs.body.locations.find((l) => l.code === 'A-03-1-002');
  await page.context().setOffline(true);
  await scan(box.barcode);
  await scan(originals.agreement);  // registered in another cabinet
  await page.locator('[data-testid=sync-status][data-queued="2"]').waitFor();
  const kept = await page.evaluate((a) => localStorage.getItem(`dossier.audit.${a}.queue`), audit);
  assert.deepEqual(JSON.parse(kept), [box.barcode, originals.agreement]);
  await s.shot(page, 'audit-offline');
  await page.context().setOffline(false);
  await page.locator('[data-testid=sync-status][data-queued="0"]').waitFor();
  // Misplaced where the server says: found in the scanned box, to move there.
  const misplaced = line('misplaced', originals.agreement);
  await misplaced.waitFor();
  const cells = await misplaced.locator('xpath=ancestor::tr').locator('td').allTextContents();
  assert.deepEqual(cells.slice(3), ['B-01-1-001', 'A-03-1-002', 'A-03-1-002'], cells.join(' | '));
  assert.equal(await tally('misplaced').textContent(), '1');
  assert.equal(await tally('found').textContent(), '1');
  assert.equal(await tally('missing').textContent(), '1');
  await s.shot(page, 'audit');

  // A reload shows the same state, from the server.
  await page.reload();
  await line('misplaced', originals.agreement).waitFor();
  assert.equal(await tally('found').textContent(), '1');
  assert.equal(await page.locator('[data-testid=recent-scans] li').count(), 3);

  await page.locator('.audit-close button').click();
  await page.locator('[data-testid=report-link]').waitFor();
  await line('missing', originals.form).waitFor();
  assert.equal(await tally('missing').textContent(), '1');
  await s.shot(page, 'audit-closed');
  const report = await page.request.get(s.url + `/api/audits/${audit}/report.pdf`);
  assert.equal(report.status(), 200);
  const pdf = await report.body();
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

  // The catalog agrees.
  const history = s.dossier('admin', ['audit', 'history', cabinet, '--json']);
  const mine = JSON.parse(history).find((a) => a.audit === audit);
  assert.equal(mine.status, 'closed');
  assert.equal(mine.found, 1);
  assert.equal(mine.misplaced, 1);
  assert.equal(mine.missing, 1);
});
