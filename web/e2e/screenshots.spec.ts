/**
 * Screenshots of the main screens at phone and desktop sizes, saved as test artifacts under
 * e2e/artifacts/screenshots/ (gitignored). Each screen is also checked for its heading, so a
 * broken page fails here instead of producing a blank picture.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

import { expect, test, type Page } from '@playwright/test';

import {
  accessibilityProblems,
  goTo,
  makeImage,
  signUp,
  uniqueName,
  uploadPhotos,
  scratchDir,
} from './helpers';

const OUT = join(here, 'artifacts', 'screenshots');
const dir = scratchDir('mediahub-e2e-shots-');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

for (const size of SIZES) {
  test(`main screens at ${size.name} size (${size.width}x${size.height})`, async ({ browser }) => {
    mkdirSync(OUT, { recursive: true });
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height },
      isMobile: size.name === 'phone',
      hasTouch: size.name === 'phone',
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    const shot = async (name: string, heading: string | RegExp) => {
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(OUT, `${size.name}-${name}.png`) });
      problems.push(...(await accessibilityProblems(page, name)));
    };

    await page.goto('/settings');
    await shot('sign-in', 'Sign in');
    await signUp(page, uniqueName(size.name));
    await uploadPhotos(
      page,
      [
        makeImage(dir, 'a.jpg', 800, 600),
        makeImage(dir, 'b.jpg', 600, 800),
        makeImage(dir, 'c.jpg'),
      ],
      { isPublic: true },
    );
    await shot('upload', 'Upload');

    await goTo(page, 'Feed');
    await expect(
      page.getByRole('list', { name: 'Public photos' }).getByRole('img').first(),
    ).toBeVisible();
    await shot('feed', 'Feed');

    await goTo(page, 'Collection');
    await shot('collection', 'Collection');
    await page.getByRole('list', { name: 'Mine' }).getByRole('link').first().click();
    await expect(page.getByRole('heading', { level: 2, name: 'History' })).toBeVisible();
    await page.screenshot({ path: join(OUT, `${size.name}-photo.png`) });
    problems.push(...(await accessibilityProblems(page, 'photo')));

    await goTo(page, 'Collection');
    await page.getByRole('button', { name: 'Select' }).click();
    await page.getByRole('list', { name: 'Mine' }).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Trade by QR' }).click();
    await shot('trade', /Trade of 1 photo/);

    await goTo(page, 'Exchange');
    await shot('exchange', 'Exchange');
    await goTo(page, 'Studio');
    await shot('studio', 'Transcription studio');
    await goTo(page, 'Settings');
    await expect(page.getByRole('img', { name: 'My profile QR' }).locator('svg')).toBeVisible();
    await shot('settings', 'Settings');

    await context.close();
    expect(problems).toEqual([]);
  });
}

/** Dark mode follows the system: one desktop screenshot proves the theme switches. */
test('dark theme follows the system setting', async ({ browser }) => {
  const context = await browser.newContext({
    colorScheme: 'dark',
    viewport: { width: 1280, height: 800 },
  });
  const page: Page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-bs-theme', 'dark');
  await page.waitForLoadState('networkidle');
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, 'desktop-feed-dark.png') });
  const problems = await accessibilityProblems(page, 'feed (dark)');
  await context.close();
  expect(problems).toEqual([]);
});

/** Russian follows the browser language; the whole shell and the pages speak it. */
test('Russian interface at phone size', async ({ browser }) => {
  const context = await browser.newContext({
    locale: 'ru-RU',
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByRole('heading', { level: 1, name: 'Лента' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Основная навигация' });
  for (const label of ['Лента', 'Коллекция', 'Загрузка', 'Обмен', 'Студия', 'Настройки']) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
  await nav.getByRole('link', { name: 'Настройки' }).click();
  await expect(page.getByRole('heading', { name: 'Войти' })).toBeVisible();
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, 'phone-sign-in-ru.png') });
  const problems = await accessibilityProblems(page, 'sign-in (ru)');
  await context.close();
  expect(problems).toEqual([]);
});
