import { h, fill } from '../dom';
import { get, post } from '../api';
import { t } from '../i18n';
import { can, current } from '../state';
import { fmtTime } from '../time';
import type { DocumentRecord, DocumentView, ReviewSheet } from '../types';
import { table, section, typeLabel, empty, flash, flashNext, action, docLink, customerLink } from '../ui';
import { PageViewer } from '../viewer';
import { fieldBoxesOf, metaList } from './document';
import { kTypes } from './search';
import { go, Ctx } from '../router';

export async function renderReviewList(ctx: Ctx): Promise<void> {
  const reply = await get<{ documents: DocumentRecord[] }>('/review', ctx.signal);
  fill(ctx.main,
    h('h1', null, t('review.title')),
    reply.documents.length
      ? table([t('doc.id'), t('doc.title'), t('doc.customer'), t('doc.type'), t('doc.pages'),
               t('doc.confidence'), t('doc.created')],
              reply.documents.map((d) => [
                h('a', { href: '#/review/' + encodeURIComponent(d.document), 'data-testid': 'review-' + d.document }, d.document),
                d.title, customerLink(d.customer, d.customer_name), typeLabel(d.type), String(d.pages),
                d.mean_confidence ? d.mean_confidence.toFixed(1) : '', `${d.created_by} ${fmtTime(d.created_at)}`,
              ]), 'review-list')
      : empty(t('review.none')));
}

export async function renderReview(ctx: Ctx): Promise<void> {
  const id = ctx.params[0];
  const enc = encodeURIComponent(id);
  const [sheet, view] = await Promise.all([
    get<ReviewSheet>(`/review/${enc}`, ctx.signal),
    get<DocumentView>(`/documents/${enc}`, ctx.signal),
  ]);
  const decide = can('review.decide') && sheet.status === 'pending';
  const me = current();
  const viewer = new PageViewer(sheet.document, view.page_list, {
    fieldBoxes: fieldBoxesOf(sheet.fields),
    signal: ctx.signal,
  });
  const rows = sheet.fields.map((f) => {
    const input = h('input', { value: f.value, name: f.name, 'aria-label': f.name, 'data-field': f.name,
                               disabled: !decide });
    return [
      h('button', { type: 'button', class: 'link', on: { click: () => { if (f.page) viewer.show(f.page); } } }, f.name),
      input,
      h('span', { class: f.problem ? 'problem' : '' }, f.problem ?? ''),
      f.confidence ? f.confidence.toFixed(0) : '',
      decide ? action(t('review.save'), async () => {
        await post(`/review/${enc}/fields`, { name: f.name, value: input.value.trim() });
        flashNext(t('review.saved', f.name));
        go('/review/' + id);
      }, 'save-field') : '',
    ];
  });
  const reason = h('input', { name: 'reason', placeholder: t('review.reason'), 'aria-label': t('review.reason'),
                              'data-testid': 'reject-reason' });
  const newName = h('input', { name: 'new-field', placeholder: t('review.newfield'), 'aria-label': t('review.newfield') });
  const newValue = h('input', { name: 'new-value', placeholder: t('field.value'), 'aria-label': t('field.value') });
  const own = me?.user === sheet.created_by;
  const decisions = decide ? h('div', { class: 'decisions' },
    own ? h('p', { class: 'warning', 'data-testid': 'own-scan' }, t('review.own')) : null,
    action(t('review.approve'), async () => {
      const r = await post<DocumentRecord>(`/review/${enc}/approve`, {});
      flashNext(t('review.approved', id, r?.archive_number ?? ''));
      go('/review');
    }, 'primary approve'),
    h('div', { class: 'reject' }, reason, action(t('review.reject'), async () => {
      if (!reason.value.trim()) {
        flash(t('review.needreason'));
        reason.focus();
        return;
      }
      await post(`/review/${enc}/reject`, { reason: reason.value.trim() });
      flashNext(t('review.rejected', id));
      go('/review');
    }, 'danger reject')),
    h('div', { class: 'add-field' }, newName, newValue, action(t('review.addfield'), async () => {
      if (!newName.value.trim()) return;
      await post(`/review/${enc}/fields`, { name: newName.value.trim(), value: newValue.value.trim() });
      go('/review/' + id);
    }))) : h('p', { class: 'hint' }, t(sheet.status === 'pending' ? 'review.readonly' : 'review.done'));
  // Refile: another customer file and/or type, with the reason the
  // history keeps (the reviewer's decision, review.decide).
  const refile = can('review.decide') && (sheet.status === 'pending' || sheet.status === 'filed') ? (() => {
    const to = h('input', { name: 'refile-customer', value: sheet.customer, 'aria-label': t('refile.customer'),
                            'data-testid': 'refile-customer' });
    const kind = h('select', { name: 'refile-type', 'aria-label': t('doc.type'), 'data-testid': 'refile-type' },
      kTypes.map((v) => h('option', { value: v, selected: v === sheet.type }, typeLabel(v))));
    const why = h('input', { name: 'refile-reason', placeholder: t('refile.reason'), 'aria-label': t('refile.reason'),
                             'data-testid': 'refile-reason' });
    return section(t('refile.title'),
      h('p', { class: 'hint' }, t(sheet.status === 'filed' ? 'refile.hintfiled' : 'refile.hint')),
      h('div', { class: 'refile' },
        h('label', null, t('refile.customer'), to),
        h('label', null, t('doc.type'), kind),
        h('label', { class: 'wide' }, t('refile.reason'), why),
        action(t('refile.submit'), async () => {
          const customer = to.value.trim();
          if (!why.value.trim()) {
            flash(t('refile.needreason'));
            why.focus();
            return;
          }
          const body: Record<string, string> = { reason: why.value.trim() };
          if (customer && customer !== sheet.customer) body.customer = customer;
          if (kind.value !== sheet.type) body.type = kind.value;
          if (!body.customer && !body.type) {
            flash(t('refile.nochange'));
            return;
          }
          const r = await post<{ after: DocumentRecord }>(`/documents/${enc}/refile`, body);
          flashNext(t('refile.done', id, r.after.customer_name || r.after.customer, typeLabel(r.after.type)));
          go('/review/' + id);
        }, 'refile-submit')));
  })() : null;
  fill(ctx.main, h('div', { class: 'doc-layout' }, viewer.el,
    h('aside', { class: 'doc-side' },
      h('h1', null, t('review.of', sheet.title || id)),
      metaList(sheet),
      h('p', null, docLink(id, t('review.opendoc'))),
      section(t('doc.fields'), sheet.fields.length
        ? table([t('field.name'), t('field.value'), t('field.problem'), t('field.confidence'), ''], rows, 'fields')
        : empty(t('doc.nofields'))),
      sheet.proposed_links.length ? section(t('review.links'),
        table([t('doc.customer'), t('review.linkreason')],
              sheet.proposed_links.map((l) => [customerLink(l.customer, l.name), l.reason]))) : null,
      sheet.doubtful_pages.length ? section(t('review.doubtful'),
        table([t('field.page'), t('field.confidence'), t('review.words')],
              sheet.doubtful_pages.map((p) => [
                h('button', { type: 'button', class: 'link', on: { click: () => viewer.show(p.page) } }, String(p.page)),
                p.confidence.toFixed(0), p.doubtful.join(' ')]))) : null,
      decisions,
      refile)));
}
