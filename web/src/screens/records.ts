import { h, fill } from '../dom';
import { get, post, qs } from '../api';
import { t } from '../i18n';
import { can, current } from '../state';
import { fmtTime, when } from '../time';
import type { DestructionBatch, Hold, LogEntry, RetentionStatus } from '../types';
import { table, section, empty, flashNext, action, docLink, typeLabel } from '../ui';
import { go, Ctx } from '../router';

export async function renderRecords(ctx: Ctx): Promise<void> {
  const [due, holds, batches] = await Promise.all([
    get<{ due: RetentionStatus[] } | RetentionStatus[]>('/retention/due', ctx.signal),
    get<{ holds: Hold[] } | Hold[]>('/holds', ctx.signal),
    get<{ batches: DestructionBatch[] }>('/destruction', ctx.signal),
  ]);
  const dueList = Array.isArray(due) ? due : (due.due ?? []);
  const holdList = Array.isArray(holds) ? holds : (holds.holds ?? []);
  const me = current()?.user;
  fill(ctx.main,
    h('h1', null, t('records.title')),
    section(t('records.due'), dueList.length
      ? table([t('doc.id'), t('doc.title'), t('doc.type'), t('records.event'), t('records.dueon'), t('records.blocked')],
              dueList.map((s) => [docLink(s.document), s.title, typeLabel(s.type),
                                  `${t('event.' + s.event)} ${s.event_date ?? ''}`, s.due_on ?? '',
                                  s.blocked_by.join('; ')]))
      : empty(t('records.nodue'))),
    section(t('records.holds'), holdList.length
      ? table([t('hold.id'), t('hold.target'), t('hold.reason'), t('hold.placed')],
              holdList.map((x) => [x.hold, x.target, x.reason, `${x.placed_by} ${fmtTime(x.placed_at)}`]))
      : empty(t('records.noholds'))),
    section(t('records.destruction'), batches.batches.length
      ? h('div', { class: 'batches' }, batches.batches.map((b) => h('div', { class: 'batch', 'data-batch': b.batch },
          h('h3', null, `${b.batch} · ${t('bstate.' + b.status)}`),
          h('p', null, t('records.proposed', b.proposed_by, fmtTime(b.proposed_at)), b.reason ? ` — ${b.reason}` : ''),
          b.approved_by ? h('p', null, t('records.approvedby', b.approved_by, fmtTime(b.approved_at))) : null,
          table([t('doc.id'), t('doc.title'), t('doc.customer'), t('records.dueon')],
                b.items.map((i) => [i.document, i.title, i.customer_name || i.customer, i.due_on])),
          b.status === 'proposed' && can('retention.manage') && b.proposed_by !== me
            ? action(t('records.approve'), async () => {
                await post(`/destruction/${encodeURIComponent(b.batch)}/approve`, {});
                flashNext(t('records.destroyed', b.batch));
                go('/records');
              }, 'danger approve-destruction')
            : null)))
      : empty(t('records.nobatches'))),
    can('log.read') ? h('p', null, h('a', { href: '#/log' }, t('nav.log'))) : null);
}

export async function renderLog(ctx: Ctx): Promise<void> {
  const user = ctx.query.get('user') ?? '';
  const reply = await get<{ entries: LogEntry[] } | LogEntry[]>('/log' + qs({ limit: 200, user }), ctx.signal);
  const entries = Array.isArray(reply) ? reply : (reply.entries ?? []);
  const who = h('input', { name: 'user', value: user, placeholder: t('hist.by'), 'aria-label': t('hist.by') });
  fill(ctx.main,
    h('h1', null, t('log.title')),
    h('form', { class: 'log-filter', on: { submit: (ev: Event) => { ev.preventDefault(); go('/log', { user: who.value.trim() }); } } },
      who, h('button', { type: 'submit' }, t('search.submit'))),
    entries.length
      ? table([t('log.seq'), t('hist.at'), t('hist.by'), t('log.operation'), t('log.records'), t('log.outcome'), t('log.detail')],
              entries.map((e) => [String(e.seq), when(e.at), e.by, e.operation,
                                  Array.isArray(e.records) ? e.records.join(' ') : String(e.records ?? ''),
                                  h('span', { class: 'outcome ' + (e.outcome === 'ok' ? 'ok' : 'bad') }, e.outcome),
                                  e.detail ?? '']), 'log')
      : empty(t('log.none')));
}
