// The document screen's PDF link downloads the archived PDF for a clerk
// (document.export), the download is in the access log, and a reviewer, who
// lacks document.export, is shown no link and is refused by the server.
import { run, assert, apiFromPage } from './lib.mjs';

await run('download', async (s) => {
  const doc = s.fixture.documents.form;
  const clerk = await s.newPage();
  await s.login(clerk, 'clerk1');
  await clerk.goto(`${s.url}/#/doc/${doc}`);
  await clerk.locator('[data-testid=doc-title]').waitFor();
  const [download] = await Promise.all([
    clerk.waitForEvent('download'),
    clerk.locator('[data-testid=pdf-link]').click(),
  ]);
  const file = await download.path();
  const fs = await import('node:fs');
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  console.log(`downloaded ${download.suggestedFilename()}: ${bytes.length} bytes`);
  const log = s.dossier('aud1', ['log', 'show', '--user', 'clerk1', '--json'])
    .trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(log.some((e) => e.operation === 'document.export' && e.outcome === 'ok' &&
                            JSON.stringify(e.records).includes(doc)), 'the download is logged');

  const reviewer = await s.newPage();
  await s.login(reviewer, 'rev1');
  await reviewer.goto(`${s.url}/#/doc/${doc}`);
  await reviewer.locator('[data-testid=doc-title]').waitFor();
  assert.equal(await reviewer.locator('[data-testid=pdf-link]').count(), 0);
  const refused = await apiFromPage(reviewer, 'GET', `/documents/${doc}/pdf`);
  assert.equal(refused.status, 403);
});
