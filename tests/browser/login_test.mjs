// Logging in: a wrong password is refused on the login form, the right one
// opens the dashboard with only the screens the role allows, the language
// switch changes the UI, and logout ends the session.
import { run, assert } from './lib.mjs';

await run('login', async (s) => {
  const page = await s.newPage();
  await page.goto(s.url + '/');
  await page.locator('[data-testid=login-form]').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.match(await page.locator('form.login').textContent(), /用户名/);
  await s.shot(page, 'login');

  await page.locator('#login-user').fill('clerk1');
  await page.locator('#login-password').fill('wrong-password');
  await page.locator('form.login button[type=submit]').click();
  await page.locator('[data-testid=login-error]', { hasText: '登录失败' }).waitFor();
  assert.equal(await page.locator('[data-testid=who]').count(), 0);

  await s.login(page, 'clerk1');
  await page.locator('[data-testid=card-pending_reviews]').waitFor();
  const nav = await page.locator('.main-nav a').allTextContents();
  assert.ok(nav.includes('检索'), `nav: ${nav}`);
  assert.ok(nav.includes('借阅'), `nav: ${nav}`);
  assert.ok(!nav.includes('档案管理'), `a clerk sees no records screen: ${nav}`);
  assert.ok(!nav.includes('盘点'), `a clerk sees no audit screen: ${nav}`);
  const pending = Number(await page.locator('[data-testid=card-pending_reviews] .count').textContent());
  assert.equal(pending, 1, 'one document waits for review');
  await s.shot(page, 'dashboard');

  await page.locator('[data-testid=lang]').click();
  await page.locator('.main-nav a', { hasText: 'Search' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await s.shot(page, 'dashboard-en');
  await page.locator('[data-testid=lang]').click();
  await page.locator('.main-nav a', { hasText: '检索' }).waitFor();

  // The session cookie is HttpOnly: page script cannot read it.
  assert.ok(!(await page.evaluate(() => document.cookie)).includes('dossier_session'));
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'dossier_session');
  assert.ok(session, 'session cookie set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');

  await page.locator('[data-testid=logout]').click();
  await page.locator('[data-testid=login-form]').waitFor();
  await page.reload();
  await page.locator('[data-testid=login-form]').waitFor();
  const me = await page.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(me, 401, 'after logout the old cookie is no session');
});
