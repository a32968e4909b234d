import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect, test, type Browser, type BrowserContext } from '@playwright/test';

import { accessibilityProblems, goTo, signUp, uniqueName, scratchDir } from './helpers';

const dir = scratchDir('mediahub-e2e-speech-');
const SHOTS = join(fileURLToPath(new URL('.', import.meta.url)), 'artifacts', 'screenshots');

const WEATHER =
  'Good morning everyone. Today we talk about the weather in the mountains. ' +
  'Tomorrow it will be sunny and warm.';

/** Speech synthesised by espeak-ng: a real recording the worker must transcribe. */
function speech(name = 'speech.wav', text = WEATHER): string {
  const path = join(dir, name);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '140', '-w', path, text]);
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

/** Screenshots of the studio list and of a transcript (paragraphs, find counter) in Russian and
 * English at phone and desktop sizes, in a browser signed in as `from`'s user. */
async function studioShots(browser: Browser, from: BrowserContext, transcriptPath: string) {
  mkdirSync(SHOTS, { recursive: true });
  // Each sign-in from the cookie rotates it: every context hands its cookie to the next.
  let state = await from.storageState();
  const problems: string[] = [];
  for (const locale of ['ru-RU', 'en-US']) {
    for (const size of [
      { name: 'phone', width: 390, height: 844 },
      { name: 'desktop', width: 1280, height: 800 },
    ]) {
      const context = await browser.newContext({
        storageState: state,
        locale,
        viewport: { width: size.width, height: size.height },
        isMobile: size.name === 'phone',
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      const tag = `${size.name}-${locale.slice(0, 2)}`;
      await page.goto('/studio');
      await expect(page.locator('li[data-status="done"]').first()).toBeVisible();
      // The search box and the jobs, below the form.
      await page.locator('#studio-search').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(SHOTS, `${tag}-studio-list.png`) });
      problems.push(...(await accessibilityProblems(page, `studio list ${tag}`)));
      await page.goto(transcriptPath);
      await page.locator('#tr-find').fill('the');
      await expect(page.getByTestId('find-count')).toHaveText(/^1 (of|из) \d+$/);
      await page.locator('#tr-find').press('Enter');
      await page.screenshot({ path: join(SHOTS, `${tag}-transcript-paragraphs.png`) });
      problems.push(...(await accessibilityProblems(page, `transcript ${tag}`)));
      // The segment editor with the speaker picker on "a new speaker".
      await page.locator('.mh-seg-edit').nth(1).click();
      await page.locator('#seg-speaker-1').selectOption('new');
      await page.screenshot({ path: join(SHOTS, `${tag}-segment-editor.png`) });
      problems.push(...(await accessibilityProblems(page, `segment editor ${tag}`)));
      state = await context.storageState();
      await context.close();
    }
  }
  expect(problems).toEqual([]);
}

test('several files at once and by drag-and-drop, rename, find with a counter, move a segment to a new speaker', async ({
  page,
  browser,
  context,
}) => {
  test.setTimeout(420_000);
  await signUp(page, uniqueName('multi'));
  await goTo(page, 'Studio');

  // Two recordings picked together, and a file that is no recording dropped on the studio.
  await page
    .getByLabel('Audio or video file')
    .setInputFiles([speech(), speech('short.wav', 'Hello world. The end is near.')]);
  const dropped = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['just some notes'], 'notes.txt', { type: 'text/plain' }));
    return transfer;
  });
  const zone = page.getByTestId('dropzone');
  await zone.dispatchEvent('dragenter', { dataTransfer: dropped });
  await expect(page.getByText('Drop the files to transcribe them')).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByText('Files chosen: 3')).toBeVisible();
  await page.getByLabel('Language').selectOption('en');
  await page.getByLabel('Tell speakers apart').uncheck();
  await page.getByRole('button', { name: 'Transcribe' }).click();

  // The refused file says why; the two recordings each became a job and finish.
  const uploads = page.getByRole('list', { name: 'Uploads' });
  await expect(uploads.getByRole('alert')).toContainText('This file type is not supported');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'desktop-en-uploads.png') });
  const jobs = page.getByRole('list', { name: 'Transcriptions' });
  await expect(jobs.getByRole('listitem')).toHaveCount(2);
  await expect(jobs.locator('li[data-status="done"]')).toHaveCount(2, { timeout: 300_000 });

  // Rename in the list (Russian title); it shows on the transcript page and survives a reload.
  const row = jobs.getByRole('listitem').filter({ hasText: 'speech.wav' });
  await row.getByRole('button', { name: 'Rename “speech.wav”' }).click();
  await page.getByLabel('Title').fill('Погода в горах');
  await page.getByLabel('Title').press('Enter');
  await expect(jobs.getByRole('link', { name: 'Погода в горах' })).toBeVisible();
  // Search hits name their recording and open it at that moment.
  await page.getByRole('searchbox', { name: 'Search all transcripts' }).fill('weather');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const hit = page.getByRole('list', { name: 'Search results' }).getByRole('link').first();
  await expect(hit).toContainText('Погода в горах');
  await page.screenshot({ path: join(SHOTS, 'desktop-en-search-hits.png') });
  await expect(hit).toHaveAttribute('href', /\/studio\/[\w-]+\?t=\d/);
  await jobs.getByRole('link', { name: 'Погода в горах' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Погода в горах' })).toBeVisible();
  const transcriptPath = new URL(page.url()).pathname;

  // Find: a counter, Enter / Shift+Enter and the buttons move between hits.
  const find = page.locator('#tr-find');
  await find.fill('the');
  const count = page.getByTestId('find-count');
  await expect(count).toHaveText(/^1 of [2-9]$/);
  const total = (await count.textContent())!.split(' of ')[1];
  await find.press('Enter');
  await expect(count).toHaveText(`2 of ${total}`);
  await find.press('Shift+Enter');
  await find.press('Shift+Enter');
  await expect(count).toHaveText(`${total} of ${total}`);
  await page.getByRole('button', { name: 'Next match (Enter)' }).click();
  await expect(count).toHaveText(`1 of ${total}`);
  await expect(page.locator('.mh-find-current')).toHaveCount(1);
  await find.fill('');

  // Move the first sentence to a new speaker, the second to that same speaker: one paragraph.
  const edit = page.locator('.mh-seg-edit');
  await edit.first().click();
  await page.getByLabel('Speaker', { exact: true }).selectOption({ label: 'New speaker…' });
  await page.getByLabel('New speaker’s name').fill('Марина');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Speakers' })).toContainText('Марина');
  await edit.nth(1).click();
  await page.getByLabel('Speaker', { exact: true }).selectOption({ label: 'Марина' });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.reload();
  const turns = page.getByRole('list', { name: 'Transcript' }).getByRole('listitem');
  await expect(turns.first()).toContainText('Марина');
  await expect(turns.first()).toContainText(/morning.*weather/is);
  await expect(page.getByRole('heading', { level: 1, name: 'Погода в горах' })).toBeVisible();

  // The export carries the new speaker and is named by the title.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'SRT' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Погода в горах.srt');
  expect(readFileSync((await file.path())!, 'utf8')).toContain('Марина: ');

  await studioShots(browser, context, transcriptPath);
});
