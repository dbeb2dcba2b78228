// Scans of a cabinet audit wait in localStorage until the server took them,
// so a tablet that loses its connection, or is reloaded, loses no scan. The
// queue is sent in order, one batch at a time; a batch leaves the queue only
// after the server answered 2xx.
import { post, ApiError } from './api';

const key = (audit: string) => `dossier.audit.${audit}.queue`;
const sentKey = (audit: string) => `dossier.audit.${audit}.sent`;

// The codes the server took, in order (for the live preview after a reload).
export function sent(audit: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(sentKey(audit)) ?? '[]');
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export function forget(audit: string): void {
  localStorage.removeItem(key(audit));
  localStorage.removeItem(sentKey(audit));
}

export function queued(audit: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(key(audit)) ?? '[]');
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

function store(audit: string, codes: string[]): void {
  if (codes.length) localStorage.setItem(key(audit), JSON.stringify(codes));
  else localStorage.removeItem(key(audit));
}

export function enqueue(audit: string, barcode: string): void {
  store(audit, [...queued(audit), barcode]);
}

let sending = false;

// Sends what is queued. Returns 'sent', 'empty', 'offline' (network error:
// kept for later) or throws the server's refusal (the batch stays queued
// only for a network error or a 5xx; a 4xx would fail forever, so it is
// dropped and reported).
export async function flush(audit: string): Promise<'sent' | 'empty' | 'offline' | 'busy'> {
  if (sending) return 'busy';
  const batch = queued(audit);
  if (batch.length === 0) return 'empty';
  sending = true;
  try {
    await post(`/audits/${encodeURIComponent(audit)}/scans`, { barcodes: batch });
    // New scans may have been queued while this batch was on its way.
    store(audit, queued(audit).slice(batch.length));
    localStorage.setItem(sentKey(audit), JSON.stringify([...sent(audit), ...batch]));
    return 'sent';
  } catch (e) {
    if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
      store(audit, queued(audit).slice(batch.length));
      throw e;
    }
    return 'offline';
  } finally {
    sending = false;
  }
}
