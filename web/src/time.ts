// Times come as ISO 8601 UTC; they are shown in the archive's zone (GET
// /api/me's zone), whatever the browser's own zone is.
import { zone } from './state';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(z: string): Intl.DateTimeFormat {
  let f = formats.get(z);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone: z, year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      });
    }
    formats.set(z, f);
  }
  return f;
}

// "2026-03-01T01:30:00Z" in Asia/Shanghai -> "2026-03-01 09:30".
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  const parts: Record<string, string> = {};
  for (const p of formatFor(zone()).formatToParts(d)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

// A time for a table cell: never broken over two lines.
export function when(iso: string | null | undefined): HTMLElement {
  const el = document.createElement('span');
  el.className = 'time';
  el.textContent = fmtTime(iso);
  if (iso) el.title = iso;
  return el;
}

// Today's calendar day in the archive's zone, YYYY-MM-DD.
export function today(): string {
  return fmtTime(new Date().toISOString()).slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
