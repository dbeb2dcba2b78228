// Hash routes: "#/doc/D000001?page=2&q=合同". Each navigation aborts the
// previous screen's signal (its fetches, its listeners) and replaces the
// main element's children, so nothing of an old screen stays alive.

export interface Ctx {
  params: string[];
  query: URLSearchParams;
  signal: AbortSignal;
  main: HTMLElement;
}

export interface Route {
  pattern: RegExp;
  permission?: string;
  render: (ctx: Ctx) => Promise<void> | void;
}

export function parseHash(hash: string): { path: string; query: URLSearchParams } {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  return { path: path || '/', query };
}

export function go(path: string, query?: Record<string, string | number | undefined>): void {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  const target = '#' + path + (s ? '?' + s : '');
  if (location.hash === target) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = target;
  }
}

export function match(routes: Route[], path: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return null;
}
