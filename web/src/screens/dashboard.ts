import { h, fill } from '../dom';
import { get } from '../api';
import { t } from '../i18n';
import { can, current } from '../state';
import type { Dashboard } from '../types';
import type { Ctx } from '../router';

export async function renderDashboard(ctx: Ctx): Promise<void> {
  const d = await get<Dashboard>('/dashboard', ctx.signal);
  const card = (key: string, value: number | null | undefined, href: string, perm: string) =>
    can(perm) && value !== null && value !== undefined ? h('a', { class: 'card' + (value > 0 ? ' due' : ''), href, 'data-testid': 'card-' + key },
                  h('span', { class: 'count' }, value), h('span', { class: 'what' }, t('dash.' + key)))
              : null;
  const me = current();
  fill(ctx.main,
    h('h1', null, t('dash.title')),
    h('p', { class: 'welcome' }, t('dash.welcome', me?.user ?? '', (me?.roles ?? []).join(', '))),
    h('div', { class: 'cards' },
      card('pending_reviews', d.pending_reviews, '#/review', 'document.read'),
      card('overdue_loans', d.overdue_loans, '#/loans?state=overdue', 'loan.read'),
      card('pending_loans', d.pending_loans, '#/loans?state=requested', 'loan.approve'),
      card('open_audits', d.open_audits, '#/audit', 'audit.run'),
      card('destructions_due', d.destructions_due, '#/records', 'retention.manage')),
    can('document.read') ? h('form', {
      class: 'quick-search',
      on: { submit: (ev: Event) => {
        ev.preventDefault();
        const q = (ev.target as HTMLFormElement).querySelector('input')!.value;
        location.hash = '#/search?q=' + encodeURIComponent(q);
      } },
    }, h('input', { type: 'search', placeholder: t('search.placeholder'), 'aria-label': t('search.placeholder') }),
       h('button', { type: 'submit' }, t('search.submit'))) : null);
}
