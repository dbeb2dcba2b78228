// Dossier's web UI: boot, the top bar, and the routes.
import { h, fill } from './dom';
import { get, post, setUnauthenticatedHandler } from './api';
import { t, lang, setLang } from './i18n';
import { can, current, setMe } from './state';
import type { Me } from './types';
import { startScreenFlash, noPermission, showError } from './ui';
import { match, parseHash, Route, Ctx } from './router';
import { renderLogin } from './screens/login';
import { renderDashboard } from './screens/dashboard';
import { renderSearch } from './screens/search';
import { renderDocument } from './screens/document';
import { renderReviewList, renderReview } from './screens/review';
import { renderLoans } from './screens/loans';
import { renderAuditStart, renderAudit } from './screens/audit';
import { renderRecords, renderLog } from './screens/records';
import { renderCustomer } from './screens/customer';
import { renderUpload } from './screens/upload';
import { renderOriginals } from './screens/originals';
import { renderWork } from './screens/work';

const routes: Route[] = [
  { pattern: /^\/$/, render: renderDashboard },
  { pattern: /^\/search$/, permission: 'document.read', render: renderSearch },
  { pattern: /^\/doc\/([^/]+)$/, permission: 'document.read', render: renderDocument },
  { pattern: /^\/review$/, permission: 'document.read', render: renderReviewList },
  { pattern: /^\/review\/([^/]+)$/, permission: 'document.read', render: renderReview },
  { pattern: /^\/loans$/, permission: 'loan.read', render: renderLoans },
  { pattern: /^\/audit$/, permission: 'audit.run', render: renderAuditStart },
  { pattern: /^\/audit\/([^/]+)$/, permission: 'audit.run', render: renderAudit },
  { pattern: /^\/records$/, permission: 'retention.manage', render: renderRecords },
  { pattern: /^\/log$/, permission: 'log.read', render: renderLog },
  { pattern: /^\/customer\/([^/]+)$/, permission: 'customer.read', render: renderCustomer },
  { pattern: /^\/upload$/, permission: 'document.ingest', render: renderUpload },
  { pattern: /^\/originals$/, permission: 'location.read', render: renderOriginals },
  // No permission here: the screen shows the server's refusal (queue.list).
  { pattern: /^\/work$/, render: renderWork },
];

// The top bar's links, each shown only with its permission.
const nav: [string, string, string | undefined][] = [
  ['nav.dashboard', '#/', undefined],
  ['nav.search', '#/search', 'document.read'],
  ['nav.review', '#/review', 'document.read'],
  ['nav.loans', '#/loans', 'loan.read'],
  ['nav.originals', '#/originals', 'location.read'],
  ['nav.audit', '#/audit', 'audit.run'],
  ['nav.records', '#/records', 'retention.manage'],
  ['nav.log', '#/log', 'log.read'],
  ['nav.upload', '#/upload', 'document.ingest'],
  ['nav.work', '#/work', 'document.ingest'],  // queue.list
];

let screen: AbortController | null = null;

function drawTop(): void {
  const top = document.getElementById('top')!;
  const me = current();
  const langButton = h('button', {
    type: 'button', class: 'lang', 'data-testid': 'lang',
    on: { click: () => { setLang(lang() === 'zh' ? 'en' : 'zh'); drawTop(); route(); } },
  }, t('lang.other'));
  if (!me) {
    fill(top, h('span', { class: 'brand' }, t('app.name')), h('span', { class: 'spacer' }), langButton);
    return;
  }
  const path = parseHash(location.hash).path;
  fill(top,
    h('a', { class: 'brand', href: '#/' }, t('app.name')),
    h('nav', { class: 'main-nav' }, nav.filter(([, , perm]) => !perm || can(perm)).map(([key, href]) => {
      const active = href === '#/' ? path === '/' : ('#' + path).startsWith(href);
      return h('a', { href, class: active ? 'active' : '', 'data-nav': href.slice(2) || 'dashboard' }, t(key));
    })),
    h('span', { class: 'spacer' }),
    h('span', { class: 'who', 'data-testid': 'who' }, me.user),
    langButton,
    h('button', {
      type: 'button', class: 'logout', 'data-testid': 'logout',
      on: { click: async () => {
        try { await post('/logout', {}); } catch { /* the session may have ended already */ }
        setMe(null);
        location.hash = '#/';
        drawTop();
        route();
      } },
    }, t('nav.logout')));
}

async function route(): Promise<void> {
  screen?.abort();
  const controller = new AbortController();
  screen = controller;
  const main = document.getElementById('main')!;
  const { path, query } = parseHash(location.hash);
  const ctx: Ctx = { params: [], query, signal: controller.signal, main };
  startScreenFlash();
  drawTop();
  if (!current()) {
    renderLogin(ctx, () => { drawTop(); route(); });
    return;
  }
  const found = match(routes, path);
  if (!found) {
    fill(main, h('h1', null, t('notfound')));
    return;
  }
  ctx.params = found.params;
  if (found.route.permission && !can(found.route.permission)) {
    fill(main, noPermission());
    return;
  }
  main.dataset.screen = path.split('/')[1] || 'dashboard';
  fill(main, h('p', { class: 'loading' }, t('loading')));
  try {
    await found.route.render(ctx);
  } catch (e) {
    if (controller.signal.aborted) return;
    fill(main, h('p', { class: 'empty' }, t('loadfailed')));
    showError(e);
  }
}

async function boot(): Promise<void> {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  setUnauthenticatedHandler(() => {
    setMe(null);
    drawTop();
    route();
  });
  try {
    setMe(await get<Me>('/me'));
  } catch {
    setMe(null);
  }
  window.addEventListener('hashchange', () => void route());
  await route();
}

void boot();
