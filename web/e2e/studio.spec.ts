import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, test } from '@playwright/test';

import { accessibilityProblems, goTo, signUp, uniqueName, scratchDir } from './helpers';

const dir = scratchDir('mediahub-e2e-speech-');
const SHOTS = join(fileURLToPath(new URL('.', import.meta.url)), 'artifacts', 'screenshots');

/** Speech synthesised by espeak-ng: a real recording the worker must transcribe. */
function speech(): string {
  const path = join(dir, 'speech.wav');
  execFileSync('espeak-ng', [
    '-v',
    'en-us',
    '-s',
    '140',
    '-w',
    path,
    'Good morning everyone. Today we talk about the weather in the mountains. ' +
      'Tomorrow it will be sunny and warm.',
  ]);
  return path;
}

test('upload speech, watch progress live, open the transcript, click a word to seek, export SRT', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signUp(page, uniqueName('studio'));
  await goTo(page, 'Studio');

  await page.getByLabel('Audio or video file').setInputFiles(speech());
  await page.getByLabel('Language').selectOption('en');
  await page.getByLabel('Tell speakers apart').uncheck();
  await page.getByRole('button', { name: 'Transcribe' }).click();

  // The job shows up and moves through its states without a reload; record what we saw.
  const row = page.getByRole('list', { name: 'Transcriptions' }).getByRole('listitem').first();
  await expect(row).toContainText('speech.wav');
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        const status = (await row.getAttribute('data-status')) ?? '';
        seen.add(status);
        return status;
      },
      { timeout: 240_000, intervals: [250] },
    )
    .toBe('done');
  expect([...seen].some((s) => s === 'queued' || s === 'running')).toBe(true);

  await row.getByRole('link', { name: 'speech.wav' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'speech.wav' })).toBeVisible();
  const player = page.getByTestId('player');
  await expect
    .poll(() => player.evaluate((el: HTMLMediaElement) => el.readyState))
    .toBeGreaterThan(0);

  // Click a word from the middle of the recording: the player jumps to its start.
  const words = page.locator('.mh-word[data-start]');
  await expect(words.first()).toBeVisible();
  const target = words.nth(Math.floor((await words.count()) / 2));
  const start = Number(await target.getAttribute('data-start'));
  expect(start).toBeGreaterThan(0.5);
  await target.click();
  const now = await player.evaluate((el: HTMLMediaElement) => el.currentTime);
  expect(Math.abs(now - start)).toBeLessThan(0.05);
  await expect(target).toHaveAttribute('aria-current', 'true');

  // Keyboard: → jumps 5 s ahead (clamped to the end of the recording).
  await page.locator('body').press('ArrowRight');
  const duration = await player.evaluate((el: HTMLMediaElement) => el.duration);
  const after = await player.evaluate((el: HTMLMediaElement) => el.currentTime);
  expect(after).toBeCloseTo(Math.min(duration, start + 5), 1);

  // Export SRT: a real download with cues.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'SRT' }).click();
  const file = await (await download).path();
  const srt = readFileSync(file, 'utf8');
  expect(srt).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
  expect(srt.toLowerCase()).toContain('weather');

  // The transcript screen at both sizes, for the artifact set.
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(SHOTS, 'desktop-transcript.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SHOTS, 'phone-transcript.png') });
  expect(await accessibilityProblems(page, 'transcript')).toEqual([]);
});
