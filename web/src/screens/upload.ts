import { h, fill } from '../dom';
import { get, upload } from '../api';
import { t } from '../i18n';
import { errorText, typeLabel } from '../ui';
import { kTypes } from './search';
import type { Ctx } from '../router';

interface Job { job: string; state: string; name?: string; pages?: number; report?: unknown; }

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
    if (j.state !== 'queued' && j.state !== 'running' && j.report) {
      line.append(h('pre', { class: 'report' }, JSON.stringify(j.report, null, 2)));
    }
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
  fill(ctx.main, h('h1', null, t('upload.title')),
    h('div', { class: 'upload-form' }, h('label', null, t('upload.customer'), customer),
      h('label', null, t('doc.type'), type)), drop, list);
}
