// Refile from the review queue: a reviewer moves a pending document to
// another customer file and type. Without a reason nothing changes; with
// one the catalog has the new customer and type and the history keeps the
// reason. A clerk's direct refile call is refused.
import { run, assert, apiFromPage } from './lib.mjs';

await run('refile', async (s) => {
  const { documents, customers } = s.fixture;
  const doc = documents.contract;
  const show = () => JSON.parse(s.dossier('admin', ['show', doc, '--json']));
  const before = show();
  const reviewer = await s.newPage();
  await s.login(reviewer, 'rev1');
  await reviewer.goto(`${s.url}/#/review/${doc}`);
  await reviewer.locator('[data-testid=refile-customer]').fill(customers.en);
  await reviewer.locator('[data-testid=refile-type]').selectOption('correspondence');
  await reviewer.locator('button.refile-submit').click();
  await reviewer.locator('#flash .flash.error').waitFor();
  const unchanged = show();
  assert.equal(unchanged.customer, before.customer);
  assert.equal(unchanged.type, 'contract');

  await reviewer.locator('[data-testid=refile-reason]').fill('扫描时归错客户');
  await reviewer.locator('button.refile-submit').click();
  await reviewer.locator('#flash .flash.ok').waitFor();
  // The screen is drawn again with the new values.
  await reviewer.waitForFunction((c) => document.querySelector('[data-testid=refile-customer]')?.value === c,
                                 customers.en);
  assert.equal(await reviewer.locator('[data-testid=refile-type]').inputValue(), 'correspondence');
  await s.shot(reviewer, 'review-refile');
  const after = show();
  const rec = after;
  assert.equal(rec.customer, customers.en);
  assert.equal(rec.type, 'correspondence');
  const history = s.dossier('admin', ['history', doc, '--json']);
  assert.ok(history.includes('扫描时归错客户'), 'the reason is in the history: ' + history.slice(0, 500));

  const clerk = await s.newPage();
  await s.login(clerk, 'clerk1');
  const refused = await apiFromPage(clerk, 'POST', `/documents/${doc}/refile`,
                                    { customer: customers.zh, reason: 'x' });
  assert.equal(refused.status, 403);
  assert.equal(show().customer, customers.en);
});
