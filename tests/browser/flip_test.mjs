// Opening 100 documents in a row, flipping their pages, must not pile up
// DOM nodes or memory. Printed: DOM nodes and JS heap (after a forced GC)
// after the first round and after the last. Checked: the document screen
// has as many nodes after the 100th opening as after the first of the same
// document (old screens are dropped, not hidden).
import { run, assert } from './lib.mjs';

await run('flip', async (s) => {
  const docs = Object.values(s.fixture.documents);
  const page = await s.newPage();
  await s.login(page, 'clerk1');
  const open = async (doc) => {
    // An in-app navigation (the page is not reloaded), as a user clicking
    // from document to document does.
    await page.evaluate((d) => {
      document.querySelector('[data-testid=doc-title]')?.removeAttribute('data-testid');
      location.hash = `#/doc/${d}?q=${encodeURIComponent('合同')}`;
    }, doc);
    await page.locator('[data-testid=doc-title]').waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid=page-image]');
      return img && img.complete && img.naturalWidth > 0 &&
             document.querySelector('[data-testid=overlay]').dataset.state !== 'loading';
    });
    // Flip through every page and back.
    while (await page.locator('[data-testid=next]').isEnabled()) {
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-testid=page-image]');
        return img.complete && img.naturalWidth > 0;
      });
    }
  };
  const measure = async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.detach();
    return page.evaluate(() => ({
      nodes: document.getElementsByTagName('*').length,
      heap: performance.memory ? performance.memory.usedJSHeapSize : null,
    }));
  };

  await page.evaluate(() => { window.dossierSamePage = true; });
  const first = {};
  for (const doc of docs) {
    await open(doc);
    first[doc] = await measure();
  }
  const before = await measure();
  for (let i = 0; i < 100; ++i) await open(docs[i % docs.length]);
  const last = docs[99 % docs.length];
  await open(last);
  const after = await measure();
  console.log(`measured: 100 documents opened; DOM nodes ${first[last].nodes} after the first opening of ${last}, ` +
              `${after.nodes} after the 101st opening; JS heap ${(before.heap / 1048576).toFixed(2)} MiB before, ` +
              `${(after.heap / 1048576).toFixed(2)} MiB after`);
  assert.equal(await page.evaluate(() => window.dossierSamePage), true, 'the page was never reloaded');
  assert.equal(after.nodes, first[last].nodes, 'the same screen has the same DOM size');
  await s.shot(page, 'document-flipped');
});
