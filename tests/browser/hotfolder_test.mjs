// The hot folder's status on the upload screen: a real `dossier watch
// --once` fails a file that is no scan (and writes why), then a scan
// arrives and waits; the scanner's upload screen lists the waiting file
// and the failed one with the watch's reason. A clerk (no
// document.ingest) is refused the status by the API.
import { run, assert, apiFromPage } from './lib.mjs';
import fs from 'node:fs';
import path from 'node:path';

let hot = '';
let customer = '';

await run('hotfolder', async (s) => {
  const scanner = await s.newPage();
  await s.login(scanner, 'scan1');
  await scanner.goto(`${s.url}/#/upload`);
  const counts = scanner.locator('[data-testid=hot-counts]');
  await counts.waitFor();
  assert.equal(await counts.getAttribute('data-waiting'), '1');
  assert.equal(await counts.getAttribute('data-failed'), '1');
  const waiting = scanner.locator(`[data-hot-waiting="${customer}/waiting.png"]`);
  await waiting.waitFor();
  const failedPath = `failed/${customer}/notes.txt`;
  const failed = scanner.locator(`[data-hot-failed="${failedPath}"]`);
  await failed.waitFor();
  // The reason shown is the one the watch wrote beside the failed file.
  const written = fs.readFileSync(path.join(hot, failedPath + '.reason.txt'), 'utf8').split('\n')[1];
  assert.ok(written.length > 0);
  const shown = await failed.locator('xpath=ancestor::tr').locator('td').nth(1).textContent();
  assert.equal(shown, written);
  await s.shot(scanner, 'upload-hotfolder');

  const clerk = await s.newPage();
  await s.login(clerk, 'clerk1');
  const refused = await apiFromPage(clerk, 'GET', '/hotfolder');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'permission_denied');
}, (s) => {
  customer = s.fixture.customers.zh;
  hot = path.join(s.dir, 'hot');
  fs.mkdirSync(path.join(hot, customer), { recursive: true });
  fs.writeFileSync(path.join(hot, customer, 'notes.txt'), 'this is not a scan\n');
  try {
    s.dossier('scan1', ['watch', hot, '--once', '--settle', '0', '--poll', '0.1']);
  } catch (e) {
    // A watch that failed a file says so by its exit code.
    console.log(`dossier watch: exit ${e.status}: ${e.stderr}`);
  }
  assert.ok(fs.existsSync(path.join(hot, 'failed', customer, 'notes.txt')), 'the watch failed the text file');
  fs.copyFileSync(path.join(process.env.DOSSIER_SAMPLES, 'en-agreement.png'), path.join(hot, customer, 'waiting.png'));
  s.serverArgs.push('--hot-folder', hot);
});
