import { h, fill, markSnippet } from '../dom';
import { get, qs } from '../api';
import { t } from '../i18n';
import type { SearchHit } from '../types';
import { empty, typeLabel, statusLabel, customerLink } from '../ui';
import { previewUrl } from '../viewer';
import { go, Ctx } from '../router';

export const kTypes = ['contract', 'form', 'id-copy', 'correspondence', 'other'];
export const kStatuses = ['pending', 'filed', 'rejected', 'replaced', 'destroyed'];

function select(name: string, values: string[], label: (v: string) => string, chosen: string) {
  return h('select', { name, 'aria-label': t('search.' + name) },
    h('option', { value: '' }, t('search.any', t('search.' + name))),
    values.map((v) => h('option', { value: v, selected: v === chosen }, label(v))));
}

export async function renderSearch(ctx: Ctx): Promise<void> {
  const q = ctx.query.get('q') ?? '';
  const filters = {
    customer: ctx.query.get('customer') ?? '',
    type: ctx.query.get('type') ?? '',
    status: ctx.query.get('status') ?? '',
    from: ctx.query.get('from') ?? '',
    to: ctx.query.get('to') ?? '',
  };
  const box = h('input', { type: 'search', name: 'q', value: q, placeholder: t('search.placeholder'),
                           'aria-label': t('search.placeholder'), 'data-testid': 'search-box' });
  const form = h('form', {
    class: 'search-form',
    on: { submit: (ev: Event) => {
      ev.preventDefault();
      const data = new FormData(form);
      const params: Record<string, string> = {};
      for (const [k, v] of data.entries()) params[k] = String(v).trim();
      go('/search', params);
    } },
  },
  h('div', { class: 'search-row' }, box, h('button', { type: 'submit', class: 'primary' }, t('search.submit'))),
  h('div', { class: 'filters' },
    h('input', { name: 'customer', value: filters.customer, placeholder: t('search.customer'),
                 'aria-label': t('search.customer') }),
    select('type', kTypes, typeLabel, filters.type),
    select('status', kStatuses, statusLabel, filters.status),
    h('label', null, t('search.from'), h('input', { type: 'date', name: 'from', value: filters.from })),
    h('label', null, t('search.to'), h('input', { type: 'date', name: 'to', value: filters.to }))),
  h('p', { class: 'hint' }, t('search.syntax')));
  const results = h('div', { class: 'results', 'data-testid': 'results' });
  fill(ctx.main, h('h1', null, t('search.title')), form, results);
  box.focus();
  if (!q && !filters.customer && !filters.type && !filters.status && !filters.from && !filters.to) return;
  fill(results, h('p', { class: 'loading' }, t('loading')));
  const reply = await get<{ hits: SearchHit[] }>('/search' + qs({ q, ...filters, limit: 50 }), ctx.signal);
  if (reply.hits.length === 0) {
    fill(results, empty(t('search.none')));
    return;
  }
  fill(results,
    h('p', { class: 'count' }, t('search.count', reply.hits.length)),
    h('ol', { class: 'hits' }, reply.hits.map((hit) => {
      const href = `#/doc/${encodeURIComponent(hit.document)}${qs({ page: hit.page, q })}`;
      return h('li', { class: 'hit-row', 'data-document': hit.document },
        h('a', { href, class: 'thumb' },
          h('img', { src: previewUrl(hit.document, hit.page, 200), loading: 'lazy', alt: '', width: 100 })),
        h('div', { class: 'hit-text' },
          h('a', { href, class: 'hit-title' }, hit.title || hit.document),
          h('div', { class: 'meta' },
            h('span', null, hit.document), ' · ', t('search.pageN', hit.page), ' · ',
            typeLabel(hit.type), ' · ', statusLabel(hit.status), ' · ',
            customerLink(hit.customer, hit.customer_name)),
          h('p', { class: 'snippet' }, markSnippet(hit.snippet))));
    })));
}
