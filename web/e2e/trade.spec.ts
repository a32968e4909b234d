import { chromium, expect, test } from '@playwright/test';

import {
  goTo,
  makeImage,
  maxInitData,
  openSignedIn,
  qrVideo,
  signUp,
  uniqueName,
  uploadPhotos,
  scratchDir,
} from './helpers';

const dir = scratchDir('mediahub-e2e-trade-');

test('a trade made in one browser is claimed in another; both collections update live', async ({
  browser,
}) => {
  const alice = uniqueName('alice');
  const bob = uniqueName('bob');
  const a = await browser.newContext();
  const b = await browser.newContext();
  const aliceMain = await a.newPage();
  const bobMain = await b.newPage();
  await signUp(aliceMain, alice);
  await signUp(bobMain, bob);

  await uploadPhotos(aliceMain, [makeImage(dir, 'one.jpg'), makeImage(dir, 'two.jpg')]);

  // Second tabs that just watch the two collections (signed in by the session cookie).
  const aliceWatch = await a.newPage();
  await openSignedIn(aliceWatch, alice, '/collection');
  const bobWatch = await b.newPage();
  await openSignedIn(bobWatch, bob, '/collection');
  const aliceGrid = aliceWatch.getByRole('list', { name: 'Mine' });
  const bobGrid = bobWatch.getByRole('list', { name: 'Mine' });
  await expect(aliceGrid.getByRole('listitem')).toHaveCount(2);
  await expect(bobWatch.getByText('No photos here yet.')).toBeVisible();

  // Alice selects one photo and makes a trade.
  await goTo(aliceMain, 'Collection');
  await aliceMain.getByRole('button', { name: 'Select' }).click();
  await aliceMain.getByRole('list', { name: 'Mine' }).getByRole('button').first().click();
  await expect(aliceMain.getByText('1 selected')).toBeVisible();
  await aliceMain.getByRole('button', { name: 'Trade by QR' }).click();
  await expect(aliceMain.getByRole('img', { name: 'Trade QR code' }).locator('svg')).toBeVisible();
  await expect(aliceMain.getByRole('timer')).toHaveText(/^\d+:\d\d$/);
  const token = (await aliceMain.getByTestId('trade-token').textContent())!.trim();
  expect(token).toMatch(/^[0-9A-Za-z]{4,16}$/);
  // The trade page shows which photo is in the trade (issue 19.3).
  const inTrade = aliceMain.getByRole('list', { name: 'Photos in this trade' });
  await expect(inTrade.getByRole('listitem')).toHaveCount(1);
  await expect(inTrade.getByRole('img', { name: /^(one|two)\.jpg$/ })).toBeVisible();

  // Offering the same photo again names it and says why, never its id.
  await aliceWatch.getByRole('button', { name: 'Select' }).click();
  await aliceGrid.getByRole('button').first().click();
  await aliceWatch.getByRole('button', { name: 'Trade by QR' }).click();
  const refusal = aliceWatch.getByText(/is already in an open trade/);
  await expect(refusal).toHaveText(
    /^The photo “(one|two)\.jpg” is already in an open trade\. Cancel that trade first\.$/,
  );

  // Bob types the code.
  await goTo(bobMain, 'Exchange');
  await bobMain.getByLabel('Code').fill(token);
  await bobMain.getByRole('button', { name: 'Claim' }).click();
  await expect(
    bobMain.getByRole('status').filter({ hasText: 'You received 1 photo.' }),
  ).toBeVisible();

  // Live, without reloads: Alice's trade page, both collections, and a toast.
  await expect(aliceMain.locator('.mh-trade').getByRole('status')).toContainText('Claimed');
  await expect(aliceGrid.getByRole('listitem')).toHaveCount(1);
  await expect(bobGrid.getByRole('listitem')).toHaveCount(1);
  await expect(aliceMain.getByText(`Your trade was claimed by ${bob}.`)).toBeVisible();

  // The photo page shows Bob as the owner and the trade in its history.
  await bobGrid.getByRole('link').first().click();
  await expect(bobWatch.getByText('Traded')).toBeVisible();
  await expect(bobWatch.getByText(`Owner: ${bob}`)).toBeVisible();
});

test('a MAX deep link (startapp=trade_<token>) opens the claim with the code filled in', async ({
  browser,
}) => {
  const giver = await (await browser.newContext()).newPage();
  await signUp(giver, uniqueName('giver'));
  await uploadPhotos(giver, [makeImage(dir, 'deep.jpg')]);
  await goTo(giver, 'Collection');
  await giver.getByRole('button', { name: 'Select' }).click();
  await giver.getByRole('list', { name: 'Mine' }).getByRole('button').first().click();
  await giver.getByRole('button', { name: 'Trade by QR' }).click();
  const token = (await giver.getByTestId('trade-token').textContent())!.trim();

  const phone = await (
    await browser.newContext({ viewport: { width: 390, height: 844 } })
  ).newPage();
  const initData = maxInitData(900_000 + Math.floor(Math.random() * 50_000), 'Deep');
  await phone.addInitScript(
    ({ data, startParam }) => {
      (window as unknown as { WebApp: unknown }).WebApp = {
        initData: data,
        initDataUnsafe: { start_param: startParam, user: { first_name: 'Deep' } },
        ready: () => {},
      };
    },
    { data: initData, startParam: `trade_${token}` },
  );
  await phone.goto('/');
  await expect(phone.getByRole('heading', { level: 1, name: 'Exchange' })).toBeVisible();
  await expect(phone.getByLabel('Code')).toHaveValue(`trade:${token}`);
  await phone.getByRole('button', { name: 'Claim' }).click();
  await expect(
    phone.getByRole('status').filter({ hasText: 'You received 1 photo.' }),
  ).toBeVisible();
  await expect(giver.locator('.mh-trade').getByRole('status')).toContainText('Claimed');
});

test('claim by scanning the trade QR with the camera (html5-qrcode, fake camera)', async ({
  browser,
  baseURL,
}) => {
  const giver = await (await browser.newContext()).newPage();
  await signUp(giver, uniqueName('shower'));
  await uploadPhotos(giver, [makeImage(dir, 'scan.jpg')]);
  await goTo(giver, 'Collection');
  await giver.getByRole('button', { name: 'Select' }).click();
  await giver.getByRole('list', { name: 'Mine' }).getByRole('button').first().click();
  await giver.getByRole('button', { name: 'Trade by QR' }).click();
  const payload = await giver.getByRole('img', { name: 'Trade QR code' }).getAttribute('data-qr');
  expect(payload).toMatch(/^trade:/);

  // A second browser whose camera "films" that QR code.
  const scanner = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${qrVideo(dir, payload!)}`,
    ],
  });
  try {
    const context = await scanner.newContext({ baseURL, permissions: ['camera'] });
    const phone = await context.newPage();
    await signUp(phone, uniqueName('scanner'));
    await goTo(phone, 'Exchange');
    await phone.getByRole('button', { name: 'Scan QR' }).click();
    await expect(
      phone.getByRole('status').filter({ hasText: 'You received 1 photo.' }),
    ).toBeVisible({
      timeout: 30_000,
    });
    await expect(giver.locator('.mh-trade').getByRole('status')).toContainText('Claimed');
  } finally {
    await scanner.close();
  }
});
