import { h, fill } from '../dom';
import { post } from '../api';
import { t } from '../i18n';
import { setMe } from '../state';
import type { Me } from '../types';
import { errorText } from '../ui';
import type { Ctx } from '../router';

export function renderLogin(ctx: Ctx, done: () => void): void {
  const user = h('input', { name: 'user', id: 'login-user', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', id: 'login-password', type: 'password',
                                autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'login-error' });
  const button = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h('form', {
    class: 'login', 'data-testid': 'login-form',
    on: {
      submit: async (ev: Event) => {
        ev.preventDefault();
        button.disabled = true;
        fill(message);
        try {
          const me = await post<Me>('/login', { user: user.value.trim(), password: password.value });
          setMe(me);
          done();
        } catch (e) {
          fill(message, t('login.failed'), ' ', errorText(e));
          password.value = '';
          password.focus();
        } finally {
          button.disabled = false;
        }
      },
    },
  },
  h('h1', null, t('app.name')),
  h('label', { for: 'login-user' }, t('login.user')), user,
  h('label', { for: 'login-password' }, t('login.password')), password,
  button, message);
  fill(ctx.main, form);
  user.focus();
}
