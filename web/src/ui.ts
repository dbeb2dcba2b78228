// Shared pieces of the screens: the message line, tables, labels.
import { h, fill, Child } from './dom';
import { ApiError } from './api';
import { t, tOr } from './i18n';

export function flash(message: string, kind: 'error' | 'ok' = 'error'): void {
  const el = document.getElementById('flash');
  if (!el) return;
  fill(el, message ? h('p', { class: 'flash ' + kind, 'data-kind': kind }, message) : null);
}

// A message for the screen the next navigation draws (an action that
// reloads its screen reports through this, or the reload would clear it).
let next: { message: string; kind: 'error' | 'ok' } | null = null;

export function flashNext(message: string, kind: 'error' | 'ok' = 'ok'): void {
  next = { message, kind };
}

// Called by the router when a screen starts: shows the message left for it,
// or clears the old one.
export function startScreenFlash(): void {
  if (next) {
    flash(next.message, next.kind);
    next = null;
  } else {
    flash('');
  }
}

export function clearFlash(): void {
  flash('');
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const known = tOr('err.' + e.code, '');
    return known ? `${known} (${e.message})` : `${e.code}: ${e.message}`;
  }
  return String(e);
}

export function showError(e: unknown): void {
  if (e instanceof DOMException && e.name === 'AbortError') return;
  flash(errorText(e), 'error');
}

export function table(headers: string[], rows: Child[][], cls = ''): HTMLTableElement {
  return h('table', { class: 'grid ' + cls },
    h('thead', null, h('tr', null, headers.map((x) => h('th', null, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))));
}

export function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

export function typeLabel(type: string): string {
  return tOr('type.' + type, type);
}

export function statusLabel(status: string): string {
  return tOr('status.' + status, status);
}

export function docLink(id: string, label?: string): HTMLAnchorElement {
  return h('a', { href: '#/doc/' + encodeURIComponent(id) }, label ?? id);
}

export function customerLink(code: string, name?: string): HTMLAnchorElement {
  return h('a', { href: '#/customer/' + encodeURIComponent(code) }, name ? `${name} (${code})` : code);
}

export function section(title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

// detail: the server's own refusal, for a screen that asked the server
// rather than deciding from the user's permissions.
export function noPermission(detail?: string): HTMLElement {
  return h('div', { class: 'refused', 'data-testid': 'refused' },
    h('h1', null, t('refused.title')), h('p', null, t('refused.text')),
    detail ? h('p', { class: 'problem', 'data-testid': 'refused-detail' }, detail) : null);
}

// A button that disables itself while its action runs and reports errors.
export function action(label: string, run: () => Promise<void>, cls = ''): HTMLButtonElement {
  const b: HTMLButtonElement = h('button', {
    type: 'button', class: cls,
    on: {
      click: async () => {
        b.disabled = true;
        try {
          await run();
        } catch (e) {
          showError(e);
        } finally {
          b.disabled = false;
        }
      },
    },
  }, label);
  return b;
}
