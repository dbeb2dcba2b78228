import { h, fill } from '../dom';
import { get, post, qs } from '../api';
import { t } from '../i18n';
import { can, current } from '../state';
import { fmtTime, today, addDays } from '../time';
import type { Loan } from '../types';
import { table, section, empty, flashNext, action, showError } from '../ui';
import { go, Ctx } from '../router';

// The tabs: a loan status (requested = waiting for approval), 'open' (every
// loan not finished), 'overdue' and 'all'.
const kStates = ['open', 'requested', 'overdue', 'all'];

function requestForm(): HTMLElement {
  const item = h('input', { name: 'item', required: true, placeholder: t('loan.item_hint'), 'aria-label': t('loan.item'),
                            'data-testid': 'loan-item' });
  const purpose = h('input', { name: 'purpose', required: true, 'aria-label': t('loan.purpose'), 'data-testid': 'loan-purpose' });
  const recipient = h('input', { name: 'recipient', 'aria-label': t('loan.recipient') });
  const due = h('input', { name: 'due_date', type: 'date', value: addDays(today(), 14), required: true,
                           'aria-label': t('loan.due'), 'data-testid': 'loan-due' });
  const external = h('input', { name: 'external', type: 'checkbox' });
  const electronic = h('input', { name: 'electronic', type: 'checkbox' });
  const form: HTMLFormElement = h('form', {
    class: 'loan-request', 'data-testid': 'loan-request',
    on: { submit: async (ev: Event) => {
      ev.preventDefault();
      const button = form.querySelector('button')!;
      button.disabled = true;
      try {
        const loan = await post<Loan>('/loans', {
          item: item.value.trim(), purpose: purpose.value.trim(), recipient: recipient.value.trim(),
          external: external.checked, electronic: electronic.checked, due_date: due.value,
        });
        flashNext(t('loan.requested', loan.loan));
        go('/loans', { state: 'requested' });
      } catch (e) {
        showError(e);
      } finally {
        button.disabled = false;
      }
    } },
  },
  h('label', null, t('loan.item'), item),
  h('label', null, t('loan.purpose'), purpose),
  h('label', null, t('loan.recipient'), recipient),
  h('label', null, t('loan.due'), due),
  h('label', { class: 'check' }, external, t('loan.external')),
  h('label', { class: 'check' }, electronic, t('loan.electronic')),
  h('button', { type: 'submit', class: 'primary' }, t('loan.request')));
  return form;
}

function actions(l: Loan, reload: () => void): HTMLElement {
  const me = current()?.user;
  const el = h('div', { class: 'loan-actions', 'data-loan': l.loan });
  const enc = encodeURIComponent(l.loan);
  const waiting = l.status === 'requested' || l.status === 'renewal-requested';
  if (waiting && can('loan.approve') && l.requested_by !== me) {
    const note = h('input', { name: 'note', placeholder: t('loan.note'), 'aria-label': t('loan.note') });
    el.append(note,
      action(t('loan.approve'), async () => {
        await post(`/loans/${enc}/approve`, { note: note.value.trim() });
        flashNext(t('loan.approved', l.loan));
        reload();
      }, 'primary approve'),
      action(t('loan.reject'), async () => {
        await post(`/loans/${enc}/reject`, { note: note.value.trim() });
        flashNext(t('loan.rejected', l.loan));
        reload();
      }, 'danger'));
  }
  if (l.status === 'approved' && can('loan.handle')) {
    const barcode = h('input', { name: 'barcode', placeholder: t('loan.scan'), 'aria-label': t('loan.scan'),
                                 'data-testid': 'checkout-barcode' });
    const go = action(t('loan.checkout'), async () => {
      await post(`/loans/${enc}/checkout`, { barcode: barcode.value.trim() });
      flashNext(t('loan.checkedout', l.loan));
      reload();
    }, 'primary checkout');
    barcode.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); go.click(); } });
    el.append(barcode, go);
  }
  if ((l.status === 'checked-out' || l.status === 'renewal-requested') && can('loan.handle')) {
    const barcode = h('input', { name: 'barcode', placeholder: t('loan.scan'), 'aria-label': t('loan.scan'),
                                 'data-testid': 'return-barcode' });
    const pages = h('input', { name: 'pages', type: 'number', min: 0, 'aria-label': t('loan.pages'),
                               placeholder: t('loan.pages'), 'data-testid': 'return-pages' });
    const condition = h('input', { name: 'condition', placeholder: t('loan.condition'), 'aria-label': t('loan.condition'),
                                   'data-testid': 'return-condition' });
    el.append(barcode, pages, condition, action(t('loan.return'), async () => {
      await post(`/loans/${enc}/return`, {
        barcode: barcode.value.trim(), pages_counted: Number(pages.value), condition: condition.value.trim(),
      });
      flashNext(t('loan.returned', l.loan));
      reload();
    }, 'primary return'));
  }
  return el;
}

export async function renderLoans(ctx: Ctx): Promise<void> {
  const state = ctx.query.get('state') ?? 'open';
  const reply = await get<{ loans: Loan[] }>('/loans' + qs({ state }), ctx.signal);
  const reload = () => go('/loans', { state });
  const tabs = h('nav', { class: 'tabs' }, kStates.map((s) =>
    h('a', { href: '#/loans?state=' + s, class: s === state ? 'active' : '', 'data-testid': 'tab-' + s }, t('loans.' + s))));
  fill(ctx.main,
    h('h1', null, t('loans.title')),
    tabs,
    reply.loans.length
      ? table([t('loan.id'), t('loan.item'), t('loan.status'), t('loan.requested_by'), t('loan.purpose'),
               t('loan.due'), t('loan.approvals'), ''],
              reply.loans.map((l) => [
                h('span', { 'data-testid': 'loan-id' }, l.loan),
                h('span', null, l.barcode ?? l.document ?? '', l.title ? h('br') : null, l.title ?? ''),
                h('span', { class: 'status', 'data-testid': 'loan-status-' + l.loan }, t('lstate.' + l.status)),
                `${l.requested_by} ${fmtTime(l.requested_at)}`,
                l.purpose + (l.external ? ` (${t('loan.external')})` : ''),
                h('span', { class: state === 'overdue' ? 'overdue' : '' }, l.due_date),
                `${l.approvals.filter((a) => a.decision === 'approve').length}/${l.approvals_needed}`,
                actions(l, reload),
              ]), 'loans')
      : empty(t('loans.none')),
    can('loan.request') ? section(t('loan.new'), requestForm()) : null);
}
