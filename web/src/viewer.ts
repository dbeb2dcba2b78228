// The page viewer: one <img> reused for every page, hit boxes and field boxes
// drawn over it as percentages of the page, so they follow the displayed
// size. Previews are plain image URLs: the browser's HTTP cache keeps them
// (the server sends Cache-Control), no object URLs to leak, and the pages
// next to the shown one are fetched ahead so flipping is instant.
import { h, fill } from './dom';
import { get } from './api';
import { t } from './i18n';
import type { Box, PageInfo } from './types';

export const kPreviewWidth = 1200;

export function previewUrl(doc: string, page: number, width = kPreviewWidth): string {
  return `/api/documents/${encodeURIComponent(doc)}/pages/${page}/image?width=${width}`;
}

interface HitsReply { width: number; height: number; boxes: Box[]; }

export interface ViewerOptions {
  page?: number;
  terms?: string;
  // Boxes (in page pixels) to outline on a page, e.g. a field's source words.
  fieldBoxes?: (page: number) => { box: Box; label: string }[];
  onPage?: (page: number) => void;
  signal: AbortSignal;
}

export class PageViewer {
  readonly el: HTMLElement;
  private readonly img: HTMLImageElement;
  private readonly overlay: HTMLElement;
  private readonly label: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private current = 1;
  private hitsAbort: AbortController | null = null;
  private ahead: HTMLImageElement[] = [];

  constructor(private readonly doc: string, private readonly pages: PageInfo[],
              private readonly opts: ViewerOptions) {
    this.img = h('img', { class: 'page-image', alt: '', 'data-testid': 'page-image' });
    this.overlay = h('div', { class: 'overlay', 'data-testid': 'overlay' });
    this.label = h('span', { class: 'page-label', 'data-testid': 'page-label' });
    this.prev = h('button', { type: 'button', class: 'prev', 'data-testid': 'prev',
                              on: { click: () => this.show(this.current - 1) } }, '‹ ' + t('viewer.prev'));
    this.next = h('button', { type: 'button', class: 'next', 'data-testid': 'next',
                              on: { click: () => this.show(this.current + 1) } }, t('viewer.next') + ' ›');
    this.el = h('div', { class: 'viewer' },
      h('div', { class: 'viewer-bar' }, this.prev, this.label, this.next),
      h('div', { class: 'page-frame' }, this.img, this.overlay));
    document.addEventListener('keydown', (ev) => {
      const target = ev.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' ||
                     target.tagName === 'SELECT')) return;
      if (ev.key === 'ArrowRight' || ev.key === 'PageDown') this.show(this.current + 1);
      if (ev.key === 'ArrowLeft' || ev.key === 'PageUp') this.show(this.current - 1);
    }, { signal: opts.signal });
    opts.signal.addEventListener('abort', () => this.release());
    this.show(opts.page ?? 1);
  }

  page(): number {
    return this.current;
  }

  show(n: number): void {
    const count = this.pages.length;
    if (count === 0) {
      fill(this.label, t('viewer.nopages'));
      return;
    }
    if (n < 1 || n > count) return;
    this.current = n;
    const info = this.pages[n - 1];
    fill(this.label, t('viewer.page', n, count));
    this.prev.disabled = n <= 1;
    this.next.disabled = n >= count;
    this.img.alt = t('viewer.alt', this.doc, n);
    this.img.dataset.page = String(n);
    this.img.dataset.pageWidth = String(info.width);
    this.img.dataset.pageHeight = String(info.height);
    this.img.style.aspectRatio = `${info.width} / ${info.height}`;
    this.img.src = previewUrl(this.doc, n);
    this.overlay.replaceChildren();
    this.overlay.dataset.state = 'loading';
    this.drawFieldBoxes(info);
    this.loadHits(n);
    this.fetchAhead(n);
    this.opts.onPage?.(n);
  }

  private drawFieldBoxes(info: PageInfo): void {
    const boxes = this.opts.fieldBoxes?.(info.page) ?? [];
    for (const { box, label } of boxes) {
      this.overlay.appendChild(this.boxEl(box, info.width, info.height, 'field-box', label));
    }
  }

  private boxEl(b: Box, pw: number, ph: number, cls: string, title: string): HTMLElement {
    const el = h('div', { class: cls, title });
    el.style.left = (100 * b.x / pw) + '%';
    el.style.top = (100 * b.y / ph) + '%';
    el.style.width = (100 * b.w / pw) + '%';
    el.style.height = (100 * b.h / ph) + '%';
    el.dataset.box = `${b.x},${b.y},${b.w},${b.h}`;
    return el;
  }

  private async loadHits(n: number): Promise<void> {
    this.hitsAbort?.abort();
    const terms = (this.opts.terms ?? '').trim();
    if (!terms) {
      this.overlay.dataset.state = 'ready';
      return;
    }
    const ctl = new AbortController();
    this.hitsAbort = ctl;
    try {
      const reply = await get<HitsReply>(
        `/documents/${encodeURIComponent(this.doc)}/pages/${n}/hits?q=${encodeURIComponent(terms)}`,
        ctl.signal);
      if (ctl.signal.aborted || n !== this.current) return;
      for (const b of reply.boxes) {
        const el = this.boxEl(b, reply.width, reply.height, 'hit', b.text ?? '');
        el.dataset.testid = 'hit';
        this.overlay.appendChild(el);
      }
      this.overlay.dataset.hits = String(reply.boxes.length);
      this.overlay.dataset.state = 'ready';
    } catch (e) {
      if (!ctl.signal.aborted) this.overlay.dataset.state = 'error';
    }
  }

  private fetchAhead(n: number): void {
    this.ahead = [];
    for (const m of [n + 1, n - 1]) {
      if (m >= 1 && m <= this.pages.length) {
        const im = new Image();
        im.src = previewUrl(this.doc, m);
        this.ahead.push(im);
      }
    }
  }

  private release(): void {
    this.hitsAbort?.abort();
    for (const im of this.ahead) im.src = '';
    this.ahead = [];
    this.img.removeAttribute('src');
  }
}
