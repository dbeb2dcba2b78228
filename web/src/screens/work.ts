// The work queue of `dossier worker` (GET /api/work, docs/workers.md): what
// `dossier ingest --queue` queued, who queued it, the worker that took it,
// and what it filed or why it failed. While an item shown is queued or
// working the list refreshes itself; it stops when nothing is pending, when
// the tab is hidden (and looks once again when it is shown), and when the
// screen is left.
import { h, fill } from '../dom';
import { ApiError, get, qs } from '../api';
import { t } from '../i18n';
import { fmtTime, when } from '../time';
import type { WorkItem } from '../types';
import { table, empty, action, docLink, customerLink, typeLabel, noPermission, errorText, showError,
         clearFlash } from '../ui';
import type { Ctx } from '../router';

// The tabs: every item, or one state (the API's names; "running" is shown
// as working).
const kStates = ['all', 'queued', 'running', 'done', 'failed'];
const kRefreshMs = 3000;
const kRetryMs = 15000;  // after a failed refresh

const pending = (w: WorkItem) => w.state === 'queued' || w.state === 'running';
const baseName = (path: string) => path.split('/').pop() || path;

function stateBadge(w: WorkItem): HTMLElement {
  return h('span', { class: 'wstate ' + w.state, 'data-testid': 'work-state-' + w.item, 'data-state': w.state },
    t('wstate.' + w.state));
}

function filesOf(w: WorkItem): HTMLElement {
  return h('ul', { class: 'work-files' }, (w.payload?.files ?? []).map((f) =>
    h('li', { title: f.name }, baseName(f.name))));
}

// Done: each document filed (a link to it), a duplicate, or the error of
// one input. Failed: the item's error.
function resultOf(w: WorkItem): HTMLElement | string {
  if (w.state === 'failed') {
    return h('p', { class: 'problem work-error', 'data-testid': 'work-error-' + w.item }, w.error ?? '');
  }
  if (w.state === 'running') return h('span', { class: 'hint' }, t('work.inprogress'));
  if (w.state !== 'done' || !w.result) return h('span', { class: 'hint' }, t('work.waiting'));
  const docs = w.result.documents ?? [];
  return h('div', { class: 'work-result', 'data-testid': 'work-result-' + w.item },
    h('ul', { class: 'work-docs' }, docs.map((d) => h('li', { 'data-document': d.document ?? '' },
      d.document ? docLink(d.document) : null, ' ',
      d.error ? h('span', { class: 'problem' }, `${t('work.docfailed')}: ${d.error}`)
              : h('span', { class: d.duplicate ? 'hint' : 'ok' }, t(d.duplicate ? 'work.duplicate' : 'work.stored')),
      // Which files made which document, when there are several.
      docs.length > 1 || d.error ? h('small', null, ' ' + d.inputs.map(baseName).join(', ')) : null))),
    w.result.pages ? h('small', null, t('work.pages', w.result.pages)) : null);
}

function listOf(items: WorkItem[]): HTMLElement {
  if (!items.length) return empty(t('work.none'));
  return h('div', { class: 'table-wrap' }, table(
    [t('work.id'), t('work.state'), t('work.what'), t('work.by'), t('work.worker'), t('work.files'),
     t('work.result')],
    items.map((w) => {
      const capture = w.payload?.capture ?? {};
      return [
        h('span', { class: 'work-id', 'data-testid': 'work-id' }, w.item),
        stateBadge(w),
        h('span', { class: 'work-what' }, capture.customer ? customerLink(capture.customer) : '', h('br'),
          capture.type ? typeLabel(capture.type) : '', capture.title ? ` · ${capture.title}` : ''),
        h('span', null, w.enqueued_by, h('br'), when(w.enqueued_at)),
        // The worker, with the claims so far and the latest claim's times.
        h('span', { 'data-testid': 'work-worker-' + w.item }, w.worker ?? '—',
          w.attempts ? [h('br'), h('small', { 'data-testid': 'work-attempts-' + w.item, 'data-attempts': w.attempts },
                                   t('work.attempts', w.attempts))] : null,
          w.started_at ? [h('br'), h('small', { class: 'time' }, t('work.started', fmtTime(w.started_at)))] : null,
          w.finished_at ? [h('br'), h('small', { class: 'time' }, t('work.ended', fmtTime(w.finished_at)))] : null),
        filesOf(w),
        resultOf(w),
      ];
    }), 'work'));
}

export async function renderWork(ctx: Ctx): Promise<void> {
  const asked = ctx.query.get('state') ?? 'all';
  const state = kStates.includes(asked) ? asked : 'all';
  const load = () => get<{ items: WorkItem[] }>('/work' + qs({ state: state === 'all' ? '' : state, limit: 200 }),
                                                ctx.signal);
  let items: WorkItem[];
  try {
    items = (await load()).items;
  } catch (e) {
    // The server decides who may see the queue; show its refusal.
    if (e instanceof ApiError && e.status === 403) {
      fill(ctx.main, noPermission(t('work.refused', errorText(e))));
      return;
    }
    throw e;
  }

  const list = h('div', { 'data-testid': 'work-list' });
  const status = h('span', { class: 'hint', 'data-testid': 'work-refresh' });
  let timer = 0;
  let busy = false;
  let failures = 0;
  const draw = () => {
    fill(list, listOf(items));
    const auto = items.some(pending);
    status.dataset.auto = auto && !document.hidden ? 'on' : 'off';
    // "Nothing is waiting" only where waiting items would be listed.
    const couldWait = state === 'all' || state === 'queued' || state === 'running';
    fill(status, auto ? t('work.auto', kRefreshMs / 1000) : couldWait ? t('work.still') : '');
  };
  const schedule = () => {
    window.clearTimeout(timer);
    timer = 0;
    if (ctx.signal.aborted || document.hidden || !items.some(pending)) return;
    timer = window.setTimeout(() => void refresh(), failures ? kRetryMs : kRefreshMs);
  };
  const refresh = async () => {
    if (busy || ctx.signal.aborted) return;
    busy = true;
    window.clearTimeout(timer);
    timer = 0;
    try {
      items = (await load()).items;
      if (failures) clearFlash();
      failures = 0;
      draw();
    } catch (e) {
      if (ctx.signal.aborted) return;
      ++failures;
      showError(e);
    } finally {
      busy = false;
    }
    schedule();
  };
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = 0;
      draw();
    } else {
      void refresh();  // once; it goes on only while items are pending
    }
  }, { signal: ctx.signal });
  ctx.signal.addEventListener('abort', () => window.clearTimeout(timer));

  const tabs = h('nav', { class: 'tabs' }, kStates.map((s) =>
    h('a', { href: '#/work' + (s === 'all' ? '' : '?state=' + s), class: s === state ? 'active' : '',
             'data-testid': 'tab-' + s }, s === 'all' ? t('work.all') : t('wstate.' + s))));
  fill(ctx.main,
    h('h1', null, t('work.title')),
    h('p', { class: 'hint' }, t('work.hint')),
    h('div', { class: 'work-bar' }, tabs, h('span', { class: 'spacer' }), status,
      action(t('work.refresh'), refresh, 'work-reload')),
    list);
  draw();
  schedule();
}
