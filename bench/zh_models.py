#!/usr/bin/python3
"""Chinese OCR models, chosen by measurement.

usage: zh_models.py DOSSIER_BINARY [--corpus DIR] [--work DIR]
                    [--langs L1,L2,...] [--groups G1,G2] [--no-bare]

Debian ships Tesseract's Chinese models as fast integer models:
tesseract-ocr-chi-sim (chi_sim, chi_sim_vert) and tesseract-ocr-script-hans
(HanS, HanS_vert). For each language combination this ingests the pages of
the chosen corpus groups (default: every group with Chinese pages, plus the
English ones, since a mixed model must not hurt English) with
`dossier ingest --lang L --jobs 1`, scores the catalog text with
shared/tools/ocr-score, and times it; bare `tesseract -l L` is run beside it
in the same run. Prints CER / bag-F1 per group and seconds per page.
"""
import csv, os, re, shutil, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from accuracy import run, score  # the same runner and scorer as make bench-accuracy

DEFAULT_LANGS = ['chi_sim+eng', 'chi_sim', 'HanS+eng', 'HanS', 'chi_sim+HanS+eng',
                 'HanS+chi_sim+eng']


def arg(argv, name, default):
    return argv[argv.index(name) + 1] if name in argv else default


def main(argv):
    dossier = os.path.abspath(argv[0])
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = arg(argv, '--corpus', os.path.join(here, '..', '..', 'shared', 'corpus'))
    if not os.path.isdir(corpus):
        corpus = '/work/shared/corpus'
    work = arg(argv, '--work', '/tmp/dossier-bench-zh-models')
    langs = arg(argv, '--langs', ','.join(DEFAULT_LANGS)).split(',')
    tools = os.path.join(corpus, '..', 'tools')
    with open(os.path.join(corpus, 'MANIFEST.tsv'), encoding='utf-8') as f:
        rows = list(csv.DictReader(f, delimiter='\t'))
    groups = arg(argv, '--groups', '').split(',') if '--groups' in argv else None
    group_of = lambda r: r['file'].split('/')[0]
    if groups:
        rows = [r for r in rows if group_of(r) in groups]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    # A manifest of the chosen pages only, beside links to their groups'
    # folders (ocr-score groups pages by their folder).
    manifest = os.path.join(work, 'MANIFEST.tsv')
    for g in sorted({group_of(r) for r in rows}):
        os.symlink(os.path.join(os.path.abspath(corpus), g), os.path.join(work, g))
    with open(manifest, 'w', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), delimiter='\t')
        w.writeheader()
        for r in rows:
            w.writerow(r)
    files = [os.path.join(corpus, r['file']) for r in rows]
    stems = [os.path.splitext(os.path.basename(r['file']))[0] for r in rows]
    user_env = {k: v for k, v in os.environ.items() if k != 'OMP_THREAD_LIMIT'}
    bare_env = dict(os.environ, OMP_THREAD_LIMIT='1')
    results = []
    for lang in langs:
        tag = re.sub(r'[^A-Za-z0-9_]+', '-', lang)
        cat_dir = os.path.join(work, 'runs', tag, 'catalog')
        tess_dir = os.path.join(work, 'runs', tag, 'tesseract')
        os.makedirs(cat_dir)
        os.makedirs(tess_dir)
        archive = os.path.join(work, 'runs', tag, 'archive')
        run([dossier, 'init', archive])
        code = run([dossier, '--archive', archive, 'customer', 'add', '--name', 'Benchmark']).stdout.decode().split('\t')[0]
        t0 = time.monotonic()
        run([dossier, '--archive', archive, 'ingest', '--customer', code, '--jobs', '1',
             '--lang', lang] + files, env=user_env)
        dossier_s = (time.monotonic() - t0) / len(files)
        listing = run([dossier, '--archive', archive, 'customer', 'show', code]).stdout.decode()
        for m in re.finditer(r'^  (D\d{6}) .* (\S+)$', listing, re.M):
            run([dossier, '--archive', archive, 'export', m.group(1), '--text', '--to',
                 os.path.join(cat_dir, m.group(2) + '.txt')])
        tess = None
        tess_s = 0.0
        if '--no-bare' not in argv:
            t0 = time.monotonic()
            for f, stem in zip(files, stems):
                run(['tesseract', f, os.path.join(tess_dir, stem), '-l', lang], env=bare_env)
            tess_s = (time.monotonic() - t0) / len(files)
            tess = score(tools, manifest, tess_dir)
        results.append((lang, score(tools, manifest, cat_dir), dossier_s, tess, tess_s))
        sys.stderr.write('%s done\n' % lang)
    keys = sorted(k for k in results[0][1] if k.startswith('GROUP:')) + ['TOTAL']
    print('| languages | peer | ' + ' | '.join(k.replace('GROUP:', '') + ' CER / F1' for k in keys) + ' | s/page |')
    print('|' + '---|' * (len(keys) + 3))
    for lang, cat, cat_s, tess, tess_s in results:
        for peer, sc, secs in (('dossier (catalog)', cat, cat_s), ('bare tesseract', tess, tess_s)):
            if sc is None:
                continue
            cells = ['%.3f / %.3f' % sc[k] for k in keys]
            print('| %s | %s | %s | %.2f |' % (lang, peer, ' | '.join(cells), secs))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
