import { h, fill } from '../dom';
import { get } from '../api';
import { t } from '../i18n';
import { can } from '../state';
import { fmtTime, when } from '../time';
import type { DocumentRecord, DocumentView, Field, HistoryEntry, Box } from '../types';
import { table, section, typeLabel, statusLabel, customerLink, empty } from '../ui';
import { PageViewer } from '../viewer';
import type { Ctx } from '../router';

// A long value (a SHA-256) shortened, whole in its tooltip.
function short(v: string | null): Node | string {
  if (!v) return '';
  return v.length <= 32 ? v : h('span', { class: 'short', title: v }, v.slice(0, 12) + '…');
}

export function fieldRows(fields: Field[]) {
  return fields.map((f) => [
    h('span', { class: 'field-name' }, f.name),
    h('span', { class: 'field-value' + (f.problem ? ' problem' : '') }, f.value),
    f.problem ?? '',
    f.page ? String(f.page) : '',
    f.confidence ? f.confidence.toFixed(0) : '',
    f.by ? h('span', { title: fmtTime(f.at) }, f.by) : t('field.' + f.source),
  ]);
}

export function fieldBoxesOf(fields: Field[]) {
  return (page: number): { box: Box; label: string }[] =>
    fields.filter((f) => f.page === page && f.boxes)
      .flatMap((f) => (f.boxes ?? []).map((box) => ({ box, label: f.name })));
}

export function metaList(d: DocumentRecord): HTMLElement {
  const row = (k: string, v: Node | string | null | undefined) =>
    [h('dt', null, t(k)), h('dd', null, v ?? '')];
  return h('dl', { class: 'meta-list' },
    row('doc.id', d.document),
    row('doc.title', d.title),
    row('doc.customer', customerLink(d.customer, d.customer_name)),
    row('doc.type', typeLabel(d.type)),
    row('doc.status', h('span', { 'data-testid': 'doc-status' }, statusLabel(d.status))),
    row('doc.archive_number', d.archive_number ?? '—'),
    row('doc.pages', String(d.pages)),
    row('doc.confidence', d.mean_confidence ? d.mean_confidence.toFixed(1) : '—'),
    row('doc.created', `${d.created_by} ${fmtTime(d.created_at)}`),
    d.reviewed_by ? row('doc.reviewed', `${d.reviewed_by} ${fmtTime(d.reviewed_at)}`) : null,
    d.review_reason ? row('doc.reason', d.review_reason) : null);
}

export async function renderDocument(ctx: Ctx): Promise<void> {
  const id = ctx.params[0];
  const d = await get<DocumentView>(`/documents/${encodeURIComponent(id)}`, ctx.signal);
  const terms = ctx.query.get('q') ?? '';
  const viewer = new PageViewer(d.document, d.page_list, {
    page: Number(ctx.query.get('page') ?? '1') || 1,
    terms,
    fieldBoxes: fieldBoxesOf(d.fields),
    signal: ctx.signal,
    onPage: (n) => {
      // Keep the page in the address without a new navigation.
      const u = new URLSearchParams(ctx.query);
      u.set('page', String(n));
      history.replaceState(null, '', `#/doc/${encodeURIComponent(id)}?${u.toString()}`);
    },
  });
  let historyEntries: HistoryEntry[] | null = d.history ?? null;
  const historyBox = h('div', { 'data-testid': 'history' });
  const side = h('aside', { class: 'doc-side' },
    h('h1', { 'data-testid': 'doc-title' }, d.title || d.document),
    metaList(d),
    can('document.export')
      ? h('p', null, h('a', { class: 'button', href: `/api/documents/${encodeURIComponent(d.document)}/pdf`,
                              download: `${d.document}.pdf`, 'data-testid': 'pdf-link' }, t('doc.pdf')))
      : null,
    section(t('doc.fields'), d.fields.length
      ? table([t('field.name'), t('field.value'), t('field.problem'), t('field.page'), t('field.confidence'), t('field.by')],
              fieldRows(d.fields))
      : empty(t('doc.nofields'))),
    section(t('doc.originals'), d.originals.length
      ? table([t('orig.barcode'), t('orig.location'), t('orig.state'), t('orig.loan')],
              d.originals.map((o) => [o.barcode, o.location_path || o.location, t('ostate.' + o.state), o.loan ?? '']))
      : empty(t('doc.nooriginal'))),
    d.open_loans.length ? section(t('doc.loans'),
      table([t('loan.id'), t('loan.status'), t('loan.requested_by'), t('loan.due')],
            d.open_loans.map((l) => [l.loan, t('lstate.' + l.status), l.requested_by, l.due_date]))) : null,
    d.holds && d.holds.length ? section(t('doc.holds'),
      table([t('hold.id'), t('hold.reason'), t('hold.placed')],
            d.holds.map((x) => [x.hold, x.reason, `${x.placed_by} ${fmtTime(x.placed_at)}`]))) : null,
    section(t('doc.history'), historyBox));
  fill(ctx.main, h('div', { class: 'doc-layout' }, viewer.el, side));
  if (!historyEntries) {
    try {
      const reply = await get<{ history: HistoryEntry[] }>(`/documents/${encodeURIComponent(d.document)}/history`, ctx.signal);
      historyEntries = reply.history;
    } catch {
      historyEntries = null;
    }
  }
  fill(historyBox, historyEntries && historyEntries.length
    ? table([t('hist.at'), t('hist.by'), t('hist.field'), t('hist.old'), t('hist.new')],
            historyEntries.map((e) => [when(e.at), e.by, e.field, short(e.old), short(e.new)]))
    : empty(historyEntries ? t('doc.nohistory') : t('doc.historyunavailable')));
}
