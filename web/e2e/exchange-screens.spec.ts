/**
 * Screenshots of the exchange screens (issue 19: items 3 and 5) in English and Russian at phone
 * and desktop sizes, under e2e/artifacts/screenshots/: a trade page with its photos, the exchange
 * page with an incoming transfer, a named toast, and the header's banners when the server is
 * unreachable or live updates are down. Each is checked for what it must show.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test, type Browser, type Page } from '@playwright/test';

import {
  accessibilityProblems,
  makeImage,
  scratchDir,
  SCREENSHOTS,
  SIZES,
  uniqueName,
} from './helpers';
import { makeTrade, offer, register, signIn, uploadPhoto } from './exchangeSetup';

const dir = scratchDir('mediahub-e2e-xshots-');
const TEXT = {
  en: {
    photos: 'Photos in this trade',
    incoming: 'Transfers to me',
    toast: (name: string) => `${name} offers you the photo “Rain”.`,
    unreachable: 'Cannot reach the server. Retrying…',
    liveLost: /Live updates are disconnected/,
  },
  ru: {
    photos: 'Фотографии в этом обмене',
    incoming: 'Передачи мне',
    toast: (name: string) => `${name} предлагает вам фотографию «Дождь».`,
    unreachable: 'Нет связи с сервером. Повторяем попытку…',
    liveLost: /Обновления в реальном времени отключены/,
  },
} as const;

type Size = (typeof SIZES)[number];

async function open(browser: Browser, size: Size, locale: string, username: string) {
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    isMobile: size.name === 'phone',
    hasTouch: size.name === 'phone',
    deviceScaleFactor: 1,
    locale,
  });
  await signIn(context, username);
  return { context, page: await context.newPage() };
}

/** Waits until every image on the page has loaded (thumbnails are the point of these shots). */
async function imagesLoaded(page: Page) {
  await expect
    .poll(() =>
      page.evaluate(() =>
        Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0),
      ),
    )
    .toBe(true);
}

for (const size of SIZES) {
  test(`exchange screens at ${size.name} size, English and Russian`, async ({ browser }) => {
    test.setTimeout(240_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const setup = await browser.newContext();
    const alice = await register(setup, uniqueName('alice'), 'Алиса');
    const bobSetup = await browser.newContext();
    const bob = await register(bobSetup, uniqueName('bob'), 'Борис');
    const titles = ['Закат над Волгой', 'Кот на крыше', 'Мост через реку', 'Rain', 'Дождь'];
    const ids: string[] = [];
    for (const [i, title] of titles.entries())
      ids.push(await uploadPhoto(alice, makeImage(dir, `x${i}.jpg`, 480, 360), title));
    const tradeId = await makeTrade(alice, [ids[0]!, ids[1]!]);
    await offer(alice, ids[2]!, bob);
    const problems: string[] = [];

    for (const [lang, locale, toastPhoto] of [
      ['en', 'en-GB', ids[3]!],
      ['ru', 'ru-RU', ids[4]!],
    ] as const) {
      const text = TEXT[lang];
      const shot = async (page: Page, name: string) => {
        await page.screenshot({ path: join(SCREENSHOTS, `${size.name}-${lang}-${name}.png`) });
        problems.push(...(await accessibilityProblems(page, `${name} (${lang})`)));
      };

      const a = await open(browser, size, locale, alice.username);
      await a.page.goto(`/exchange/trades/${tradeId}`);
      const photos = a.page.getByRole('list', { name: text.photos });
      await expect(photos.getByRole('img')).toHaveCount(2);
      await expect(photos).toContainText('Закат над Волгой');
      await imagesLoaded(a.page);
      await shot(a.page, 'trade');
      await a.context.close();

      const b = await open(browser, size, locale, bob.username);
      await b.page.goto('/exchange');
      const incoming = b.page.getByRole('heading', { name: text.incoming });
      await expect(incoming).toBeVisible();
      await expect(b.page.getByRole('img', { name: 'Мост через реку' })).toBeVisible();
      await imagesLoaded(b.page);
      await expect(b.page.locator('[data-live]')).toHaveAttribute('data-live', 'open');
      await shot(b.page, 'exchange-incoming');

      await offer(alice, toastPhoto, bob);
      await expect(b.page.locator('.mh-toasts')).toContainText(text.toast('Алиса'));
      await imagesLoaded(b.page);
      await shot(b.page, 'toast');

      await b.page.route('**/api/ready', (route) => route.abort());
      await b.page.reload();
      await expect(b.page.getByText(text.unreachable)).toBeVisible();
      await expect(b.page.getByRole('heading', { name: text.incoming })).toBeVisible();
      await shot(b.page, 'header-unreachable');
      await b.page.unroute('**/api/ready');

      await b.page.routeWebSocket(/\/api\/ws/, (ws) => ws.close());
      await b.page.reload();
      await expect(b.page.getByText(text.liveLost)).toBeVisible({ timeout: 15_000 });
      await shot(b.page, 'header-live-lost');
      await b.context.close();
    }
    await setup.close();
    await bobSetup.close();
    expect(problems).toEqual([]);
  });
}
