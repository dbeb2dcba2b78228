// Builds the archive every browser test starts from: `dossier init` with an
// admin, users with the roles of docs/access.md, two customers, the bundled
// sample pages ingested (OCR'd) by a scanner, locations and originals, two
// documents filed, a retention rule and a destruction proposal. Writes
// fixture.json beside the archive with what the tests need to know.
//
//   node make_archive.mjs OUTDIR
// Environment: DOSSIER_BIN, DOSSIER_SAMPLES (the sample pages folder).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const out = path.resolve(process.argv[2] ?? '');
if (!process.argv[2]) throw new Error('usage: node make_archive.mjs OUTDIR');
const bin = process.env.DOSSIER_BIN;
const samples = process.env.DOSSIER_SAMPLES;
if (!bin || !samples) throw new Error('DOSSIER_BIN and DOSSIER_SAMPLES must be set');

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'home'), { recursive: true, mode: 0o700 });
const archive = path.join(out, 'archive');

const adminPassword = 'admin-password-1';
const password = 'browser-pass-1';
const users = {
  admin: ['admin'],
  scan1: ['scanner', 'reviewer'],  // scans, and reviews others' scans
  rev1: ['reviewer'],
  clerk1: ['clerk'],
  rm1: ['records-manager'],
  rm2: ['records-manager'],
  arch1: ['archivist'],
  aud1: ['auditor'],
};

function dossier(user, args, input) {
  const env = {
    ...process.env,
    HOME: path.join(out, 'home'),
    DOSSIER_ARCHIVE: archive,
    DOSSIER_USER: user,
    DOSSIER_PASSWORD: user === 'admin' ? adminPassword : password,
    OMP_THREAD_LIMIT: '1',
  };
  delete env.DOSSIER_SESSION;
  try {
    return execFileSync(bin, args, { env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    // ingest exits 10 when it finished with warnings: the document is stored.
    if (e.status === 10 && args[0] === 'ingest') return e.stdout;
    throw new Error(`dossier ${args.join(' ')} (as ${user}) failed: exit ${e.status}\n${e.stdout}\n${e.stderr}`);
  }
}
const first = (text) => text.trim().split('\n')[0].split('\t')[0];
const docOf = (text) => {
  const m = /-> (D\d{6})/.exec(text);
  if (!m) throw new Error('no document id in ingest output:\n' + text);
  return m[1];
};

execFileSync(bin, ['init', archive, '--admin', 'admin', '--password-stdin'],
             { input: adminPassword + '\n', env: { ...process.env, HOME: path.join(out, 'home') } });
for (const [name, roles] of Object.entries(users)) {
  if (name === 'admin') continue;
  dossier('admin', ['user', 'add', name, ...roles.flatMap((r) => ['--role', r]), '--password-stdin'],
          password + '\n');
}
dossier('admin', ['settings', 'timezone', 'Asia/Shanghai']);

const zh = first(dossier('admin', ['customer', 'add', '--name', '上海明川贸易有限公司', '--kind', 'company']));
const en = first(dossier('admin', ['customer', 'add', '--name', 'Northwind Trading Ltd', '--kind', 'company']));

const page = (name) => path.join(samples, name);
const contract = docOf(dossier('scan1', ['ingest', page('zh-contract-1.png'), page('zh-contract-2.png'),
  '--one-document', '--customer', zh, '--type', 'contract', '--title', '服务合同 HT-2026-0153']));
const form = docOf(dossier('scan1', ['ingest', page('zh-registration.png'), '--customer', zh,
  '--type', 'form', '--title', '客户登记表']));
const agreement = docOf(dossier('scan1', ['ingest', page('en-agreement.png'), '--customer', en,
  '--type', 'contract', '--title', 'Service Agreement']));

dossier('arch1', ['location', 'add', 'A', '--kind', 'room', '--name', '档案室']);
dossier('arch1', ['location', 'add-cabinet', 'A-03', '--in', 'A', '--shelves', '1', '--boxes', '2']);
dossier('arch1', ['location', 'add-cabinet', 'B-01', '--in', 'A', '--shelves', '1', '--boxes', '1']);
const originals = {
  contract: first(dossier('arch1', ['original', 'register', contract, '--at', 'A-03-1-001'])),
  form: first(dossier('arch1', ['original', 'register', form, '--at', 'A-03-1-002'])),
  agreement: first(dossier('arch1', ['original', 'register', agreement, '--at', 'B-01-1-001'])),
};

// The form and the agreement are filed; the contract waits for review.
dossier('rev1', ['review', 'approve', form]);
dossier('rev1', ['review', 'approve', agreement]);
// Forms are kept 0 years from filing: the form is due, and proposed.
dossier('rm1', ['retention', 'rule', 'set', 'form', '--from', 'filing', '--years', '0']);
const proposal = dossier('rm1', ['destroy', 'propose', form, '--reason', '到期销毁 2026']);
const batch = /(DB\d{6})/.exec(proposal)?.[1];
if (!batch) throw new Error('no batch in: ' + proposal);

const fixture = {
  archive: 'archive', home: 'home', adminPassword, password, users,
  customers: { zh, en },
  documents: { contract, form, agreement },
  originals, batch,
  cabinet: 'A-03', otherCabinet: 'B-01',
};
fs.writeFileSync(path.join(out, 'fixture.json'), JSON.stringify(fixture, null, 2));
console.log(`browser fixture: ${out}`);
console.log(JSON.stringify(fixture));
