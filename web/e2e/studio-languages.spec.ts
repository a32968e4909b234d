/**
 * The studio's language, model and translate options, in English and Russian at phone and
 * desktop sizes (screenshots under e2e/artifacts/screenshots/). The model list comes from the
 * worker's inventory: tiny.en for English, base for Russian and detection.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, test } from '@playwright/test';

import { accessibilityProblems, goTo, signUp, uniqueName } from './helpers';

const OUT = join(fileURLToPath(new URL('.', import.meta.url)), 'artifacts', 'screenshots');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

test('the model follows the language; translate picks a multilingual model', async ({
  browser,
}) => {
  const signedIn = await browser.newContext({ locale: 'en-GB' });
  const page = await signedIn.newPage();
  await signUp(page, uniqueName('lang'));
  await goTo(page, 'Studio');
  const model = page.getByLabel('Model');
  await expect(model).toBeEnabled({ timeout: 30_000 }); // the worker has reported its models
  await page.getByLabel('Language').selectOption('en');
  await expect(model).toHaveValue('tiny.en');
  await page.getByLabel('Language').selectOption('ru');
  await expect(model).toHaveValue('base');
  await expect(model.locator('option[value="tiny.en"]')).toBeDisabled();
  await page.getByLabel('Language').selectOption('en');
  await page.getByLabel('Translate to English').check();
  await expect(model).toHaveValue('base');
  const state = await signedIn.storageState();
  await signedIn.close();

  mkdirSync(OUT, { recursive: true });
  const problems: string[] = [];
  for (const locale of ['en-GB', 'ru-RU']) {
    for (const size of SIZES) {
      const context = await browser.newContext({
        storageState: state,
        locale,
        viewport: { width: size.width, height: size.height },
        isMobile: size.name === 'phone',
        deviceScaleFactor: 1,
      });
      const shot = await context.newPage();
      await shot.goto('/studio');
      const ru = locale.startsWith('ru');
      await expect(shot.getByLabel(ru ? 'Модель' : 'Model')).toBeEnabled({ timeout: 30_000 });
      await shot.getByLabel(ru ? 'Язык' : 'Language').selectOption('ru');
      await shot.waitForLoadState('networkidle');
      const name = `${size.name}-studio-languages-${ru ? 'ru' : 'en'}.png`;
      await shot.screenshot({ path: join(OUT, name) });
      problems.push(...(await accessibilityProblems(shot, name)));
      await context.close();
    }
  }
  expect(problems).toEqual([]);
});
