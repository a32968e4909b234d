/**
 * What a Russian-speaking user walking the app found (issue 19's "done when"), in English and
 * Russian at phone and desktop sizes; screenshots under e2e/artifacts/screenshots/walk-*.png.
 * - "Мои обмены": a trade's date beside its link broke into four lines on a phone.
 * - The studio's model list said "141.0 MB" in Russian.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { makeImage, scratchDir, SCREENSHOTS, SIZES, uniqueName } from './helpers';
import { makeTrade, register, signIn, uploadPhoto } from './exchangeSetup';

const dir = scratchDir('mediahub-e2e-walk-');
const TEXT = {
  en: { mine: 'My trades', model: 'Model', unit: / MB /, wrongUnit: / МБ / },
  ru: { mine: 'Мои обмены', model: 'Модель', unit: / МБ /, wrongUnit: / MB / },
} as const;

for (const size of SIZES) {
  test(`a Russian user's walk at ${size.name} size, English and Russian`, async ({ browser }) => {
    test.setTimeout(180_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const setup = await browser.newContext();
    const alice = await register(setup, uniqueName('walk'), 'Алиса');
    const photo = await uploadPhoto(alice, makeImage(dir, 'w.jpg', 480, 360), 'Закат');
    await makeTrade(alice, [photo]);
    for (const lang of ['en', 'ru'] as const) {
      const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        isMobile: size.name === 'phone',
        hasTouch: size.name === 'phone',
        locale: lang === 'ru' ? 'ru-RU' : 'en-GB',
      });
      await signIn(context, alice.username);
      const page = await context.newPage();

      await page.goto('/exchange');
      const row = page
        .getByRole('heading', { name: TEXT[lang].mine })
        .locator('xpath=following-sibling::ul[1]/li')
        .first();
      const date = row.getByText(/2\d{3}/);
      await expect(date).toBeVisible();
      // One line: no taller than 1.5 of its line height.
      const box = await date.evaluate((el) => ({
        height: el.getBoundingClientRect().height,
        line: parseFloat(getComputedStyle(el).lineHeight),
      }));
      expect(box.height).toBeLessThan(box.line * 1.5);
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `walk-exchange-${size.name}-${lang}.png`) });

      await page.goto('/studio');
      const model = page.getByLabel(TEXT[lang].model);
      await expect(model).toBeEnabled({ timeout: 30_000 });
      const options = await model.locator('option').allTextContents();
      const sized = options.filter((o) => /\d ?[MМ][BБ] /.test(o));
      expect(sized.length).toBeGreaterThan(0);
      for (const option of sized) {
        expect(option).toMatch(TEXT[lang].unit);
        expect(option).not.toMatch(TEXT[lang].wrongUnit);
      }
      await page.screenshot({ path: join(SCREENSHOTS, `walk-studio-${size.name}-${lang}.png`) });
      await context.close();
    }
    await setup.close();
  });
}
