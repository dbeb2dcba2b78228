// A clerk searches a 2-character Chinese term; the result opens the page
// with the hit drawn over the OCR word box of that term. Checked twice: the
// drawn box is the API's word box scaled to the displayed image, and the
// page pixels under the largest drawn box read as the term (Tesseract on a
// screenshot of that part of the page).
import { run, assert } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const term = '合同';

await run('search_highlight', async (s) => {
  const doc = s.fixture.documents.contract;
  const page = await s.newPage({ deviceScaleFactor: 2 });
  await s.login(page, 'clerk1');
  await page.goto(s.url + '/#/search');
  await page.locator('[data-testid=search-box]').fill(term);
  await page.locator('[data-testid=search-box]').press('Enter');
  const row = page.locator(`.hit-row[data-document=${doc}]`).first();
  await row.waitFor();
  assert.equal(await row.locator('.snippet mark').first().textContent(), term);
  assert.match(await row.textContent(), /上海明川贸易有限公司|KH-/);
  // The thumbnail loaded (a real image, not a broken one).
  await page.waitForFunction((d) => {
    const img = document.querySelector(`.hit-row[data-document=${d}] .thumb img`);
    return img && img.complete && img.naturalWidth > 0;
  }, doc);
  const thumbWidth = await row.locator('.thumb img').evaluate((img) => img.naturalWidth);
  assert.ok(thumbWidth > 0 && thumbWidth <= 200, `thumbnail width ${thumbWidth}`);
  await s.shot(page, 'search');

  await row.locator('a.hit-title').click();
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid=page-image]');
    const overlay = document.querySelector('[data-testid=overlay]');
    return img && img.complete && img.naturalWidth > 0 && overlay && overlay.dataset.state === 'ready';
  });
  const shown = await page.evaluate(async ({ doc, term }) => {
    const img = document.querySelector('[data-testid=page-image]');
    const n = img.dataset.page;
    const r = img.getBoundingClientRect();
    const api = await (await fetch(`/api/documents/${doc}/pages/${n}/hits?q=${encodeURIComponent(term)}`)).json();
    const drawn = [...document.querySelectorAll('[data-testid=overlay] .hit')].map((el) => {
      const b = el.getBoundingClientRect();
      return { x: b.left - r.left, y: b.top - r.top, w: b.width, h: b.height };
    });
    return { page: Number(n), img: { w: r.width, h: r.height }, api, drawn };
  }, { doc, term });
  assert.ok(shown.api.boxes.length >= 1, 'the API has a word box for the term');
  assert.equal(shown.drawn.length, shown.api.boxes.length, 'one drawn box per word box');
  const scale = shown.img.w / shown.api.width;
  assert.ok(Math.abs(shown.img.h - shown.api.height * scale) < 2, 'image keeps the page aspect');
  for (let i = 0; i < shown.api.boxes.length; ++i) {
    const a = shown.api.boxes[i];
    const d = shown.drawn[i];
    for (const [k, want] of [['x', a.x * scale], ['y', a.y * scale], ['w', a.w * scale], ['h', a.h * scale]]) {
      assert.ok(Math.abs(d[k] - want) <= 1.5, `box ${i} ${k}: drawn ${d[k]}, word box × ${scale.toFixed(4)} = ${want}`);
    }
  }
  console.log(`page ${shown.page}: ${shown.api.boxes.length} hit box(es), page ${shown.api.width}x${shown.api.height}, ` +
              `shown ${shown.img.w.toFixed(0)}x${shown.img.h.toFixed(0)} (scale ${scale.toFixed(4)})`);
  await s.shot(page, 'document');

  // What lies under the largest box must read as the term.
  const largest = shown.drawn.reduce((a, b) => (a.w * a.h >= b.w * b.h ? a : b));
  const frame = await page.locator('[data-testid=page-image]').boundingBox();
  await page.locator('[data-testid=overlay]').evaluate((el) => { el.style.visibility = 'hidden'; });
  const pad = 3;
  const crop = path.join(s.artifacts, 'search-hit-crop.png');
  await page.screenshot({
    path: crop,
    clip: { x: frame.x + largest.x - pad, y: frame.y + largest.y - pad,
            width: largest.w + 2 * pad, height: largest.h + 2 * pad },
  });
  await page.locator('[data-testid=overlay]').evaluate((el) => { el.style.visibility = ''; });
  const read = execFileSync('tesseract', [crop, '-', '-l', 'chi_sim', '--psm', '7'],
                            { encoding: 'utf8', env: { ...process.env, OMP_THREAD_LIMIT: '1' } })
    .replace(/\s+/g, '');
  console.log(`under the largest hit box (${largest.w.toFixed(0)}x${largest.h.toFixed(0)} px) Tesseract reads "${read}"`);
  assert.ok(read.includes(term), `the box lies over "${read}", not over ${term}`);
});
