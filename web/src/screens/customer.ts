import { h, fill } from '../dom';
import { get } from '../api';
import { t } from '../i18n';
import { fmtTime } from '../time';
import type { CustomerFile, Original } from '../types';
import { can } from '../state';
import { table, section, empty, docLink, customerLink, typeLabel, statusLabel } from '../ui';
import type { Ctx } from '../router';

export async function renderCustomer(ctx: Ctx): Promise<void> {
  const code = ctx.params[0];
  const c = await get<CustomerFile>(`/customers/${encodeURIComponent(code)}`, ctx.signal);
  // Where each original of the file is now (location.read).
  if (!c.originals && can('location.read')) {
    const where = await get<{ originals: Original[] }>(`/where?item=${encodeURIComponent(c.code)}`, ctx.signal);
    c.originals = where.originals;
  }
  const row = (k: string, v: Node | string | null | undefined) => [h('dt', null, t(k)), h('dd', null, v ?? '—')];
  fill(ctx.main,
    h('h1', null, c.name, ' ', h('small', null, c.code)),
    h('dl', { class: 'meta-list' },
      row('cust.kind', t('ckind.' + c.kind)),
      row('cust.parent', c.parent ? customerLink(c.parent) : null),
      row('cust.uscc', c.uscc), row('cust.id_number', c.id_number),
      row('cust.phone', c.phone), row('cust.email', c.email), row('cust.address', c.address),
      row('doc.created', `${c.created_by} ${fmtTime(c.created_at)}`)),
    section(t('cust.documents'), c.documents.length
      ? table([t('doc.id'), t('doc.title'), t('doc.type'), t('doc.status'), t('doc.archive_number'), t('doc.pages')],
              c.documents.map((d) => [docLink(d.document), d.title, typeLabel(d.type), statusLabel(d.status),
                                      d.archive_number ?? '', String(d.pages)]))
      : empty(t('cust.nodocuments'))),
    c.originals ? section(t('doc.originals'), c.originals.length
      ? table([t('orig.barcode'), t('doc.id'), t('doc.title'), t('orig.location'), t('orig.state'), t('orig.loan')],
              c.originals.map((o) => [o.barcode, o.document ? docLink(o.document) : '', o.title ?? '',
                                      o.location_path || o.location, t('ostate.' + o.state), o.loan ?? '']), 'originals')
      : empty(t('doc.nooriginal'))) : null,
    section(t('cust.contacts'), c.contacts.length
      ? table([t('cust.role'), t('cust.name'), t('cust.phone'), t('cust.email')],
              c.contacts.map((x) => [x.role, x.name, x.phone ?? '', x.email ?? '']))
      : empty(t('cust.nocontacts'))),
    section(t('cust.members'), c.members.length
      ? table([t('cust.code'), t('cust.name')], c.members.map((m) => [customerLink(m.code), m.name]))
      : empty(t('cust.nomembers'))));
}
