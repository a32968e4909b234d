import { expect, test } from '@playwright/test';

import {
  goTo,
  makeImage,
  maxInitData,
  PASSWORD,
  scratchDir,
  signUp,
  uniqueName,
  uploadPhotos,
} from './helpers';

test('password sign-up, sign-out and sign-in again', async ({ page }) => {
  const name = uniqueName('alice');
  await signUp(page, name);
  // Signed in: the collection is reachable without another prompt.
  await goTo(page, 'Collection');
  await expect(page.getByRole('heading', { level: 1, name: 'Collection' })).toBeVisible();

  await goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // A wrong password is refused with the server's message; the right one works.
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password.');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.getByTestId('current-user')).toHaveText(name);
});

test('tokens stay out of page scripts, and a reload or a new tab keeps the session', async ({
  page,
  context,
}) => {
  const name = uniqueName('mem');
  await signUp(page, name);
  const stored = await page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    cookies: document.cookie,
  }));
  expect(stored.local).not.toMatch(/ey[A-Za-z0-9_-]{10,}/);
  expect(stored.session).not.toMatch(/ey[A-Za-z0-9_-]{10,}/);
  expect(stored.cookies).toBe(''); // the session cookie is HttpOnly
  const cookie = (await context.cookies()).find((c) => c.name === 'mediahub_refresh');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });

  // A reload restores the session from the cookie, without the password form.
  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText(name);
  // So does a second tab, and both keep working after each refreshes.
  const tab = await context.newPage();
  await tab.goto('/collection');
  await expect(tab.getByTestId('current-user')).toHaveText(name);
  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText(name);

  // Signing out ends it everywhere: the cookie is gone and a reload asks for the password.
  await goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The form shows at once (signed out locally first); the server's answer clears the cookie.
  await expect
    .poll(async () => (await context.cookies()).find((c) => c.name === 'mediahub_refresh'))
    .toBeUndefined();
  await tab.reload();
  await expect(tab.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('inside MAX the app signs in by itself with the signed launch data', async ({ page }) => {
  const initData = maxInitData(700_000 + Math.floor(Math.random() * 100_000), 'Maxim');
  await page.addInitScript((data) => {
    (window as unknown as { WebApp: unknown }).WebApp = {
      initData: data,
      initDataUnsafe: { user: { first_name: 'Maxim', language_code: 'en' } },
      ready: () => {},
    };
  }, initData);
  await page.goto('/collection');
  await expect(page.getByTestId('current-user')).toHaveText('Maxim');
  await expect(page.getByRole('heading', { level: 1, name: 'Collection' })).toBeVisible();
  // No password form anywhere, and no sign-out button (MAX owns the session).
  await expect(page.getByLabel('Password')).toHaveCount(0);
  await goTo(page, 'Settings');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('tampered MAX launch data is refused', async ({ page }) => {
  const initData = maxInitData(800_001, 'Mallory').replace('Mallory', 'Admin');
  await page.addInitScript((data) => {
    (window as unknown as { WebApp: unknown }).WebApp = { initData: data, ready: () => {} };
  }, initData);
  await page.goto('/collection');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('MAX did not confirm who you are');
});

test('my private photo opens on reload and from a pasted link', async ({ page, context }) => {
  const name = uniqueName('priv');
  await signUp(page, name);
  await uploadPhotos(page, [makeImage(scratchDir('priv-'), 'secret.jpg')]);
  await goTo(page, 'Collection');
  await page.locator('a.mh-tile').first().click();
  await expect(page.getByText(/^Owner:/)).toBeVisible();
  const link = page.url();
  // Before the fix most loads asked before the cookie restored the session and got a 404.
  for (let i = 0; i < 4; i += 1) {
    await page.reload();
    await expect(page.getByText(/^Owner:/)).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  }
  const pasted = await context.newPage();
  await pasted.goto(link);
  await expect(pasted.getByText(/^Owner:/)).toBeVisible();
  await expect(pasted.getByRole('alert')).toHaveCount(0);
});
