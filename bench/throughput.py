#!/usr/bin/python3
"""Throughput benchmark: the whole ingest pipeline beside bare tesseract and
OCRmyPDF, on the same pages, two cores each.

usage: throughput.py DOSSIER_BINARY [--corpus DIR] [--skip-ocrmypdf]

  dossier    one `dossier ingest --jobs 2` batch of every corpus page
  tesseract  `tesseract IMG OUT -l chi_sim+eng pdf`, 2 processes at a time,
             OMP_THREAD_LIMIT=1: the floor of OCR time on this machine
  ocrmypdf   `ocrmypdf --clean --deskew --rotate-pages --output-type pdfa`,
             2 files at a time (-j 1 each, so both cores stay busy)

Prints pages per minute, bytes per page, peak RSS (largest single process),
the ratios, how many written PDFs pass shared/tools/pdfa-check 2, and
Dossier's stage table (`ingest --timings-json`): each stage's CPU seconds
and share of the run's CPU time, and the share of everything beside OCR.
"""
import csv, json, os, re, shutil, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor

LANGS = 'chi_sim+eng'
TIME = '/usr/bin/time'


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (returncode, max RSS in KB, stdout)."""
    r = subprocess.run([TIME, '-f', 'MAXRSS=%M'] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env)
    m = re.search(rb'MAXRSS=(\d+)', r.stderr)
    return r.returncode, int(m.group(1)) if m else 0, r.stdout.decode(errors='replace')


def pdfa_pass(tools, pdfs):
    ok = 0
    for p in pdfs:
        r = subprocess.run(['/usr/bin/python3', os.path.join(tools, 'pdfa-check'), p, '2'],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        ok += r.returncode == 0
    return ok


def main(argv):
    dossier = os.path.abspath(argv[0])
    corpus = '/work/shared/corpus'
    here_corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'corpus')
    if os.path.isdir(here_corpus):
        corpus = here_corpus
    if '--corpus' in argv:
        corpus = argv[argv.index('--corpus') + 1]
    tools = os.path.join(corpus, '..', 'tools')
    with open(os.path.join(corpus, 'MANIFEST.tsv'), encoding='utf-8') as f:
        files = [os.path.join(corpus, r['file']) for r in csv.DictReader(f, delimiter='\t')]
    work = '/tmp/dossier-bench-throughput'
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ, OMP_THREAD_LIMIT='1')
    # Dossier runs as a user runs it: it limits its OpenMP threads itself.
    user_env = {k: v for k, v in os.environ.items() if k != 'OMP_THREAD_LIMIT'}
    n = len(files)
    rows = []

    # Dossier: the whole pipeline as one batch with two workers.
    archive = os.path.join(work, 'archive')
    subprocess.run([dossier, 'init', archive], stdout=subprocess.DEVNULL, check=True)
    code = subprocess.run([dossier, '--archive', archive, 'customer', 'add', '--name', 'Bench'],
                          stdout=subprocess.PIPE, check=True).stdout.decode().split('\t')[0]
    timings_file = os.path.join(work, 'timings.json')
    t0 = time.monotonic()
    # --foreground: the same CPU priority as the bare tesseract peers (an
    # ingest's OCR runs in the background by default).
    rc, rss, _ = timed([dossier, '--archive', archive, 'ingest', '--customer', code, '--jobs', '2',
                        '--foreground', '--timings-json', timings_file] + files, user_env)
    secs = time.monotonic() - t0
    pdfs = [os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(archive, 'objects')) for f in fs if f.endswith('.pdf')]
    size = sum(os.path.getsize(p) for p in pdfs)
    rows.append(('dossier (2 workers)', secs, size, rss, pdfa_pass(tools, pdfs), len(pdfs)))

    # Bare tesseract, two processes at a time.
    out = os.path.join(work, 'tesseract')
    os.makedirs(out)
    rss_max = [0]

    def tess(i_f):
        i, f = i_f
        _, r, _ = timed(['tesseract', f, os.path.join(out, '%03d' % i), '-l', LANGS, 'pdf'], env)
        rss_max[0] = max(rss_max[0], r)
    t0 = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(tess, enumerate(files)))
    secs = time.monotonic() - t0
    pdfs = [os.path.join(out, f) for f in os.listdir(out) if f.endswith('.pdf')]
    rows.append(('bare tesseract (2 procs)', secs, sum(os.path.getsize(p) for p in pdfs), rss_max[0],
                 pdfa_pass(tools, pdfs), len(pdfs)))

    if '--skip-ocrmypdf' not in argv:
        out = os.path.join(work, 'ocrmypdf')
        os.makedirs(out)
        rss_max = [0]

        def ocrmypdf(i_f):
            i, f = i_f
            _, r, _ = timed(['ocrmypdf', '--clean', '--deskew', '--rotate-pages', '--output-type', 'pdfa',
                             '-l', LANGS, '-j', '1', '--image-dpi', '300', '-q', f,
                             os.path.join(out, '%03d.pdf' % i)], env)
            rss_max[0] = max(rss_max[0], r)
        t0 = time.monotonic()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(ocrmypdf, enumerate(files)))
        secs = time.monotonic() - t0
        pdfs = [os.path.join(out, f) for f in os.listdir(out) if f.endswith('.pdf')]
        rows.append(('OCRmyPDF (2 procs)', secs, sum(os.path.getsize(p) for p in pdfs), rss_max[0],
                     pdfa_pass(tools, pdfs), len(pdfs)))

    base = {r[0]: r for r in rows}
    print('%d pages (%s)\n' % (n, corpus))
    print('| peer | pages/min | KB/page | peak RSS MB | pdfa-check 2 passed |')
    print('|---|---|---|---|---|')
    for name, secs, size, rss, passed, count in rows:
        print('| %s | %.1f | %.0f | %.0f | %d/%d |' % (name, n / secs * 60, size / n / 1024, rss / 1024, passed, count))
    d = rows[0]
    for other in rows[1:]:
        print('\ndossier vs %s: speed %.2fx, bytes %.2fx' % (other[0], other[1] / d[1], d[2] / other[2]))
    if os.path.exists(timings_file):
        with open(timings_file, encoding='utf-8') as f:
            t = json.load(f)
        cpu = t['cpu_seconds']
        print('\ndossier stage times: %.1f s wall, %.1f s CPU (seconds summed over threads)\n' %
              (t['wall_seconds'], cpu))
        print('| stage | CPU s | share of CPU | wall s |')
        print('|---|---|---|---|')
        for name, st in t['stages'].items():
            print('| %s | %.2f | %.1f%% | %.2f |' % (name, st['cpu_seconds'], 100 * st['share'], st['seconds']))
        print('| (other) | %.2f | %.1f%% | |' % (t['other_cpu_seconds'], 100 * t['other_cpu_seconds'] / cpu))
        print('\neverything beside OCR: %.1f%% of CPU' % (100 * (1 - t['stages']['ocr']['share'])))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
