// A clerk is refused on the destruction screen, and again by the API called
// directly with the clerk's own session and CSRF token (403); the access log
// shows the refusal, and an auditor reads it in the UI.
import { run, assert, apiFromPage } from './lib.mjs';

await run('refusal', async (s) => {
  const batch = s.fixture.batch;
  const clerk = await s.newPage();
  await s.login(clerk, 'clerk1');
  assert.equal(await clerk.locator('.main-nav a[data-nav=records]').count(), 0);
  await clerk.goto(s.url + '/#/records');
  await clerk.locator('[data-testid=refused]').waitFor();
  assert.equal(await clerk.locator('.approve-destruction').count(), 0);
  await s.shot(clerk, 'records-refused');

  const direct = await apiFromPage(clerk, 'POST', `/destruction/${batch}/approve`, {});
  console.log(`clerk's direct approval: ${direct.status} ${JSON.stringify(direct.body)}`);
  assert.equal(direct.status, 403);
  assert.equal(direct.body.error.code, 'permission_denied');
  const list = await apiFromPage(clerk, 'GET', '/destruction');
  assert.equal(list.status, 403, 'the clerk cannot list the batches either');

  // Nothing was destroyed; the refusal is in the log.
  const shown = JSON.parse(s.dossier('admin', ['destroy', 'show', batch, '--json']));
  assert.equal(shown.status, 'proposed');
  const log = s.dossier('aud1', ['log', 'show', '--user', 'clerk1', '--json'])
    .trim().split('\n').map((l) => JSON.parse(l));
  const refusal = log.find((e) => e.operation === 'destroy.approve' && e.outcome === 'denied');
  assert.ok(refusal, 'access log has the refused destroy.approve: ' +
            JSON.stringify(log.map((e) => [e.operation, e.outcome])));
  assert.ok(JSON.stringify(refusal.records).includes(batch) || JSON.stringify(refusal.args).includes(batch),
            'the entry names the batch');

  const auditor = await s.newPage();
  await s.login(auditor, 'aud1');
  await auditor.goto(s.url + '/#/log');
  const row = auditor.locator('table.log tr', { hasText: 'destroy.approve' }).filter({ hasText: 'clerk1' });
  await row.first().waitFor();
  assert.match(await row.first().textContent(), /denied/);
  await s.shot(auditor, 'access-log');

  // A records manager other than the proposer sees the approve button.
  const rm = await s.newPage();
  await s.login(rm, 'rm2');
  await rm.goto(s.url + '/#/records');
  await rm.locator(`[data-batch=${batch}] .approve-destruction`).waitFor();
  await s.shot(rm, 'records');
});
