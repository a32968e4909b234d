import { expect, test } from '@playwright/test';

import { goTo, makeImage, signUp, uniqueName, uploadPhotos, scratchDir } from './helpers';

const dir = scratchDir('mediahub-e2e-profile-');

test('profile code → access request → approve with chosen photos → revoke; offer a photo → accept', async ({
  browser,
}) => {
  const owner = await (await browser.newContext()).newPage();
  const guest = await (await browser.newContext()).newPage();
  const ownerName = uniqueName('olga');
  const guestName = uniqueName('gleb');
  await signUp(owner, ownerName);
  await signUp(guest, guestName);
  await uploadPhotos(owner, [makeImage(dir, 'private1.jpg'), makeImage(dir, 'private2.jpg')]);

  // The owner's profile code (what their QR encodes), typed by the guest.
  await goTo(owner, 'Settings');
  const qr = owner.getByRole('img', { name: 'My profile QR' });
  const code = await qr.getAttribute('data-qr');
  expect(code).toMatch(/^user:[0-9a-f-]{36}$/);
  await goTo(guest, 'Exchange');
  await guest.getByLabel('Code').fill(code!);
  await guest.getByRole('button', { name: 'Claim' }).click();
  await expect(guest.getByRole('heading', { level: 1, name: ownerName })).toBeVisible();
  await expect(guest.getByText('No photos you can see.')).toBeVisible();
  await guest.getByRole('button', { name: 'Request access' }).click();
  await expect(guest.getByText('Request sent — waiting for an answer')).toBeVisible();

  // The owner is told live, and approves with one chosen photo.
  await expect(owner.getByText(`${guestName} asks to see your profile.`)).toBeVisible();
  await goTo(owner, 'Exchange');
  const incoming = owner.getByRole('listitem').filter({ hasText: guestName }).first();
  await incoming.getByRole('button', { name: 'Approve' }).click();
  await incoming
    .getByRole('list', { name: 'Choose the photos to share' })
    .getByRole('button')
    .first()
    .click();
  await incoming.getByRole('button', { name: 'Share 1 photo' }).click();
  await expect(owner.getByRole('listitem').filter({ hasText: guestName }).first()).toContainText(
    '1 photo shared',
  );

  // The guest's open profile page shows exactly the granted photo, without a reload.
  const grid = guest.getByRole('list', { name: 'Photos' });
  await expect(grid.getByRole('listitem')).toHaveCount(1);
  // ...and says access is granted instead of still offering "Request access" (issue 19.3).
  await expect(guest.getByText(/^Access granted until /)).toBeVisible();
  await expect(guest.getByRole('button', { name: 'Request access' })).toHaveCount(0);
  await expect(guest.getByText(`${ownerName} approved your profile request.`)).toBeVisible();

  // The guest saves it to their imports, where it is listed.
  await grid.getByRole('link').first().click();
  await guest.getByRole('button', { name: 'Save to my imports' }).click();
  await expect(guest.getByRole('button', { name: 'Saved to imports' })).toBeDisabled();
  await goTo(guest, 'Collection');
  await guest.getByRole('tab', { name: 'Imported' }).click();
  await expect(guest.getByRole('list', { name: 'Imported' }).getByRole('listitem')).toHaveCount(1);
  await goTo(guest, 'Exchange');
  await guest.getByLabel('Code').fill(code!);
  await guest.getByRole('button', { name: 'Claim' }).click();
  await expect(grid.getByRole('listitem')).toHaveCount(1);

  // Revoked: gone again.
  await owner
    .getByRole('listitem')
    .filter({ hasText: guestName })
    .first()
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(guest.getByText('No photos you can see.')).toBeVisible();

  // The owner gives a photo to the guest (found by the guest's profile code); the guest
  // accepts it on the exchange page, where the offer appears live.
  await goTo(guest, 'Settings');
  const guestCode = await guest.getByRole('img', { name: 'My profile QR' }).getAttribute('data-qr');
  await goTo(guest, 'Exchange');
  await owner.getByLabel('Code').fill(guestCode!);
  await owner.getByRole('button', { name: 'Claim' }).click();
  await expect(owner.getByRole('heading', { level: 1, name: guestName })).toBeVisible();
  await owner.getByRole('button', { name: 'Give photos' }).click();
  await owner
    .getByRole('list', { name: 'Choose the photos to share' })
    .getByRole('button')
    .first()
    .click();
  await owner.getByRole('button', { name: 'Offer 1 photo' }).click();
  await expect(owner.getByText('Offered 1 photo.')).toBeVisible();

  // Named in the toast; the row shows the photo's thumbnail and title and who offers it.
  await expect(
    guest.getByText(new RegExp(`^${ownerName} offers you the photo “private[12]\\.jpg”\\.`)),
  ).toBeVisible();
  const offer = guest
    .getByRole('listitem')
    .filter({ hasText: `From: ${ownerName}` })
    .filter({ has: guest.getByRole('button', { name: 'Accept' }) });
  await expect(offer.getByRole('img', { name: /^private[12]\.jpg$/ })).toBeVisible();
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(
    guest.getByRole('listitem').filter({ hasText: ownerName }).filter({ hasText: 'Accepted' }),
  ).toBeVisible();
  await goTo(guest, 'Collection');
  await expect(guest.getByRole('list', { name: 'Mine' }).getByRole('listitem')).toHaveCount(1);
});
