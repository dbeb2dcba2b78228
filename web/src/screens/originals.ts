// Paper originals: the location tree (room → cabinet → shelf → box) with the
// originals each holds, `where` for a barcode, a document or a customer,
// moves made by scanning (the item barcodes, then the destination's), and
// label sheets. Moves need original.manage and labels label.print; without
// them the panels are not shown (and the server refuses them anyway).
import { h, fill } from '../dom';
import { api, get, post, ApiError } from '../api';
import { t } from '../i18n';
import { can } from '../state';
import type { Location, Original } from '../types';
import { table, section, empty, flash, action, showError, errorText, docLink, customerLink } from '../ui';
import { cameraScanner } from '../camera';
import type { Ctx } from '../router';

interface LocationView { location: Location; originals: Original[]; }
interface MoveReply { moved: number; already_there: number; problems: { barcode: string; problem: string }[]; }

// A location barcode (LC + 6 digits + check); the server checks the check
// character, this only tells a destination from an item.
const kLocationBarcode = /^LC\d{6}[0-9A-Z]$/;

function originalsTable(list: Original[]): HTMLElement {
  return table([t('orig.barcode'), t('doc.customer'), t('doc.id'), t('doc.title'), t('orig.location'), t('orig.state')],
    list.map((o) => [
      h('span', { 'data-barcode': o.barcode }, o.barcode),
      customerLink(o.customer, o.customer_name),
      o.document ? docLink(o.document) : '',
      o.title ?? '',
      h('span', { 'data-location': o.location ?? '' }, o.location_path || o.location || ''),
      t('ostate.' + o.state),
    ]), 'originals');
}

export async function renderOriginals(ctx: Ctx): Promise<void> {
  let locations: Location[] = [];
  const tree = h('div', { class: 'loc-tree', 'data-testid': 'location-tree' });
  const detail = h('div', { class: 'loc-detail', 'data-testid': 'location-detail' });
  const whereResult = h('div', { 'data-testid': 'where-result' });
  let selected = ctx.query.get('at') ?? '';

  // Subtree totals from the parent links (each location's count is what it
  // holds directly).
  const drawTree = () => {
    const children = new Map<string, Location[]>();
    for (const l of locations) {
      const key = l.parent ?? '';
      if (!children.has(key)) children.set(key, []);
      children.get(key)!.push(l);
    }
    const total = new Map<string, number>();
    const sum = (l: Location): number => {
      const n = l.originals + (children.get(l.code) ?? []).reduce((a, c) => a + sum(c), 0);
      total.set(l.code, n);
      return n;
    };
    for (const l of children.get('') ?? []) sum(l);
    const branch = (parent: string): HTMLElement | null => {
      const mine = children.get(parent);
      if (!mine?.length) return null;
      return h('ul', null, mine.map((l) => h('li', { 'data-code': l.code, 'data-kind': l.kind },
        h('button', {
          type: 'button', class: 'loc' + (l.code === selected ? ' selected' : ''),
          on: { click: () => { selected = l.code; drawTree(); void showLocation(l.code); } },
        },
        h('span', { class: 'kind' }, t('kind.' + l.kind)), ' ',
        h('span', { class: 'code' }, l.code), l.name ? h('span', { class: 'name' }, ' ' + l.name) : null, ' ',
        h('span', { class: 'count', 'data-testid': 'count-' + l.code, title: t('orig.counttitle') },
          String(total.get(l.code) ?? 0))),
        branch(l.code))));
    };
    fill(tree, locations.length ? branch('') : empty(t('audit.nolocations')));
  };

  const loadTree = async () => {
    const r = await get<{ locations: Location[] }>('/locations', ctx.signal);
    locations = r.locations;
    drawTree();
  };

  const showLocation = async (code: string) => {
    try {
      const v = await get<LocationView>(`/locations/${encodeURIComponent(code)}`, ctx.signal);
      const l = v.location;
      fill(detail, section(`${t('kind.' + l.kind)} ${l.code}${l.name ? ' ' + l.name : ''}`,
        h('p', { class: 'hint' }, l.path, ' · ', t('orig.locbarcode'), ' ', h('code', null, l.barcode),
          l.capacity ? ` · ${t('orig.capacity', l.capacity)}` : ''),
        v.originals.length ? originalsTable(v.originals) : empty(t('orig.nonehere'))));
    } catch (e) {
      showError(e);
    }
  };

  // Where: an original's barcode, a document id or a customer code.
  const whereInput = h('input', { name: 'where', placeholder: t('orig.wherehint'), 'aria-label': t('orig.where'),
                                  autocomplete: 'off', 'data-testid': 'where-input' });
  const where = async () => {
    const item = whereInput.value.trim();
    if (!item) return;
    try {
      const r = await get<{ originals: Original[] }>(`/where?item=${encodeURIComponent(item)}`, ctx.signal);
      fill(whereResult, r.originals.length ? originalsTable(r.originals) : empty(t('orig.nowhere', item)));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        fill(whereResult, empty(t('orig.nowhere', item)));
      } else {
        showError(e);
      }
    }
  };
  whereInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') { ev.preventDefault(); void where(); }
  });

  // Moves by scanning: item barcodes collect in a list; a destination
  // (a location's barcode or code) moves them there in one move.
  const movePanel = (): HTMLElement | null => {
    if (!can('original.manage')) return null;
    const items: string[] = [];
    const input = h('input', { class: 'scan-input', name: 'move-scan', autocomplete: 'off',
                               autocapitalize: 'characters', spellcheck: 'false',
                               placeholder: t('orig.scanhere'), 'aria-label': t('orig.scanhere'),
                               'data-testid': 'move-scan' });
    const reason = h('input', { name: 'reason', placeholder: t('orig.reason'), 'aria-label': t('orig.reason'),
                                'data-testid': 'move-reason' });
    const pending = h('ul', { class: 'move-items', 'data-testid': 'move-items' });
    const result = h('div', { class: 'move-result', 'data-testid': 'move-result' });
    const drawItems = () => {
      pending.dataset.count = String(items.length);
      fill(pending, items.length ? items.map((b) => h('li', null, h('code', null, b)))
                                 : h('li', { class: 'hint' }, t('orig.scanfirst')));
    };
    const move = async (to: string) => {
      if (!items.length) {
        flash(t('orig.noitems'));
        return;
      }
      // The chain of custody records why; the scanned items wait.
      if (!reason.value.trim()) {
        fill(result, h('p', { class: 'problem', 'data-testid': 'move-needs-reason' }, t('orig.needreason')));
        reason.focus();
        return;
      }
      const barcodes = items.splice(0);
      drawItems();
      try {
        const r = await post<MoveReply>('/originals/move', { barcodes, to, reason: reason.value.trim() });
        const dest = locations.find((l) => l.code === to || l.barcode === to);
        fill(result, h('p', { class: 'ok', 'data-testid': 'moved', 'data-moved': String(r.moved) },
          t('orig.moved', r.moved, dest ? dest.path : to),
          r.already_there ? ' ' + t('orig.already', r.already_there) : ''));
        await loadTree();
        if (selected) await showLocation(selected);
        if (whereInput.value.trim()) await where();
      } catch (e) {
        items.unshift(...barcodes.filter((b) => !items.includes(b)));
        drawItems();
        fill(result, h('p', { class: 'problem', 'data-testid': 'move-refused' }, errorText(e)));
        showError(e);
      }
    };
    const scan = (raw: string) => {
      const code = raw.trim().toUpperCase();
      if (!code) return;
      const dest = locations.find((l) => l.barcode === code || l.code.toUpperCase() === code);
      if (dest || kLocationBarcode.test(code)) {
        void move(dest ? dest.code : code);
      } else if (!items.includes(code)) {
        items.push(code);
        drawItems();
      }
    };
    input.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return;
      ev.preventDefault();
      const v = input.value;
      input.value = '';
      scan(v);
    });
    drawItems();
    return section(t('orig.move'),
      h('p', { class: 'hint' }, t('orig.movehint')),
      h('div', { class: 'move-row' }, input, reason),
      cameraScanner(scan, ctx.signal),
      h('h3', null, t('orig.toscan')), pending,
      h('button', { type: 'button', on: { click: () => { items.splice(0); drawItems(); input.focus(); } } },
        t('orig.clear')),
      result);
  };

  // A label sheet: the originals in and below a location, or the
  // location labels of a subtree; downloaded as a PDF to print.
  const labelPanel = (): HTMLElement | null => {
    if (!can('label.print')) return null;
    const what = h('select', { name: 'label-what', 'aria-label': t('orig.labelwhat'), 'data-testid': 'label-what' },
      h('option', { value: 'originals' }, t('orig.labeloriginals')),
      h('option', { value: 'locations' }, t('orig.labellocations')));
    const at = h('select', { name: 'label-at', 'aria-label': t('orig.labelat'), 'data-testid': 'label-at' },
      locations.map((l) => h('option', { value: l.code, selected: l.code === selected }, l.path)));
    const stock = h('select', { name: 'stock', 'aria-label': t('orig.stock') },
      ['a4-3x8', 'a4-2x7', 'single-62x29', 'single-100x50'].map((s) => h('option', { value: s }, t('stock.' + s))));
    const qr = h('input', { type: 'checkbox', name: 'qr' });
    const out = h('p', { 'data-testid': 'label-link' });
    let url = '';
    ctx.signal.addEventListener('abort', () => { if (url) URL.revokeObjectURL(url); });
    return section(t('orig.labels'),
      h('div', { class: 'filters' },
        h('label', null, t('orig.labelwhat'), what),
        h('label', null, t('orig.labelat'), at),
        h('label', null, t('orig.stock'), stock),
        h('label', { class: 'check' }, qr, t('orig.qr')),
        action(t('orig.makelabels'), async () => {
          const body = what.value === 'originals'
            ? { at: at.value, stock: stock.value, qr: qr.checked }
            : { locations: [at.value], stock: stock.value, qr: qr.checked };
          const pdf = await api<Blob>('POST', '/labels', body, ctx.signal, 'blob');
          if (url) URL.revokeObjectURL(url);
          url = URL.createObjectURL(pdf);
          const link = h('a', { class: 'button primary', href: url, download: `labels-${at.value}.pdf`,
                                'data-testid': 'label-download' }, t('orig.download'));
          fill(out, link, ' ', h('a', { href: url, target: '_blank', rel: 'noopener' }, t('orig.print')));
          link.click();
        }, 'primary')),
      out);
  };

  await loadTree();
  fill(ctx.main,
    h('h1', null, t('orig.title')),
    h('div', { class: 'orig-layout' },
      h('div', { class: 'tree-col' }, section(t('orig.tree'), tree)),
      h('div', { class: 'work-col' },
        section(t('orig.where'), h('div', { class: 'search-row' }, whereInput,
          h('button', { type: 'button', class: 'primary', on: { click: () => void where() } }, t('orig.find'))),
          whereResult),
        movePanel(),
        detail,
        labelPanel())));
  if (selected) await showLocation(selected);
  const item = ctx.query.get('item');
  if (item) {
    whereInput.value = item;
    await where();
  }
  (ctx.main.querySelector('[data-testid=move-scan]') as HTMLInputElement | null)?.focus();
}
