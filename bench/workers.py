#!/usr/bin/python3
"""Shared OCR work, measured: pages per minute of one scan station beside
one, two and three `dossier worker` processes sharing a PostgreSQL queue,
on the same pages, on this machine's cores (docs/workers.md).

usage: workers.py DOSSIER_BINARY [--pages N] [--corpus DIR] [--work DIR]

  station     `dossier ingest --jobs 2` of every page (the peer: no queue)
  1 worker    every page queued as its own item (`ingest --queue`, before
              the clock starts, as scan stations queue each scan), then one
              `dossier worker --once` (one page at a time: one core)
  2 workers   the same with two workers, one per core (docs/workers.md)
  3 workers   three workers (more processes than cores)

Every run gets a fresh archive on a fresh database of a private PostgreSQL
15 cluster (scripts/pg-test-cluster.sh). The clock runs from the first
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
        env = {k: v for k, v in os.environ.items() if k != 'OMP_THREAD_LIMIT'}
        env['DOSSIER_USER'] = 'bench'
        n = len(files)
        rows = []
        modes = [('station', 0, 2), ('1 worker', 1, 1), ('2 workers', 2, 1), ('3 workers', 3, 1)]
        for i, (mode, workers, jobs) in enumerate(modes):
            db = f'bench_{i}'
            run(['psql', server, '-qc', f'CREATE DATABASE {db}'], env)
            url = server.rsplit('/', 1)[0] + '/' + db
            archive = os.path.join(work, f'archive-{i}')
            run([dossier, 'init', archive, '--catalog', url], env)
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
                    sys.exit(f'{mode}: {done} of {n} items done, {others} not done')
            shown = json.loads(run(base + ['customer', 'show', code, '--json'], env))
            docs = shown.get('documents', [])
            if len(docs) != n:
                sys.exit(f'{mode}: {len(docs)} documents for {n} pages')
            run(base + ['verify'], env)
            rows.append((mode, workers, jobs, secs))
            print(f'  {mode}: {n} pages in {secs:.1f} s', file=sys.stderr)
        load = open('/proc/loadavg').read().split()[0]
        print(f'\n{n} pages, {os.cpu_count()} cores, PostgreSQL catalog; '
              f'load average at the end {load}\n')
        print('| mode | workers x --jobs | seconds | pages/min | vs station |')
        print('|---|---|---|---|---|')
        station = rows[0][3]
        for mode, workers, jobs, secs in rows:
            shape = f'ingest --jobs {jobs}' if workers == 0 else f'{workers} x {jobs}'
            print(f'| {mode} | {shape} | {secs:.1f} | {60 * n / secs:.1f} | {station / secs:.2f} |')
    finally:
        subprocess.run([cluster, 'stop', state], stdout=subprocess.DEVNULL)


if __name__ == '__main__':
    main(sys.argv[1:])
