// Builds the web console (web/ → web/dist) with Vite, then writes gzip and brotli twins of the
// text assets so `hookline serve` sends them compressed without compressing per request.
// `--if-needed` (npm start) builds only when a source is newer than the last build.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const repo = fileURLToPath(new URL('..', import.meta.url));
const web = join(repo, 'web');
const dist = join(web, 'dist');
// what the bundle is made of: the console, and the shared contracts and client it imports
const sources = [
  join(web, 'src'),
  join(web, 'public'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(repo, 'src', 'contracts'),
  join(repo, 'src', 'client'),
  join(repo, 'src', 'core'),
  join(repo, 'package-lock.json'),
];

function newestMtimeMs(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path))
    newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

function isBuildCurrent(): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(join(dist, 'index.html')).mtimeMs;
  } catch {
    return false;
  }
  return sources.every((source) => newestMtimeMs(source) <= builtAt);
}

function compressAssets(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      compressAssets(path);
      continue;
    }
    if (!/\.(js|css|html|svg|json)$/.test(entry.name)) continue;
    const bytes = readFileSync(path);
    if (bytes.length < 1024) continue;
    writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}

/**
 * One build at a time (test files run in parallel processes, and each makes sure the console
 * is built): a directory as the lock, taken over when its holder left it for a minute.
 */
async function withBuildLock(work: () => Promise<void>): Promise<void> {
  const lock = join(web, '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const heldMs = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (heldMs > 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const ifNeeded = process.argv.includes('--if-needed');
await withBuildLock(async () => {
  // checked under the lock: another process may have just built it
  if (ifNeeded && isBuildCurrent()) return;
  const { build } = await import('vite');
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
  compressAssets(dist);
  console.log(`web console built in ${dist}`);
});
