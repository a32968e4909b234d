// Cold loads of the feed in headless Chromium (driven by bench/web.py).
// Input (argv[2]): JSON {targets: [{name, url}], profiles: [{name, latency, down, up}], runs}.
// Output (stdout): JSON [{target, profile, runs: [{firstThumbMs, firstPlaceholderMs, fcpMs,
//   jsEncoded, jsDecoded, cssEncoded, cssDecoded, scripts}]}].
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('../web/', import.meta.url));
const { chromium } = createRequire(webDir + 'package.json')('@playwright/test');
const input = JSON.parse(process.argv[2]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

// Recorded inside the page, relative to navigation start (performance.now()).
const PROBE = () => {
  window.__probe = {};
  document.addEventListener(
    'load',
    (e) => {
      const el = e.target;
      if (el instanceof HTMLImageElement && el.closest('.mh-grid') && el.naturalWidth > 0) {
        window.__probe.firstThumb ??= performance.now();
      }
    },
    true,
  );
  new MutationObserver(() => {
    if (!window.__probe.firstPlaceholder) {
      const tile = document.querySelector('.mh-grid .mh-thumb[style*="background-image"]');
      if (tile) window.__probe.firstPlaceholder = performance.now();
    }
  }).observe(document, { childList: true, subtree: true });
};

async function coldLoad(url, profile) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (profile.down) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latency,
      downloadThroughput: profile.down / 8,
      uploadThroughput: profile.up / 8,
    });
  }
  const assets = [];
  page.on('requestfinished', (request) => {
    const type = request.resourceType();
    if (type !== 'script' && type !== 'stylesheet') return;
    assets.push(
      Promise.all([request.sizes(), request.response()]).then(async ([sizes, response]) => ({
        type,
        url: request.url(),
        encoded: sizes.responseBodySize,
        decoded: (await response.body()).length,
        encoding: (await response.allHeaders())['content-encoding'] ?? 'identity',
      })),
    );
  });
  await page.addInitScript(PROBE);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__probe?.firstThumb, null, { timeout: 120_000 });
  const timings = await page.evaluate(() => ({
    ...window.__probe,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  }));
  const done = await Promise.all(assets);
  await context.close();
  const sum = (type, key) => done.filter((a) => a.type === type).reduce((s, a) => s + a[key], 0);
  return {
    firstThumbMs: timings.firstThumb,
    firstPlaceholderMs: timings.firstPlaceholder ?? null,
    fcpMs: timings.fcp,
    jsEncoded: sum('script', 'encoded'),
    jsDecoded: sum('script', 'decoded'),
    cssEncoded: sum('stylesheet', 'encoded'),
    cssDecoded: sum('stylesheet', 'decoded'),
    scripts: done
      .filter((a) => a.type === 'script')
      .map((a) => ({ file: a.url.split('/').pop(), encoded: a.encoded, encoding: a.encoding })),
  };
}

const results = [];
for (const profile of input.profiles) {
  const byTarget = new Map(input.targets.map((t) => [t.name, []]));
  // Warm the servers (never the browser: every load gets a new, cache-less context), then
  // interleave the targets so drift on a shared machine hits them alike.
  for (const target of input.targets) await coldLoad(target.url, profile);
  for (let i = 0; i < input.runs; i++) {
    for (const target of input.targets) byTarget.get(target.name).push(await coldLoad(target.url, profile));
  }
  for (const [name, runs] of byTarget) results.push({ target: name, profile: profile.name, runs });
}
await browser.close();
process.stdout.write(JSON.stringify(results));
