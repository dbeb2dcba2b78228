// A cabinet audit on a tablet with typed barcode scans (a USB scanner types
// the code and Enter): found and misplaced fill in while scanning, a scan
// made while the connection is down waits in localStorage and is sent when
// it is back, then the audit is closed, the missing original is listed and
// the report downloads as a PDF.
import { run, assert } from './lib.mjs';

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
  await s.shot(page, 'audit-start');

  const scan = async (code) => {
    await input.focus();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  const tally = (c) => page.locator(`[data-testid=tally-${c}] .count`);

  await scan(originals.contract.toLowerCase());  // scanners may send lower case
  await page.locator(`[data-category=found][data-barcode=${originals.contract}]`).waitFor();
  assert.equal(await tally('found').textContent(), '1');

  // The connection drops: the scan waits on the tablet.
  await page.context().setOffline(true);
  await scan(originals.agreement);  // registered in another cabinet
  await page.locator('[data-testid=sync-status][data-queued="1"]').waitFor();
  const kept = await page.evaluate((a) => localStorage.getItem(`dossier.audit.${a}.queue`), audit);
  assert.deepEqual(JSON.parse(kept), [originals.agreement]);
  await s.shot(page, 'audit-offline');
  await page.context().setOffline(false);
  await page.locator('[data-testid=sync-status][data-queued="0"]').waitFor();
  await page.locator(`[data-category=misplaced][data-barcode=${originals.agreement}]`).waitFor();
  assert.equal(await tally('misplaced').textContent(), '1');
  assert.equal(await tally('found').textContent(), '1');
  await s.shot(page, 'audit');

  await page.locator('.audit-close button').click();
  await page.locator('[data-testid=report-link]').waitFor();
  await page.locator(`[data-category=missing][data-barcode=${originals.form}]`).waitFor();
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
