// The originals screen: the location tree with counts and `where` for a
// clerk, who sees no move or label action and whose direct move call the
// server refuses; an archivist moves two originals by typed scans (items,
// then the destination box's barcode, as a USB scanner types them) and
// prints a label sheet. The catalog agrees with what the screen shows.
import { run, assert, apiFromPage } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

await run('originals', async (s) => {
  const { originals } = s.fixture;
  const count = (page, code) => page.locator(`[data-testid="count-${code}"]`).textContent();

  // A clerk: location.read only.
  const clerk = await s.newPage();
  await s.login(clerk, 'clerk1');
  await clerk.locator('[data-nav=originals]').click();
  await clerk.locator('[data-testid=location-tree] [data-code=A-03]').waitFor();
  assert.equal(await count(clerk, 'A'), '3');
  assert.equal(await count(clerk, 'A-03'), '2');
  assert.equal(await count(clerk, 'A-03-1-001'), '1');
  assert.equal(await count(clerk, 'B-01'), '1');
  assert.equal(await clerk.locator('[data-testid=move-scan]').count(), 0, 'no move action for a clerk');
  assert.equal(await clerk.locator('[data-testid=label-what]').count(), 0, 'no labels for a clerk');
  await clerk.locator('[data-testid=where-input]').fill(originals.contract);
  await clerk.locator('[data-testid=where-input]').press('Enter');
  const found = clerk.locator(`[data-testid=where-result] [data-barcode=${originals.contract}]`);
  await found.waitFor();
  assert.equal(await clerk.locator('[data-testid=where-result] [data-location]').first().getAttribute('data-location'),
               'A-03-1-001');
  // Selecting a box lists what it holds.
  await clerk.locator('[data-code=A-03-1-002] > button').click();
  await clerk.locator(`[data-testid=location-detail] [data-barcode=${originals.form}]`).waitFor();
  await s.shot(clerk, 'originals-clerk');
  const refused = await apiFromPage(clerk, 'POST', '/originals/move',
                                    { barcodes: [originals.contract], to: 'B-01-1-001' });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'permission_denied');
  const stays = JSON.parse(s.dossier('admin', ['where', originals.contract, '--json']));
  assert.equal(stays[0].location, 'A-03-1-001', 'the refused move changed nothing');

  // An archivist moves by scanning: two originals, then the box.
  const arch = await s.newPage({ acceptDownloads: true });
  await s.login(arch, 'arch1');
  await arch.goto(s.url + '/#/originals');
  const input = arch.locator('[data-testid=move-scan]');
  await input.waitFor();
  const locs = await apiFromPage(arch, 'GET', '/locations');
  const box = locs.body.locations.find((l) => l.code === 'A-03-1-002');
  const scan = async (code) => {
    await input.focus();
    await arch.keyboard.type(code);
    await arch.keyboard.press('Enter');
  };
  await scan(originals.contract.toLowerCase());
  await scan(originals.agreement);
  await arch.locator('[data-testid=move-items][data-count="2"]').waitFor();
  await s.shot(arch, 'originals-scanning');
  // Without a reason nothing moves and the scanned items wait.
  await scan(box.barcode);
  await arch.locator('[data-testid=move-needs-reason]').waitFor();
  assert.equal(await arch.locator('[data-testid=move-items][data-count="2"]').count(), 1);
  await arch.locator('[data-testid=move-reason]').fill('整理 A-03 柜');
  await scan(box.barcode);
  await arch.locator('[data-testid=moved][data-moved="2"]').waitFor();
  await arch.waitForFunction(() => document.querySelector('[data-testid="count-A-03-1-002"]')?.textContent === '3');
  assert.equal(await count(arch, 'A-03'), '3');
  assert.equal(await count(arch, 'B-01'), '0');
  assert.equal(await count(arch, 'A-03-1-001'), '0');
  assert.equal(await arch.locator('[data-testid=move-items][data-count="0"]').count(), 1);
  for (const b of [originals.contract, originals.agreement]) {
    const w = JSON.parse(s.dossier('admin', ['where', b, '--json']));
    assert.equal(w[0].location, 'A-03-1-002', `${b} is in the box in the catalog`);
  }

  // A label sheet for the originals in A-03: a PDF with their barcodes.
  await arch.locator('[data-testid=label-at]').selectOption('A-03');
  const [download] = await Promise.all([
    arch.waitForEvent('download'),
    arch.locator('[data-testid=label-what]').locator('xpath=ancestor::section').locator('button.primary').click(),
  ]);
  const file = path.join(s.dir, 'labels.pdf');
  await download.saveAs(file);
  const pdf = fs.readFileSync(file);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  for (const b of [originals.contract, originals.form, originals.agreement]) {
    assert.ok(text.includes(b), `the label sheet has ${b}:\n${text}`);
  }
  await arch.locator('[data-testid=label-download]').waitFor();
  await s.shot(arch, 'originals');
  const log = s.dossier('aud1', ['log', 'show', '--user', 'clerk1', '--json'])
    .trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(log.some((e) => e.operation === 'original.move' && e.outcome === 'denied'),
            'the refused move is in the access log');
});
