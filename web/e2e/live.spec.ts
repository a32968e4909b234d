import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { goTo, makeImage, signUp, uniqueName, scratchDir } from './helpers';

const dir = scratchDir('mediahub-e2e-img-');

test('a public upload in one browser appears live in another browser’s feed', async ({
  browser,
}) => {
  const uploader = await (await browser.newContext()).newPage();
  const viewer = await (await browser.newContext()).newPage();
  await signUp(uploader, uniqueName('up'));
  await viewer.goto('/');
  await expect(viewer.getByRole('heading', { level: 1, name: 'Feed' })).toBeVisible();
  await expect(viewer.locator('[data-live]')).toHaveAttribute('data-live', 'open');

  await goTo(uploader, 'Upload');
  await uploader.getByLabel('Publish to the feed').check();
  await uploader.getByLabel('Description').fill('sunset over the e2e sea');
  await uploader.locator('#up-files').setInputFiles(makeImage(dir, 'sunset.jpg'));
  const item = uploader.getByRole('list', { name: 'Uploads' }).getByRole('listitem').first();
  await expect(item).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  const href = await item.getByRole('link').getAttribute('href');
  expect(href).toMatch(/^\/photos\/[0-9a-f-]{36}$/);

  // No reload on the viewer's side: the photo.published event put it into the feed.
  const tile = viewer.locator(`a[href="${href}"]`);
  await expect(tile).toBeVisible();
  await expect(tile.locator('img')).toHaveAttribute('alt', 'sunset over the e2e sea');
  await expect
    .poll(() => tile.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
});

test('upload errors are clear and a failed upload can be retried', async ({ page }) => {
  await signUp(page, uniqueName('err'));
  await goTo(page, 'Upload');
  const notImage = join(dir, 'notes.png');
  writeFileSync(notImage, 'this is plain text pretending to be a PNG\n'.repeat(20));
  await page.locator('#up-files').setInputFiles(notImage);
  const item = page.getByRole('list', { name: 'Uploads' }).getByRole('listitem').first();
  await expect(item).toHaveAttribute('data-state', 'error');
  await expect(item.getByRole('alert')).toContainText('This file type is not supported');
  await expect(item.getByRole('button', { name: 'Retry' })).toBeVisible();
});

test('the header is quiet while all is well and says so only when the server is unreachable', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Feed' })).toBeVisible();
  await expect(page.locator('[data-live]')).toHaveAttribute('data-live', 'open');
  // Issue 19.5: no "Server OK" / "Live" pills for a healthy connection.
  await expect(page.getByText('Server OK')).toHaveCount(0);
  await expect(page.getByText('Live', { exact: true })).toHaveCount(0);
  await expect(page.locator('.mh-connection-banner')).toHaveCount(0);

  await page.route('**/api/ready', (route) => route.abort());
  await page.reload();
  await expect(page.getByText('Cannot reach the server. Retrying…')).toBeVisible();
  // Back again: the banner goes within seconds (it retries faster while something is wrong).
  await page.unroute('**/api/ready');
  await expect(page.locator('.mh-connection-banner')).toHaveCount(0, { timeout: 15_000 });
});
