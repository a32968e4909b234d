/** Shared steps of the e2e tests: accounts, test images, MAX launch data. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Where the screenshot tests write their PNGs (never committed). */
export const SCREENSHOTS = join(here, 'artifacts', 'screenshots');
/** The two viewports every UI change is looked at in. */
export const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

/** Where the backend runs from (see playwright.config.ts). */
export const REPO = process.env.E2E_BACKEND_DIR ?? resolve(here, '..', '..');
export const DATA_DIR = join(process.env.E2E_DATA_DIR ?? '', 'data');

/** A scratch directory inside the run's data dir (scripts/e2e removes it afterwards). */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(process.env.E2E_DATA_DIR ?? tmpdir(), prefix));
}

/** A unique, valid username for this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export const PASSWORD = 'correct horse battery staple 42';

/** Creates a password account through the UI (the settings page shows the form when signed out). */
export async function signUp(page: Page, username: string): Promise<void> {
  await page.goto('/settings');
  await page.getByRole('button', { name: 'No account yet? Create one' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(username);
}

/** Opens `path` in another tab of a signed-in browser: the session cookie signs it in. */
export async function openSignedIn(page: Page, username: string, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId('current-user')).toHaveText(username);
}

/** Client-side navigation through the nav bar, as a user clicks (no page loads). */
export async function goTo(page: Page, section: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: section })
    .click();
}

/** Writes a JPEG with random content (so it never collides with an earlier upload). */
export function makeImage(dir: string, name: string, width = 640, height = 480): string {
  const path = join(dir, name);
  const seed = randomBytes(4).readUInt32BE();
  execFileSync(
    'uv',
    [
      'run',
      '--frozen',
      'python',
      '-c',
      'import random,sys; from PIL import Image, ImageDraw; r=random.Random(int(sys.argv[2]));' +
        'w,h=int(sys.argv[3]),int(sys.argv[4]); im=Image.new("RGB",(w,h),tuple(r.randrange(256) for _ in range(3)));' +
        'd=ImageDraw.Draw(im)\nfor _ in range(30):\n x,y,s=r.randrange(w),r.randrange(h),r.randrange(10,120)\n' +
        ' d.ellipse([x,y,x+s,y+s],fill=tuple(r.randrange(256) for _ in range(3)))\n' +
        'im.save(sys.argv[1], quality=90)',
      path,
      String(seed),
      String(width),
      String(height),
    ],
    { cwd: REPO },
  );
  return path;
}

/** MAX launch data signed with this server's bot token (`mediahub dev-initdata`). */
export function maxInitData(userId: number, firstName: string): string {
  return execFileSync(
    'uv',
    [
      'run',
      '--frozen',
      'mediahub',
      'dev-initdata',
      '--data-dir',
      DATA_DIR,
      '--user-id',
      String(userId),
      '--first-name',
      firstName,
      '--language',
      'en',
    ],
    { cwd: REPO, encoding: 'utf8' },
  ).trim();
}

/** Uploads files on the upload page and waits until each is processed. */
export async function uploadPhotos(
  page: Page,
  files: string[],
  { isPublic = false, tags = '' } = {},
) {
  await goTo(page, 'Upload');
  if (isPublic) await page.getByLabel('Publish to the feed').check();
  if (tags) await page.getByLabel('Tags').fill(tags);
  await page.locator('#up-files').setInputFiles(files);
  const items = page.getByRole('list', { name: 'Uploads' }).getByRole('listitem');
  await expect(items).toHaveCount(files.length);
  for (const item of await items.all())
    await expect(item).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
}

/** WCAG 2.1 A/AA problems axe-core finds that are serious or critical, one line each. */
export async function accessibilityProblems(page: Page, screen: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${screen}: ${v.id}: ${n.target.join(' ')}`));
}

/**
 * A Y4M video (what Chromium's fake camera plays, --use-file-for-fake-video-capture) showing
 * a QR code of `text`: the camera path of the scanner sees a real code.
 */
export function qrVideo(dir: string, text: string): string {
  const path = join(dir, 'qr.y4m');
  execFileSync(
    'uv',
    [
      'run',
      '--frozen',
      'python',
      '-c',
      [
        'import sys, segno',
        'from PIL import Image',
        'w, h = 640, 480',
        'qr = segno.make(sys.argv[2], error="m")',
        'import io; buf = io.BytesIO(); qr.save(buf, kind="png", scale=6, border=4)',
        'code = Image.open(io.BytesIO(buf.getvalue())).convert("L")',
        'frame = Image.new("L", (w, h), 255); frame.paste(code, ((w - code.width) // 2, (h - code.height) // 2))',
        'y = frame.tobytes(); uv = bytes([128]) * (w * h // 4)',
        'out = open(sys.argv[1], "wb")',
        'out.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\\n".encode())',
        '[out.write(b"FRAME\\n" + y + uv + uv) for _ in range(20)]',
      ].join('\n'),
      path,
      text,
    ],
    { cwd: REPO },
  );
  return path;
}
