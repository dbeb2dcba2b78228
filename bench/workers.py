#!/usr/bin/python3
"""Shared OCR work, measured: pages per minute of one scan station beside
one, two and three `dossier worker` processes sharing a PostgreSQL queue,
on the same pages, on this machine's cores (docs/workers.md).

usage: workers.py DOSSIER_BINARY [--pages N] [--corpus DIR] [--work DIR]
                  [--no-sqlite]

  station     `dossier ingest --jobs 2` of every page (the peer: no queue)
  1 worker    every page queued as its own item (`ingest --queue`, before
              the clock starts, as scan stations queue each scan), then one
              `dossier worker --once` (one page at a time: one core)
  2 workers   the same with two workers, one per core (docs/workers.md)
  3 workers   three workers (more processes than cores)

and, unless --no-sqlite, the station and the 1-worker case again on a
SQLite catalog (the single-machine default), each compared with the station
of its own catalog.

Every process runs with OMP_THREAD_LIMIT=1 (the OCR engine also keeps itself
to one OpenMP thread per page, ocr/tesseract_engine.cc), so the cores are
shared out by --jobs and by the number of workers, not by OpenMP. The load
average is read after every run and printed beside its row: a number taken
while other work shares the cores is not the machine's number.

Every PostgreSQL run gets a fresh archive on a fresh database of a private
PostgreSQL 15 cluster (scripts/pg-test-cluster.sh). The clock runs from the first
worker's start until the last has left an empty queue. After each run it
checks that every page was filed exactly once (one document per page, one
done item per page, none failed) and that `dossier verify` passes; it exits
non-zero otherwise. Pages are the corpus's (read in place, never copied
into the repository) or, without one, the bundled samples.
"""
import csv, json, os, re, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def pages_from(corpus, samples, limit):
    files = []
    manifest = os.path.join(corpus, 'MANIFEST.tsv')
    if os.path.isfile(manifest):
        with open(manifest, encoding='utf-8') as f:
            files = [os.path.join(corpus, r['file']) for r in csv.DictReader(f, delimiter='\t')]
    elif os.path.isdir(samples):
        files = sorted(os.path.join(samples, n) for n in os.listdir(samples) if n.endswith('.png'))
    return files[:limit] if limit else files


def run(cmd, env, **kw):
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode not in (0, 10):  # 10: stored with warnings
        sys.exit(f'failed ({r.returncode}): {" ".join(cmd)}\n{r.stdout.decode()}{r.stderr.decode()}')
    return r.stdout.decode()


def main(argv):
    if not argv:
        sys.exit(__doc__)
    dossier = os.path.abspath(argv[0])
    opt = lambda name, default: argv[argv.index(name) + 1] if name in argv else default
    corpus = opt('--corpus', os.path.join(ROOT, '..', 'shared', 'corpus'))
    if not os.path.isdir(corpus):
        corpus = '/work/shared/corpus'
    samples = os.path.join(os.path.dirname(dossier), '..', 'samples', 'pages')
    files = pages_from(corpus, samples, int(opt('--pages', '0')))
    if not files:
        sys.exit('no pages: give --corpus DIR')
    work = opt('--work', '/tmp/dossier-bench-workers')
    subprocess.run(['rm', '-rf', work], check=True)
    os.makedirs(work)
    state = os.path.join(work, 'pg')
    cluster = os.path.join(ROOT, 'scripts', 'pg-test-cluster.sh')
    subprocess.run([cluster, 'start', state], check=True, stdout=subprocess.DEVNULL)
    try:
        with open(os.path.join(state, 'url')) as f:
            server = f.read().strip()
        env = dict(os.environ, OMP_THREAD_LIMIT='1', DOSSIER_USER='bench')
        n = len(files)
        rows = []
        modes = [('postgresql', 'station', 0, 2), ('postgresql', '1 worker', 1, 1),
                 ('postgresql', '2 workers', 2, 1), ('postgresql', '3 workers', 3, 1)]
        if '--no-sqlite' not in argv:
            modes += [('sqlite', 'station', 0, 2), ('sqlite', '1 worker', 1, 1)]
        for i, (catalog, mode, workers, jobs) in enumerate(modes):
            archive = os.path.join(work, f'archive-{i}')
            if catalog == 'postgresql':
                db = f'bench_{i}'
                run(['psql', server, '-qc', f'CREATE DATABASE {db}'], env)
                url = server.rsplit('/', 1)[0] + '/' + db
                run([dossier, 'init', archive, '--catalog', url], env)
            else:
                run([dossier, 'init', archive], env)
            base = [dossier, '--archive', archive]
            code = run(base + ['customer', 'add', '--name', 'Bench'], env).split('\t')[0]
            if workers == 0:
                t0 = time.monotonic()
                run(base + ['ingest', '--customer', code, '--jobs', str(jobs), '--foreground'] + files, env)
                secs = time.monotonic() - t0
            else:
                for f in files:
                    run(base + ['ingest', '--queue', '--customer', code, f], env)
                t0 = time.monotonic()
                procs = [subprocess.Popen(base + ['worker', '--once', '--jobs', str(jobs),
                                                  '--poll-seconds', '0.2', '--name', f'w{k + 1}'],
                                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                         for k in range(workers)]
                for p in procs:
                    _, err = p.communicate()
                    if p.returncode not in (0, 10):
                        sys.exit(f'worker failed ({p.returncode}): {err.decode()}')
                secs = time.monotonic() - t0
                listed = lambda st: [l for l in run(base + ['jobs', '--state', st, '--limit', '100000'],
                                                    env).splitlines() if re.match(r'\s*W\d{6}', l)]
                done, others = len(listed('done')), sum(len(listed(st)) for st in ('queued', 'running', 'failed'))
                if done != n or others:
                    sys.exit(f'{catalog} {mode}: {done} of {n} items done, {others} not done')
            shown = json.loads(run(base + ['customer', 'show', code, '--json'], env))
            docs = shown.get('documents', [])
            if len(docs) != n:
                sys.exit(f'{catalog} {mode}: {len(docs)} documents for {n} pages')
            run(base + ['verify'], env)
            load = open('/proc/loadavg').read().split()[0]
            rows.append((catalog, mode, workers, jobs, secs, load))
            print(f'  {catalog} {mode}: {n} pages in {secs:.1f} s (load {load})', file=sys.stderr)
        print(f'\n{n} pages, {os.cpu_count()} cores, OMP_THREAD_LIMIT=1 in every process; '
              f'load average (1 min) after each run beside it\n')
        print('| catalog | mode | workers x --jobs | pages | seconds | pages/min | vs station | load |')
        print('|---|---|---|---|---|---|---|---|')
        station = {}
        for catalog, mode, workers, jobs, secs, load in rows:
            station.setdefault(catalog, secs)
            shape = f'ingest --jobs {jobs}' if workers == 0 else f'{workers} x {jobs}'
            print(f'| {catalog} | {mode} | {shape} | {n} | {secs:.1f} | {60 * n / secs:.1f} | '
                  f'{station[catalog] / secs:.2f} | {load} |')
    finally:
        subprocess.run([cluster, 'stop', state], stdout=subprocess.DEVNULL)


if __name__ == '__main__':
    main(sys.argv[1:])
