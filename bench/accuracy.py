#!/usr/bin/python3
"""Accuracy benchmark: Dossier's pipeline beside bare tesseract and OCRmyPDF.

usage: accuracy.py DOSSIER_BINARY [--corpus DIR] [--work DIR] [--skip-ocrmypdf]

Runs on every page of corpus/MANIFEST.tsv:
  dossier     one batch ingest (--jobs 1), then the text of each exported PDF
              (pdftotext) and the catalog's OCR text (export --text)
  tesseract   bare `tesseract IMG - -l chi_sim+eng`, OMP_THREAD_LIMIT=1
  ocrmypdf    `ocrmypdf --clean --deskew --rotate-pages --output-type pdfa
              -l chi_sim+eng -j 1`, then pdftotext
and scores all with shared/tools/ocr-score. Prints CER and bag-F1 per corpus
group and in total, and seconds per page (wall clock, one page at a time).
"""
import csv, os, re, shutil, subprocess, sys, time

LANGS = 'chi_sim+eng'


def run(cmd, env=None, check=True):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if check and r.returncode not in (0, 10):
        sys.stderr.write('failed (%d): %s\n%s\n' % (r.returncode, ' '.join(cmd),
                                                   r.stderr.decode(errors='replace')[-2000:]))
    return r


def score(tools, manifest, hyp_dir):
    out = run([os.path.join(tools, 'ocr-score'), '--manifest', manifest, '--hyp-dir', hyp_dir]).stdout.decode()
    rows = {}
    for line in out.splitlines()[1:]:
        cols = line.split('\t')
        rows[cols[0]] = (float(cols[2]), float(cols[3]))
    return rows


def main(argv):
    dossier = os.path.abspath(argv[0])
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = os.path.join(here, '..', '..', 'shared', 'corpus')
    if not os.path.isdir(corpus):
        corpus = '/work/shared/corpus'
    work = '/tmp/dossier-bench-accuracy'
    skip_ocrmypdf = '--skip-ocrmypdf' in argv
    if '--corpus' in argv:
        corpus = argv[argv.index('--corpus') + 1]
    if '--work' in argv:
        work = argv[argv.index('--work') + 1]
    tools = os.path.join(corpus, '..', 'tools')
    manifest = os.path.join(corpus, 'MANIFEST.tsv')
    with open(manifest, encoding='utf-8') as f:
        rows = list(csv.DictReader(f, delimiter='\t'))
    files = [os.path.join(corpus, r['file']) for r in rows]
    stems = [os.path.splitext(os.path.basename(r['file']))[0] for r in rows]
    shutil.rmtree(work, ignore_errors=True)
    dirs = {k: os.path.join(work, k) for k in ('pdf', 'catalog', 'tesseract', 'ocrmypdf')}
    for d in dirs.values():
        os.makedirs(d)
    env = dict(os.environ, OMP_THREAD_LIMIT='1')
    # Dossier runs as a user runs it: it limits its OpenMP threads itself.
    user_env = {k: v for k, v in os.environ.items() if k != 'OMP_THREAD_LIMIT'}
    seconds = {}

    # Dossier: one batch, one worker, each file its own document.
    archive = os.path.join(work, 'archive')
    run([dossier, 'init', archive])
    code = run([dossier, '--archive', archive, 'customer', 'add', '--name', 'Benchmark']).stdout.decode().split('\t')[0]
    t0 = time.monotonic()
    run([dossier, '--archive', archive, 'ingest', '--customer', code, '--jobs', '1'] + files, env=user_env)
    seconds['dossier'] = (time.monotonic() - t0) / len(files)
    listing = run([dossier, '--archive', archive, 'customer', 'show', code]).stdout.decode()
    for m in re.finditer(r'^  (D\d{6}) .* (\S+)$', listing, re.M):
        doc, stem = m.group(1), m.group(2)
        pdf = os.path.join(work, doc + '.pdf')
        run([dossier, '--archive', archive, 'export', doc, '--to', pdf])
        run(['pdftotext', '-enc', 'UTF-8', pdf, os.path.join(dirs['pdf'], stem + '.txt')])
        run([dossier, '--archive', archive, 'export', doc, '--text', '--to', os.path.join(dirs['catalog'], stem + '.txt')])

    # Bare tesseract, one page at a time.
    t0 = time.monotonic()
    for f, stem in zip(files, stems):
        run(['tesseract', f, os.path.join(dirs['tesseract'], stem), '-l', LANGS], env=env)
    seconds['tesseract'] = (time.monotonic() - t0) / len(files)

    if not skip_ocrmypdf:
        t0 = time.monotonic()
        for f, stem in zip(files, stems):
            pdf = os.path.join(work, 'ocrmypdf-' + stem + '.pdf')
            r = run(['ocrmypdf', '--clean', '--deskew', '--rotate-pages', '--output-type', 'pdfa',
                     '-l', LANGS, '-j', '1', '--image-dpi', '300', '-q', f, pdf], env=env, check=False)
            if r.returncode == 0:
                run(['pdftotext', '-enc', 'UTF-8', pdf, os.path.join(dirs['ocrmypdf'], stem + '.txt')])
            else:
                sys.stderr.write('ocrmypdf failed on %s (exit %d)\n' % (stem, r.returncode))
        seconds['ocrmypdf'] = (time.monotonic() - t0) / len(files)

    peers = [('dossier (PDF text)', 'pdf', 'dossier'), ('dossier (catalog)', 'catalog', 'dossier'),
             ('bare tesseract', 'tesseract', 'tesseract')]
    if not skip_ocrmypdf:
        peers.append(('OCRmyPDF', 'ocrmypdf', 'ocrmypdf'))
    scores = {name: score(tools, manifest, dirs[d]) for name, d, _ in peers}
    groups = sorted(k for k in scores[peers[0][0]] if k.startswith('GROUP:')) + ['TOTAL']
    header = '| peer | ' + ' | '.join(g.replace('GROUP:', '') + ' CER / F1' for g in groups) + ' | s/page |'
    print(header)
    print('|' + '---|' * (len(groups) + 2))
    for name, _, timing in peers:
        cells = ['%.3f / %.3f' % scores[name][g] for g in groups]
        print('| %s | %s | %.2f |' % (name, ' | '.join(cells), seconds[timing]))
    print('\nper page CER (dossier PDF text / bare tesseract%s):' % ('' if skip_ocrmypdf else ' / OCRmyPDF'))
    for stem in stems:
        vals = [scores[n][stem][0] for n, _, _ in peers if n != 'dossier (catalog)']
        print('  %-32s %s' % (stem, '  '.join('%.3f' % v for v in vals)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
