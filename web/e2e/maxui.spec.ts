/**
 * The gallery inside MAX and in a browser, in Russian and English, at phone and desktop size:
 * MAX's back button on inner pages (and no in-page back link there), a haptic on a favorite,
 * MAX UI's look (html[data-mh-max]), and the photo page giving the picture the screen. The MAX
 * bridge is a fake injected before the app loads, carrying launch data signed by this server,
 * so the sign-in is the real one; it records every call the app makes.
 * Screenshots: SCREENSHOTS/<size>-<lang>-maxui-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test, type Browser, type Page } from '@playwright/test';

import {
  SCREENSHOTS,
  SIZES,
  accessibilityProblems,
  makeImage,
  maxInitData,
  scratchDir,
  uploadPhotos,
} from './helpers';

type Size = (typeof SIZES)[number];
type Lang = 'en' | 'ru';

const TEXT = {
  en: {
    favorite: 'Add to favorites',
    favorited: 'In favorites',
    history: 'History',
    studio: 'Transcription studio',
    people: 'Remembered voices',
    feed: 'Feed',
    collection: 'Collection',
    upload: 'Upload',
    choose: 'Choose files',
    noFiles: 'No files chosen',
  },
  ru: {
    favorite: 'В избранное',
    favorited: 'В избранном',
    history: 'История',
    studio: 'Студия расшифровки',
    people: 'Запомненные голоса',
    feed: 'Лента',
    collection: 'Коллекция',
    upload: 'Загрузка',
    choose: 'Выбрать файлы',
    noFiles: 'Файлы не выбраны',
  },
} as const;

const dir = scratchDir('mediahub-e2e-maxui-');

/** A page inside MAX (fake bridge, real signed launch data) or in a plain browser. */
async function open(
  browser: Browser,
  size: Size,
  lang: Lang,
  inMax: { initData: string; colorScheme?: 'dark' } | null,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    isMobile: size.name === 'phone',
    hasTouch: size.name === 'phone',
    deviceScaleFactor: 1,
    locale: lang === 'ru' ? 'ru-RU' : 'en-GB',
  });
  const page = await context.newPage();
  if (inMax) {
    await page.addInitScript(
      ({ data, language, colorScheme }) => {
        const calls: string[] = [];
        const backHandlers = new Set<() => void>();
        const w = window as unknown as Record<string, unknown>;
        w.__maxCalls = calls;
        w.__maxPressBack = () => backHandlers.forEach((cb) => cb());
        w.WebApp = {
          initData: data,
          initDataUnsafe: { user: { first_name: 'Max', language_code: language } },
          platform: 'ios',
          colorScheme,
          ready: () => calls.push('ready'),
          BackButton: {
            show: () => calls.push('back.show'),
            hide: () => calls.push('back.hide'),
            onClick: (cb: () => void) => backHandlers.add(cb),
            offClick: (cb: () => void) => backHandlers.delete(cb),
          },
          HapticFeedback: {
            impactOccurred: (style: string) => calls.push(`impact:${style}`),
            notificationOccurred: (type: string) => calls.push(`notification:${type}`),
            selectionChanged: () => calls.push('selection'),
          },
        };
      },
      { data: inMax.initData, language: lang, colorScheme: inMax.colorScheme },
    );
  }
  return page;
}

const calls = (page: Page) =>
  page.evaluate(() => (window as unknown as { __maxCalls: string[] }).__maxCalls);

/** The state of MAX's back button: the last show or hide the app called. */
async function backButton(page: Page): Promise<'shown' | 'hidden'> {
  const last = (await calls(page)).filter((c) => c.startsWith('back.')).at(-1);
  return last === 'back.show' ? 'shown' : 'hidden';
}

for (const size of SIZES) {
  test(`inside MAX and out, ru and en, at ${size.name} size`, async ({ browser }) => {
    test.setTimeout(180_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const problems: string[] = [];
    const shot = async (page: Page, lang: Lang, name: string) => {
      await page.waitForLoadState('networkidle');
      await page.evaluate(() => window.scrollTo(0, 0)); // a click may have scrolled the page
      await page.screenshot({ path: join(SCREENSHOTS, `${size.name}-${lang}-maxui-${name}.png`) });
      problems.push(...(await accessibilityProblems(page, `${name} (${lang}, ${size.name})`)));
    };
    const initData = maxInitData(600_000 + Math.floor(Math.random() * 99_000), 'Max');

    // Photos to look at: uploaded inside MAX, so the MAX user owns them.
    const setup = await open(browser, size, 'en', { initData });
    await setup.goto('/collection');
    await expect(setup.getByTestId('current-user')).toHaveText('Max');
    await uploadPhotos(
      setup,
      [makeImage(dir, 'wide.jpg', 1200, 800), makeImage(dir, 'tall.jpg', 600, 900)],
      { isPublic: true },
    );
    // The batch settled: one success haptic, not one per file.
    expect((await calls(setup)).filter((c) => c === 'notification:success')).toHaveLength(1);
    await setup.goto('/collection');
    await setup.getByRole('list', { name: 'Mine' }).getByRole('link').first().click();
    await expect(setup).toHaveURL(/\/photos\//);
    const photoPath = new URL(setup.url()).pathname;
    await setup.context().close();

    for (const lang of ['ru', 'en'] as const) {
      const t = TEXT[lang];

      // Inside MAX: MAX's look, its back button on the photo page, a haptic on the favorite.
      const max = await open(browser, size, lang, { initData });
      await max.goto('/');
      await expect(max.getByRole('heading', { level: 1, name: t.feed })).toBeVisible();
      await expect(max.locator('html')).toHaveAttribute('data-mh-max', '');
      expect(await backButton(max)).toBe('hidden');
      await expect(max.getByRole('main').getByRole('img').first()).toBeVisible();
      await shot(max, lang, 'feed-in-max');

      await max.getByRole('main').getByRole('listitem').getByRole('link').first().click();
      await expect(max.getByRole('heading', { level: 2, name: t.history })).toBeVisible();
      expect(await backButton(max)).toBe('shown');
      await max.getByRole('button', { name: t.favorite }).click();
      await expect(max.getByRole('button', { name: t.favorited })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
      expect(await calls(max)).toContain('impact:medium');
      await photoFillsTheScreen(max, size);
      await shot(max, lang, 'photo-in-max');
      // And back out of the favorites (the next language starts from the same photo).
      await max.getByRole('button', { name: t.favorited }).click();
      await expect(max.getByRole('button', { name: t.favorite })).toHaveAttribute(
        'aria-pressed',
        'false',
      );
      expect((await calls(max)).filter((c) => c === 'impact:medium')).toHaveLength(2);

      // MAX's back button goes back, and hides again on a section of the navigation.
      await max.evaluate(() => (window as unknown as { __maxPressBack(): void }).__maxPressBack());
      await expect(max.getByRole('heading', { level: 1, name: t.feed })).toBeVisible();
      expect(await backButton(max)).toBe('hidden');

      // An inner page with an in-page back link: inside MAX the messenger's button replaces it.
      await max.goto('/studio/people');
      await expect(max.getByRole('heading', { level: 1, name: t.people })).toBeVisible();
      expect(await backButton(max)).toBe('shown');
      await expect(max.getByRole('link', { name: `← ${t.studio}` })).toHaveCount(0);

      // The other sections in MAX's look: the selection mode of the collection, the upload form.
      await max.goto('/collection');
      await expect(max.getByRole('heading', { level: 1, name: t.collection })).toBeVisible();
      await expect(max.getByRole('main').getByRole('img').first()).toBeVisible();
      await shot(max, lang, 'collection-in-max');
      await max.goto('/upload');
      await expect(max.getByRole('heading', { level: 1, name: t.upload })).toBeVisible();
      await shot(max, lang, 'upload-in-max');

      // The studio's file picker in our words and MAX's button style, not the browser's English.
      await max.goto('/studio');
      await expect(max.getByText(t.choose, { exact: true })).toBeVisible();
      await expect(max.getByText(t.noFiles)).toBeVisible();
      await shot(max, lang, 'studio-in-max');
      await max.context().close();

      // In a browser the same page keeps its own back link and Bootstrap's look.
      const web = await open(browser, size, lang, null);
      await web.goto('/studio/people');
      await expect(web.getByRole('link', { name: `← ${t.studio}` })).toBeVisible();
      await expect(web.locator('html')).not.toHaveAttribute('data-mh-max');
      await web.goto(photoPath);
      await expect(web.getByRole('heading', { level: 2, name: t.history })).toBeVisible();
      await photoFillsTheScreen(web, size);
      await shot(web, lang, 'photo');
      await web.context().close();
    }
    // MAX in its dark scheme (a bridge that names one): MAX's dark surfaces, readable text.
    const dark = await open(browser, size, 'ru', { initData, colorScheme: 'dark' });
    await dark.goto(photoPath);
    await expect(dark.getByRole('heading', { level: 2, name: TEXT.ru.history })).toBeVisible();
    await expect(dark.locator('html')).toHaveAttribute('data-bs-theme', 'dark');
    await shot(dark, 'ru', 'photo-in-max-dark');
    await dark.goto('/studio');
    await expect(dark.getByText(TEXT.ru.choose, { exact: true })).toBeVisible();
    await shot(dark, 'ru', 'studio-in-max-dark');
    await dark.context().close();
    expect(problems).toEqual([]);
  });
}

/**
 * The photo page gives the picture the screen: on a phone the full width and most of the
 * height above the fold; on a desktop most of the page's width and the screen's height, the
 * details in a column beside it.
 */
async function photoFillsTheScreen(page: Page, size: Size) {
  const media = page.locator('.mh-photo-open');
  await expect(media.locator('img')).toBeVisible();
  const box = (await media.boundingBox())!;
  const info = (await page.locator('.mh-photo-info').boundingBox())!;
  if (size.name === 'phone') {
    expect(box.width).toBeGreaterThanOrEqual(size.width - 1);
    expect(box.height).toBeGreaterThanOrEqual(size.height * 0.5);
    expect(info.y).toBeGreaterThanOrEqual(box.y + box.height - 1);
  } else {
    const main = (await page.locator('#main').boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(main.width * 0.6);
    expect(box.height).toBeGreaterThanOrEqual(size.height * 0.8);
    expect(info.x).toBeGreaterThanOrEqual(box.x + box.width);
  }
}
