import { h, fill } from '../dom';
import { get, upload } from '../api';
import { t } from '../i18n';
import { fmtTime } from '../time';
import { errorText, typeLabel, section, table, empty, showError } from '../ui';
import { kTypes } from './search';
import type { Ctx } from '../router';

interface JobDocument { document?: string; stored: boolean; duplicate: boolean; error?: string;
                        warnings: { code: string; message: string }[]; }
interface Job { job: string; state: string; name?: string; pages?: number; work_item?: string;
                report?: { documents?: JobDocument[]; pages?: number; error?: string }; }
interface HotEntry { path: string; customer: string | null; bytes: number; modified: string | null;
                     reason: string | null; link: boolean; }
interface HotFolder { configured: boolean; dir?: string; waiting?: HotEntry[]; processing?: HotEntry[];
                      failed?: HotEntry[]; done?: number; truncated?: boolean; }

// A job's report: each document made (a link to review it), duplicates,
// warnings and errors.
function reportOf(report: NonNullable<Job['report']>): HTMLElement {
  const items = (report.documents ?? []).map((d) => h('li', { 'data-document': d.document ?? '' },
    d.document ? h('a', { href: '#/review/' + encodeURIComponent(d.document) }, d.document) : null, ' ',
    t(d.error ? 'upload.docfailed' : d.duplicate ? 'upload.duplicate' : 'upload.stored'),
    d.error ? h('span', { class: 'problem' }, ' ' + d.error) : null,
    d.warnings.length ? h('ul', { class: 'warnings' }, d.warnings.map((w) => h('li', { class: 'warning' }, w.message)))
                      : null));
  return h('div', { class: 'report' },
    report.error ? h('p', { class: 'problem' }, report.error) : null,
    items.length ? h('ul', null, items) : null);
}

export function renderUpload(ctx: Ctx): void {
  const customer = h('input', { name: 'customer', required: true, placeholder: 'KH-…', 'aria-label': t('upload.customer'),
                                'data-testid': 'upload-customer' });
  const type = h('select', { name: 'type', 'aria-label': t('doc.type'), 'data-testid': 'upload-type' },
    kTypes.map((v) => h('option', { value: v, selected: v === 'other' }, typeLabel(v))));
  const picker = h('input', { type: 'file', multiple: true, accept: 'image/*,application/pdf', 'data-testid': 'upload-file' });
  const list = h('ul', { class: 'uploads', 'data-testid': 'uploads' });
  const drop = h('div', { class: 'drop', tabindex: 0 }, t('upload.drop'), h('br'), picker);

  const show = (j: Job, line: HTMLElement) => {
    fill(line, t('upload.job', j.job, t('jstate.' + j.state), j.pages ?? 0));
    line.dataset.state = j.state;
    // On the work queue (serve --queue-uploads): the item, on its screen.
    if (j.work_item) line.append(' ', h('a', { href: '#/work', 'data-testid': 'work-item' }, j.work_item));
    if (j.state !== 'queued' && j.state !== 'running' && j.report) line.append(reportOf(j.report));
  };

  // Polling, where events cannot be had.
  const poll = async (job: string, line: HTMLElement) => {
    line.dataset.via = 'poll';
    while (!ctx.signal.aborted) {
      const j = await get<Job>(`/jobs/${encodeURIComponent(job)}`, ctx.signal);
      show(j, line);
      if (j.state !== 'queued' && j.state !== 'running') return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  // The job's Server-Sent Events: `progress` while it runs, `end` with the
  // report. Resolves false when the stream failed before the end (then the
  // caller polls).
  const follow = (job: string, line: HTMLElement): Promise<boolean> => new Promise((resolve) => {
    if (typeof EventSource === 'undefined') {
      resolve(false);
      return;
    }
    line.dataset.via = 'events';
    const source = new EventSource(`/api/jobs/${encodeURIComponent(job)}/events`);
    let events = 0;
    const onEvent = (ev: MessageEvent) => {
      line.dataset.events = String(++events);
      show(JSON.parse(ev.data) as Job, line);
    };
    source.addEventListener('progress', onEvent);
    let ended = false;
    source.addEventListener('end', (ev) => {
      ended = true;
      onEvent(ev as MessageEvent);
      source.close();
      resolve(true);
    });
    // EventSource would reconnect on its own; one failure goes to polling.
    source.addEventListener('error', () => {
      if (ended) return;
      source.close();
      resolve(false);
    });
    ctx.signal.addEventListener('abort', () => { source.close(); resolve(true); });
  });

  const send = async (file: File) => {
    const bar = h('progress', { max: 100, value: 0 });
    const state = h('span', { class: 'state' }, t('upload.sending'));
    const line = h('li', null, h('strong', null, file.name), ' ', bar, ' ', state);
    list.prepend(line);
    if (!customer.value.trim()) {
      fill(state, t('upload.needcustomer'));
      return;
    }
    try {
      const query = `?customer=${encodeURIComponent(customer.value.trim())}&type=${encodeURIComponent(type.value)}` +
        `&name=${encodeURIComponent(file.name)}`;
      const reply = await upload('/uploads' + query, file, (sent, total) => {
        bar.value = total ? Math.round(100 * sent / total) : 0;
      });
      bar.value = 100;
      if (!(await follow(String(reply.job), state))) await poll(String(reply.job), state);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) {
        fill(state, errorText(e));
        state.dataset.state = 'error';
      }
    }
  };

  picker.addEventListener('change', () => {
    for (const f of Array.from(picker.files ?? [])) void send(f);
    picker.value = '';
  });
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    for (const f of Array.from(ev.dataTransfer?.files ?? [])) void send(f);
  });
  // The hot folder a `dossier watch` serves: what waits, what failed and why.
  const hot = h('div', { 'data-testid': 'hotfolder' });
  const size = (n: number) => n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
  const drawHot = (f: HotFolder) => {
    if (!f.configured) {
      fill(hot);
      return;
    }
    const waiting = f.waiting ?? [];
    const failed = f.failed ?? [];
    const processing = f.processing ?? [];
    fill(hot, section(t('hot.title'),
      h('p', { class: 'hint' }, t('hot.dir', f.dir ?? ''), ' · ',
        h('span', { 'data-testid': 'hot-counts', 'data-waiting': String(waiting.length),
                    'data-failed': String(failed.length), 'data-done': String(f.done ?? 0) },
          t('hot.counts', waiting.length, processing.length, failed.length, f.done ?? 0)),
        f.truncated ? ' ' + t('hot.truncated') : ''),
      h('h3', null, t('hot.waiting')),
      waiting.length || processing.length
        ? table([t('hot.file'), t('doc.customer'), t('hot.size'), t('hot.modified'), t('hot.state')],
            [...processing.map((e) => [e.path, e.customer ?? t('hot.split'), size(e.bytes), fmtTime(e.modified),
                                       t('hot.processing')]),
             ...waiting.map((e) => [h('span', { 'data-hot-waiting': e.path }, e.path), e.customer ?? t('hot.split'),
                                    e.link ? t('hot.link') : size(e.bytes), fmtTime(e.modified), t('hot.queued')])],
            'hot-waiting')
        : empty(t('hot.nowaiting')),
      h('h3', null, t('hot.failed')),
      failed.length
        ? table([t('hot.file'), t('hot.reason'), t('hot.modified')],
            failed.map((e) => [h('span', { 'data-hot-failed': e.path }, e.path),
                               h('span', { class: 'problem' }, e.reason ?? t('hot.noreason')), fmtTime(e.modified)]),
            'hot-failed')
        : empty(t('hot.nofailed'))));
  };
  const loadHot = async () => {
    try {
      drawHot(await get<HotFolder>('/hotfolder', ctx.signal));
    } catch (e) {
      showError(e);
    }
  };
  const timer = window.setInterval(() => void loadHot(), 10000);
  ctx.signal.addEventListener('abort', () => window.clearInterval(timer));

  fill(ctx.main, h('h1', null, t('upload.title')),
    h('div', { class: 'upload-form' }, h('label', null, t('upload.customer'), customer),
      h('label', null, t('doc.type'), type)), drop, list, hot);
  void loadHot();
}
