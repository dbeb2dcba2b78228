// The one way the UI talks to the server: JSON in and out, the CSRF token on
// every change, errors as ApiError with the server's stable code.

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => {};

export function setCsrf(token: string): void {
  csrfToken = token;
}

export function csrf(): string {
  return csrfToken;
}

export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status;
  let message = res.statusText || String(res.status);
  try {
    const body = await res.json();
    if (body && body.error) {
      code = String(body.error.code ?? code);
      message = String(body.error.message ?? message);
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message);
}

// as 'blob': the body as a Blob (a PDF to download), whatever its type.
export async function api<T>(method: string, path: string, body?: unknown,
                             signal?: AbortSignal, as: 'json' | 'blob' = 'json'): Promise<T> {
  const headers: Record<string, string> = { Accept: as === 'blob' ? '*/*' : 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch('/api' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', String(e));
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && path !== '/login' && path !== '/me') onUnauthenticated();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  if (as === 'blob') return (await res.blob()) as T;
  const type = res.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>('GET', path, undefined, signal);
export const post = <T>(path: string, body: unknown = {}, signal?: AbortSignal) =>
  api<T>('POST', path, body, signal);

// Query string from the set values only.
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? '?' + s : '';
}

// Uploads a file as the raw body with progress (fetch has no upload
// progress; XMLHttpRequest does).
export function upload(path: string, file: Blob,
                       onProgress: (sent: number, total: number) => void): Promise<any> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api' + path);
    xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (ev) => onProgress(ev.loaded, ev.total || file.size);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onload = () => {
      let body: any = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
      } else {
        reject(new ApiError(xhr.status, body?.error?.code ?? 'http_' + xhr.status,
                            body?.error?.message ?? xhr.statusText));
      }
    };
    xhr.send(file);
  });
}
