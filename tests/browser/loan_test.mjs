// A loan's request -> approval -> checkout -> return, each step by the user
// whose role allows it, the original's barcode typed as a scanner would.
import { run, assert } from './lib.mjs';

await run('loan', async (s) => {
  const barcode = s.fixture.originals.agreement;
  const clerk = await s.newPage();
  await s.login(clerk, 'clerk1');
  await clerk.goto(s.url + '/#/loans');
  await clerk.locator('[data-testid=loan-item]').fill(barcode);
  await clerk.locator('[data-testid=loan-purpose]').fill('合同核对');
  await clerk.locator('[data-testid=loan-request] button[type=submit]').click();
  await clerk.locator('#flash .flash.ok').waitFor();
  const loan = /L\d{6}/.exec(await clerk.locator('#flash').textContent())[0];
  await clerk.locator(`[data-testid=loan-status-${loan}]`).waitFor();
  assert.equal(await clerk.locator(`[data-testid=loan-status-${loan}]`).textContent(), '待审批');
  // The requester is offered no approval of their own loan.
  assert.equal(await clerk.locator(`[data-loan=${loan}] button.approve`).count(), 0);
  await s.shot(clerk, 'loans-requested');

  const manager = await s.newPage();
  await s.login(manager, 'rm1');
  await manager.goto(s.url + '/#/loans?state=requested');
  await manager.locator(`[data-loan=${loan}] button.approve`).click();
  await manager.locator('#flash .flash.ok', { hasText: loan }).waitFor();
  // Approved, it no longer waits for approval; it is open.
  assert.equal(await manager.locator(`[data-testid=loan-status-${loan}]`).count(), 0);
  await manager.goto(s.url + '/#/loans?state=open');
  await manager.locator(`[data-testid=loan-status-${loan}]`, { hasText: '已批准' }).waitFor();
  await s.shot(manager, 'loans-approved');

  const archivist = await s.newPage();
  await s.login(archivist, 'arch1');
  await archivist.goto(s.url + '/#/loans');
  const out = archivist.locator(`[data-loan=${loan}] [data-testid=checkout-barcode]`);
  await out.focus();
  await archivist.keyboard.type(barcode);
  await archivist.keyboard.press('Enter');
  await archivist.locator(`[data-testid=loan-status-${loan}]`, { hasText: '已借出' }).waitFor();
  const original = JSON.parse(s.dossier('admin', ['original', 'show', barcode, '--json']));
  assert.equal(original.state, 'on-loan');
  await s.shot(archivist, 'loans-checked-out');

  const row = archivist.locator(`[data-loan=${loan}]`);
  await row.locator('[data-testid=return-barcode]').fill(barcode);
  await row.locator('[data-testid=return-pages]').fill('1');
  await row.locator('[data-testid=return-condition]').fill('完好');
  await row.locator('button.return').click();
  await archivist.locator('#flash .flash.ok', { hasText: '已归还' }).waitFor();
  await archivist.goto(s.url + '/#/loans?state=all');
  await archivist.locator(`[data-testid=loan-status-${loan}]`, { hasText: '已归还' }).waitFor();
  await s.shot(archivist, 'loans');

  const loans = JSON.parse(s.dossier('admin', ['loan', 'list', '--json']));
  const l = loans.find((x) => x.loan === loan);
  assert.equal(l.status, 'returned');
  assert.equal(l.requested_by, 'clerk1');
  assert.deepEqual(l.approvals.map((a) => a.by), ['rm1']);
  assert.equal(l.return_pages, 1);
  const back = JSON.parse(s.dossier('admin', ['original', 'show', barcode, '--json']));
  assert.equal(back.state, 'in-place');
});
