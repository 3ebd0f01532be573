// The data directory is private (issue 13 §2): `hookline serve` on SQLite creates it 0700 and
// every SQLite file — the database, its WAL and its shared memory — 0600, whatever the umask
// (the server runs here with umask 000, under which a default would be world-readable); a data
// directory left readable by others (an older version, a copy) is tightened at start, with a
// line in the log. The real binary, a real write, modes read off the disk.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cleanEnv, startServe, type ServeProcess } from './helpers/hookline-process.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-file-modes-'));
const dataDir = join(root, 'data');
const database = join(dataDir, 'hookline.sqlite');
const sqliteFiles = [database, `${database}-wal`, `${database}-shm`];
after(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Starts serve under umask 000 (the child inherits it), then puts this process's back. */
async function serveWithOpenUmask(): Promise<ServeProcess> {
  const previous = process.umask(0);
  try {
    return await startServe(['--port', '0', '--data', dataDir], { env: cleanEnv(), cwd: root });
  } finally {
    process.umask(previous);
  }
}

/** A change through the API: a transaction committed to the WAL. */
async function writeSomething(server: ServeProcess, name: string): Promise<void> {
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const response = await fetch(`${server.url}/api/v1/variables`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, values: { development: 'x' } }),
  });
  assert.equal(response.status, 201, await response.text());
}

describe('data directory and SQLite file modes', { concurrency: 1 }, () => {
  test('a first start creates the directory 0700 and the database, WAL and SHM 0600', async () => {
    const server = await serveWithOpenUmask();
    try {
      await writeSomething(server, 'FIRST_WRITE');
      assert.equal(modeOf(dataDir).toString(8), '700');
      for (const file of sqliteFiles) {
        assert.ok(existsSync(file), `${file} exists after a write`);
        assert.equal(modeOf(file).toString(8), '600', file);
      }
    } finally {
      await server.stop();
    }
  });

  test('a data directory others may read is tightened at start, and the log says so', async () => {
    chmodSync(dataDir, 0o755);
    for (const file of sqliteFiles) if (existsSync(file)) chmodSync(file, 0o644);
    const server = await serveWithOpenUmask();
    try {
      await writeSomething(server, 'SECOND_WRITE');
      assert.equal(modeOf(dataDir).toString(8), '700');
      for (const file of sqliteFiles) assert.equal(modeOf(file).toString(8), '600', file);
      const output = server.output();
      assert.match(output, new RegExp(`${dataDir.replaceAll('/', '\\/')} had mode 0755`));
      assert.match(output, /hookline\.sqlite had mode 0644: .*tightened to owner-only/);
    } finally {
      await server.stop();
    }
  });
});
