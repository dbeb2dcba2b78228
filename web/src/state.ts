// Who is logged in, and what they may do. The UI hides what the user's
// permissions do not allow; the server is the one that refuses.
import type { Me } from './types';
import { setCsrf } from './api';

let me: Me | null = null;

export function current(): Me | null {
  return me;
}

export function setMe(value: Me | null): void {
  me = value;
  setCsrf(value ? value.csrf : '');
}

export function can(permission: string): boolean {
  return !!me && me.permissions.includes(permission);
}

export function zone(): string {
  return me?.zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
}
