import { h, fill } from '../dom';
import { get, post } from '../api';
import { t } from '../i18n';
import { fmtTime } from '../time';
import type { Audit, AuditLine, Location } from '../types';
import { table, section, empty, flash, action, showError } from '../ui';
import { enqueue, flush, queued, sent, forget } from '../scan_queue';
import { go, Ctx } from '../router';
import { cameraScanner } from '../camera';

const kCategories = ['found', 'missing', 'misplaced', 'unknown', 'on-loan', 'duplicate'];

export async function renderAuditStart(ctx: Ctx): Promise<void> {
  const reply = await get<{ locations: Location[] }>('/locations', ctx.signal);
  const choices = reply.locations.filter((l) => l.kind !== 'folder');
  const pick = h('select', { name: 'location', 'aria-label': t('audit.location'), 'data-testid': 'audit-location' },
    choices.map((l) => h('option', { value: l.code }, `${l.path || l.code}  ${l.name ?? ''} (${t('kind.' + l.kind)})`)));
  const cabinet = choices.find((l) => l.kind === 'cabinet');
  if (cabinet) pick.value = cabinet.code;
  fill(ctx.main,
    h('h1', null, t('audit.title')),
    choices.length ? h('div', { class: 'audit-start' },
      h('label', null, t('audit.location'), pick),
      action(t('audit.start'), async () => {
        const a = await post<Audit>('/audits', { location: pick.value });
        go('/audit/' + a.audit);
      }, 'primary big')) : empty(t('audit.nolocations')));
}

export async function renderAudit(ctx: Ctx): Promise<void> {
  const id = ctx.params[0];
  const enc = encodeURIComponent(id);
  const input = h('input', { class: 'scan-input', name: 'barcode', autocomplete: 'off', autocapitalize: 'characters',
                             spellcheck: 'false', placeholder: t('audit.scanhere'), 'aria-label': t('audit.scanhere'),
                             'data-testid': 'scan-input' });
  const status = h('p', { class: 'sync', 'data-testid': 'sync-status' });
  const recent = h('ol', { class: 'recent', 'data-testid': 'recent-scans', reversed: true });
  const summary = h('div', { class: 'audit-summary', 'data-testid': 'audit-summary' });
  const lines = h('div', { class: 'audit-lines' });
  const closeBox = h('div', { class: 'audit-close' });
  const hint = h('p', { class: 'hint', 'data-testid': 'audit-hint' });
  let open = true;
  const heading = h('h1', null, t('audit.of', id));
  const showSync = () => {
    const n = queued(id).length;
    status.dataset.queued = String(n);
    fill(status, n === 0 ? t('audit.synced') : (navigator.onLine ? t('audit.sending', n) : t('audit.offline', n)));
    status.className = 'sync' + (n ? ' pending' : '');
  };

  const draw = (audit: Audit, all: AuditLine[]) => {
    open = audit.status === 'open';
    fill(heading, t('audit.of', id), ' ', h('small', null, audit.location_path || audit.location));
    // The server's reconciliation: while open, as it stands after the
    // scans it has (what closing now would find); closed, the report.
    fill(summary, kCategories.filter((c) => c !== 'duplicate').map((c) =>
      h('div', { class: 'tally ' + c, 'data-testid': 'tally-' + c },
        h('span', { class: 'count' }, all.filter((l) => l.category === c).length),
        h('span', null, t('audit.' + c)))),
    h('div', { class: 'tally scans', 'data-testid': 'tally-scans' }, h('span', { class: 'count' }, audit.scans),
      h('span', null, t('audit.scans'))));
    fill(lines, kCategories.map((c) => {
      const mine = all.filter((l) => l.category === c);
      return mine.length ? section(t('audit.' + c) + ` (${mine.length})`,
        table([t('orig.barcode'), t('doc.customer'), t('doc.title'), t('audit.registered'), t('audit.foundat'),
               t('audit.suggested')],
              mine.map((l) => [h('span', { 'data-barcode': l.barcode, 'data-category': c }, l.barcode),
                               l.customer_name ?? l.customer ?? '', l.title ?? '', l.registered_at ?? '',
                               l.found_at ?? '', l.suggested_to ?? '']),
              'cat-' + c)) : null;
    }));
    input.disabled = !open;
    fill(hint, t(open ? 'audit.preview' : 'audit.final'));
    fill(closeBox, open
      ? action(t('audit.close'), async () => {
          const r = await flush(id);
          if (queued(id).length) {
            flash(t('audit.cannotclose'));
            return;
          }
          void r;
          const closed = await post<{ audit: Audit; lines: AuditLine[] }>(`/audits/${enc}/close`, {});
          draw(closed.audit, closed.lines);
          forget(id);
          flash(t('audit.closed', id), 'ok');
        }, 'danger')
      : h('p', null, t('audit.closedby', audit.closed_by ?? '', fmtTime(audit.closed_at)), ' ',
          h('a', { class: 'button primary', href: `/api/audits/${enc}/report.pdf`, download: `${id}.pdf`,
                   'data-testid': 'report-link' }, t('audit.report'))));
  };

  const refresh = async () => {
    const r = await get<{ audit: Audit; lines: AuditLine[] }>(`/audits/${enc}`, ctx.signal);
    draw(r.audit, r.lines);
  };

  const send = async () => {
    showSync();
    try {
      const r = await flush(id);
      if (r === 'sent') await refresh();
    } catch (e) {
      showError(e);
    }
    showSync();
  };

  const scan = (raw: string) => {
    const code = raw.trim().toUpperCase();
    if (!code || !open) return;
    enqueue(id, code);
    recent.prepend(h('li', null, code));
    while (recent.childElementCount > 20) recent.lastElementChild!.remove();
    void send();
  };
  // A USB scanner types the code and Enter into the focused box.
  input.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    const code = input.value;
    input.value = '';
    scan(code);
  });
  const camera = cameraScanner(scan, ctx.signal);
  window.addEventListener('online', () => void send(), { signal: ctx.signal });
  window.addEventListener('offline', showSync, { signal: ctx.signal });
  // Retry while scans wait (a lost connection does not always fire events).
  const timer = window.setInterval(() => { if (queued(id).length) void send(); }, 3000);
  ctx.signal.addEventListener('abort', () => window.clearInterval(timer));

  fill(ctx.main,
    heading,
    h('div', { class: 'audit-layout' },
      h('div', { class: 'scan-col' }, input, camera, status, h('h3', null, t('audit.recent')), recent),
      h('div', { class: 'result-col' }, summary, hint, lines, closeBox)));
  // After a reload: the last scans, sent and waiting.
  for (const code of [...sent(id), ...queued(id)].slice(-20)) recent.prepend(h('li', null, code));
  showSync();
  await refresh();
  if (open) {
    input.focus();
    void send();
  }
}
