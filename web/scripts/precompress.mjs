// Precompress the built web app: <file>.gz (gzip -9) and <file>.br (Brotli 11) next to each
// text file, so `mediahub up` (src/mediahub/web.py) and nginx (gzip_static) serve compressed
// bytes without compressing on every request. No dependency beyond node:zlib.
// Usage: node scripts/precompress.mjs [DIR]   (DIR defaults to web/dist)
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// Source maps are not compressed: only developer tools fetch them.
const TEXT_EXTENSIONS = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.svg',
  '.json',
  '.webmanifest',
  '.txt',
]);
// Below this a response fits in a packet or two anyway (nginx's gzip_min_length too).
const MIN_BYTES = 1024;

const ENCODERS = {
  '.gz': (data) => gzipSync(data, { level: 9 }),
  '.br': (data) =>
    brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
};

/** Every file below `dir`, recursively. */
async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Write the siblings of one file that are smaller than it; returns what was written. */
async function precompressFile(path) {
  const data = await readFile(path);
  const written = [];
  for (const [suffix, encode] of Object.entries(ENCODERS)) {
    const encoded = encode(data);
    if (encoded.length < data.length) {
      await writeFile(path + suffix, encoded);
      written.push({ suffix, size: encoded.length });
    }
  }
  return { size: data.length, written };
}

/** Precompress every eligible text file below `dir` and print one line per file. */
async function main(dir) {
  if (!(await stat(dir).catch(() => null))?.isDirectory()) {
    console.error(`precompress: ${dir} is not a directory (run vite build first)`);
    process.exit(1);
  }
  let count = 0;
  for await (const path of walk(dir)) {
    if (!TEXT_EXTENSIONS.has(extname(path))) continue;
    if ((await stat(path)).size <= MIN_BYTES) continue;
    const { size, written } = await precompressFile(path);
    const sizes = written.map(({ suffix, size: n }) => `${suffix.slice(1)} ${n}`).join(', ');
    console.log(`precompress: ${path.slice(dir.length + 1)} raw ${size}, ${sizes || 'none'}`);
    count += written.length ? 1 : 0;
  }
  console.log(`precompress: ${count} files compressed in ${dir}`);
}

const defaultDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
await main(resolve(process.argv[2] ?? defaultDir));
