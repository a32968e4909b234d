/**
 * API errors on screen, in Russian and English, at phone and desktop sizes: a wrong password,
 * an invalid username (the rules shown before the first try), an empty upload and an unknown
 * trade code. Each message is the app's own text for the error's code; the server's English
 * `detail`, a regular expression or an id never reaches the page. Screenshots go to
 * e2e/artifacts/screenshots/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { accessibilityProblems, PASSWORD, SCREENSHOTS, SIZES, uniqueName } from './helpers';

const TEXT = {
  en: {
    locale: 'en-GB',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    register: 'Create account',
    needAccount: 'No account yet? Create one',
    wrongPassword: 'Wrong username or password.',
    rules: /At least 8 characters/,
    badUsername: /The username must be 3–32 characters long/,
    emptyFile: 'The file is empty.',
    code: 'Code',
    claim: 'Claim',
    unknownTrade: 'There is no trade with this code.',
  },
  ru: {
    locale: 'ru-RU',
    username: 'Имя пользователя',
    password: 'Пароль',
    signIn: 'Войти',
    register: 'Создать аккаунт',
    needAccount: 'Нет аккаунта? Создайте',
    wrongPassword: 'Неверное имя пользователя или пароль.',
    rules: /Не короче 8 символов/,
    badUsername: /Имя пользователя — от 3 до 32 символов/,
    emptyFile: 'Файл пустой.',
    code: 'Код',
    claim: 'Получить',
    unknownTrade: 'Обмена с таким кодом нет.',
  },
} as const;

/** Nothing a person should not read: English server phrases, regex syntax, UUIDs. */
async function expectNothingRaw(page: Page): Promise<void> {
  const text = await page.locator('main').innerText();
  // The server's `detail` starts a line in lower case; the app's own sentences do not.
  expect(text).not.toMatch(
    /^(wrong username or password|the file is empty|no trade with this code)/m,
  );
  expect(text).not.toMatch(/\^\[|\]\{|\{2,31\}/);
  expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
}

for (const size of SIZES) {
  for (const language of ['ru', 'en'] as const) {
    test(`error messages in ${language} at ${size.name} size`, async ({ browser }) => {
      const t = TEXT[language];
      mkdirSync(SCREENSHOTS, { recursive: true });
      const context = await browser.newContext({
        locale: t.locale,
        viewport: { width: size.width, height: size.height },
        isMobile: size.name === 'phone',
        hasTouch: size.name === 'phone',
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      const problems: string[] = [];
      const shot = async (name: string) => {
        await expectNothingRaw(page);
        await page.screenshot({
          path: join(SCREENSHOTS, `${size.name}-${language}-error-${name}.png`),
        });
        problems.push(...(await accessibilityProblems(page, `${name} (${language})`)));
      };

      await page.goto('/settings');
      await page.getByLabel(t.username).fill(uniqueName('nobody'));
      await page.getByLabel(t.password, { exact: true }).fill('not the password 1');
      await page.getByRole('button', { name: t.signIn, exact: true }).click();
      await expect(page.getByRole('alert').filter({ hasText: t.wrongPassword })).toBeVisible();
      await shot('sign-in');

      await page.getByRole('button', { name: t.needAccount }).click();
      await expect(page.getByText(t.rules)).toBeVisible(); // before any attempt
      await page.getByLabel(t.username).fill('ab!');
      await page.getByLabel(t.password, { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: t.register, exact: true }).click();
      await expect(page.getByRole('alert').filter({ hasText: t.badUsername })).toBeVisible();
      await shot('username');

      const name = uniqueName(size.name);
      await page.getByLabel(t.username).fill(name);
      await page.getByRole('button', { name: t.register, exact: true }).click();
      await expect(page.getByTestId('current-user')).toHaveText(name);

      await page.goto('/upload');
      await page.locator('#up-files').setInputFiles({
        name: 'empty.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.alloc(0),
      });
      await expect(page.getByRole('alert').filter({ hasText: t.emptyFile })).toBeVisible();
      await shot('upload');

      await page.goto('/exchange');
      await page.getByPlaceholder(t.code).fill('ZZZZZZZZ');
      await page.getByRole('button', { name: t.claim, exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: t.unknownTrade })).toBeVisible();
      await shot('trade');

      await context.close();
      expect(problems).toEqual([]);
    });
  }
}
