/**
 * End-to-end tests against a real `mediahub up` (embedded PostgreSQL + Redis, API, worker, this
 * web app's build) driven by Debian's Chromium. Playwright's own browsers are never downloaded.
 * Run with `scripts/e2e` from the repository root (it builds the app first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

import { defineConfig } from '@playwright/test';

// Chosen once in the main process; workers inherit the environment, so they agree.
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'mediahub-e2e-'));
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;
// The checkout whose backend to run: this repository, or E2E_BACKEND_DIR (e.g. a clean export of
// HEAD while someone edits the backend in this working tree).
const backend = process.env.E2E_BACKEND_DIR ?? resolve(here, '..');

export default defineConfig({
  testDir: './e2e',
  outputDir: './e2e/artifacts/test-results',
  // The stack shares two CPU cores with everything else: one browser at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  webServer: {
    command: `uv run --frozen mediahub up --port ${port} --data-dir ${process.env.E2E_DATA_DIR}/data --no-build-web`,
    cwd: backend,
    url: `${baseURL}/api/ready`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGINT', timeout: 20_000 },
    // The suite signs up dozens of accounts from one address; the registration limit itself is
    // tested against the API (tests/hostile), so here it must not be what a test runs into.
    env: { WEB_DIST_DIR: resolve(here, 'dist'), RATE_LIMIT_REGISTER: '1000/hour' },
  },
});
