/**
 * The gallery as a person uses it: tags at upload, justified grids, search by prefix, selection
 * with bulk actions, the photo page and its full-screen viewer. Screenshots in English and
 * Russian at phone and desktop sizes go to e2e/artifacts/screenshots/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test, type Browser, type Page } from '@playwright/test';

import {
  accessibilityProblems,
  goTo,
  makeImage,
  scratchDir,
  SCREENSHOTS,
  signUp,
  SIZES,
  uniqueName,
  uploadPhotos,
} from './helpers';

const dir = scratchDir('mediahub-e2e-gallery-');
type Size = (typeof SIZES)[number];

async function newPage(browser: Browser, size: Size, locale: string, storageState?: string) {
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    isMobile: size.name === 'phone',
    hasTouch: size.name === 'phone',
    deviceScaleFactor: 1,
    locale,
    storageState: storageState ? JSON.parse(storageState) : undefined,
  });
  return { context, page: await context.newPage() };
}

/** Serious or critical WCAG problems axe found on the screens shot so far. */
const problems: string[] = [];

async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `gallery-${name}.png`) });
  problems.push(...(await accessibilityProblems(page, name)));
}

const tiles = (page: Page, list: string) =>
  page.getByRole('list', { name: list }).getByRole('listitem');

for (const size of SIZES) {
  test(`gallery flows and screenshots at ${size.name} size`, async ({ browser }) => {
    const { context, page } = await newPage(browser, size, 'en-US');
    const mark = uniqueName('run'); // a tag only this run's photos have
    await signUp(page, uniqueName(`g${size.name}`));
    await uploadPhotos(
      page,
      [
        makeImage(dir, 'wide.jpg', 800, 600),
        makeImage(dir, 'tall.jpg', 600, 800),
        makeImage(dir, 'pano.jpg', 1200, 500),
      ],
      { isPublic: true, tags: `holiday, flowers, ${mark}` },
    );
    await shot(page, `${size.name}-upload-tags`);

    // Justified rows: photos of different shapes share a row height, not a square crop.
    await goTo(page, 'Collection');
    const mine = tiles(page, 'Mine');
    await expect(mine).toHaveCount(3);
    const boxes = await Promise.all((await mine.all()).map((t) => t.boundingBox()));
    const ratios = boxes.map((b) => b!.width / b!.height).sort((x, y) => x - y);
    [600 / 800, 800 / 600, 1200 / 500].forEach((r, i) => expect(ratios[i]).toBeCloseTo(r, 1));

    // Search by prefix and by stem.
    for (const q of ['holi', 'flower']) {
      await page.goto(`/search?q=${q} ${mark}`);
      await expect(tiles(page, 'Search results')).toHaveCount(3);
    }

    // Select two, make them private: one request, badges appear.
    await goTo(page, 'Collection');
    await page.getByRole('button', { name: 'Select' }).click();
    await mine.nth(0).getByRole('button').click();
    await mine.nth(1).getByRole('button').click();
    await expect(page.getByText('2 selected')).toBeVisible();
    await shot(page, `${size.name}-collection-select`);
    await page.getByRole('button', { name: 'Make private' }).click();
    await expect(page.locator('.mh-badge-private')).toHaveCount(2);
    await shot(page, `${size.name}-collection-private`);
    // And one of them public again.
    await page.getByRole('button', { name: 'Select' }).click();
    await mine.nth(0).getByRole('button').click();
    await page.getByRole('button', { name: 'Make public' }).click();
    await expect(page.locator('.mh-badge-private')).toHaveCount(1);

    // Delete one after the confirmation.
    await page.getByRole('button', { name: 'Select' }).click();
    await mine.nth(2).getByRole('button').click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await expect(mine).toHaveCount(2);

    // The photo page, then the viewer: arrows move through the list, Esc closes.
    await mine.nth(0).getByRole('link').click();
    await expect(page.getByRole('heading', { level: 2, name: 'History' })).toBeVisible();
    await expect(page.getByText(/^Created/)).toBeVisible();
    await expect(page.locator('.mh-photo-media img.mh-loaded')).toBeVisible();
    await shot(page, `${size.name}-photo`);
    const photoUrl = page.url();
    await page.getByRole('button', { name: 'Open full screen' }).click();
    const viewer = page.getByRole('dialog', { name: 'Photo viewer' });
    await expect(viewer.getByText('1 of 2')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(viewer.getByText('2 of 2')).toBeVisible();
    await expect(viewer.getByRole('img')).toBeVisible();
    await expect
      .poll(() => viewer.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await shot(page, `${size.name}-viewer`);
    const stage = viewer.locator('.mh-viewer-stage');
    const box = (await stage.boundingBox())!;
    // A swipe to the right (a mouse drag here: the viewer reads pointer events) goes back.
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 80, cy, { steps: 4 });
    await page.mouse.move(cx + 160, cy, { steps: 4 });
    await page.mouse.up();
    await expect(viewer.getByText('1 of 2')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(viewer.getByText('2 of 2')).toBeVisible();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await expect(viewer.getByRole('img')).toHaveAttribute('style', /scale\(/);
    const download = page.waitForEvent('download');
    await viewer.getByRole('link', { name: 'Download original' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.jpg$/);
    await page.keyboard.press('Escape');
    await expect(viewer).toHaveCount(0);
    expect(page.url()).not.toContain('view=1');
    expect(page.url()).not.toBe(photoUrl); // the page of the photo the viewer ended on

    // The same screens in Russian, signed in with the same session.
    const state = JSON.stringify(await context.storageState());
    await context.close();
    const ru = await newPage(browser, size, 'ru-RU', state);
    await ru.page.goto('/');
    await expect(ru.page.getByRole('heading', { level: 1, name: 'Лента' })).toBeVisible();
    await expect(tiles(ru.page, 'Публичные фотографии').first()).toBeVisible();
    await shot(ru.page, `${size.name}-feed-ru`);
    await ru.page.goto('/upload');
    await ru.page.getByLabel('Теги').fill('праздники, цветы');
    await shot(ru.page, `${size.name}-upload-tags-ru`);
    await ru.page.goto('/collection');
    await ru.page.getByRole('button', { name: 'Выбрать' }).click();
    await tiles(ru.page, 'Мои').nth(0).getByRole('button').click();
    await expect(ru.page.getByText('Выбрано: 1')).toBeVisible();
    await shot(ru.page, `${size.name}-collection-select-ru`);
    await ru.page.getByRole('button', { name: 'Отмена' }).click();
    await tiles(ru.page, 'Мои').nth(1).getByRole('link').click();
    await expect(ru.page.getByRole('heading', { level: 2, name: 'История' })).toBeVisible();
    await shot(ru.page, `${size.name}-photo-ru`);
    await ru.page.getByRole('button', { name: 'Открыть на весь экран' }).click();
    await expect(ru.page.getByRole('dialog', { name: 'Просмотр фотографии' })).toBeVisible();
    await expect(ru.page.getByText('2 из 2')).toBeVisible();
    await shot(ru.page, `${size.name}-viewer-ru`);
    await ru.context.close();
    expect(problems).toEqual([]);
  });
}
