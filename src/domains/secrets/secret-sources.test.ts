import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { maxSecretValueBytes } from '../../contracts/secrets.ts';
import { checkFileLocation, readEnvSource, readFileSource } from './secret-sources.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-secret-sources-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dataDir = join(root, 'data');
mkdirSync(dataDir);
const policy = { protectedDirs: [dataDir] };

function file(name: string, content: string | Buffer): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

describe('readEnvSource', () => {
  test('reads the variable as it is now, and says when it is unset or empty', () => {
    const env: Record<string, string | undefined> = { CRM_TOKEN: 'tok-1' };
    assert.deepEqual(readEnvSource(env, 'CRM_TOKEN'), { value: 'tok-1' });
    env.CRM_TOKEN = 'tok-2';
    assert.deepEqual(readEnvSource(env, 'CRM_TOKEN'), { value: 'tok-2' });
    assert.deepEqual(readEnvSource(env, 'MISSING'), {
      problem: 'environment variable MISSING is not set in this Hookline process',
    });
    env.EMPTY = '';
    assert.deepEqual(readEnvSource(env, 'EMPTY'), {
      problem: 'environment variable EMPTY is empty',
    });
  });
});

describe('readFileSource', () => {
  test('reads the file now, without one trailing newline (LF or CRLF), keeping other space', async () => {
    const path = file('token', 'abc\n');
    assert.deepEqual(await readFileSource(path, policy), { value: 'abc' });
    writeFileSync(path, 'abc\n\n');
    assert.deepEqual(await readFileSource(path, policy), { value: 'abc\n' });
    writeFileSync(path, ' abc \r\n');
    assert.deepEqual(await readFileSource(path, policy), { value: ' abc ' });
    writeFileSync(path, '-----BEGIN KEY-----\nxyz\n-----END KEY-----');
    assert.deepEqual(await readFileSource(path, policy), {
      value: '-----BEGIN KEY-----\nxyz\n-----END KEY-----',
    });
  });

  test('says what is wrong with a missing, empty, too large or non-regular file', async () => {
    const missing = join(root, 'nope');
    assert.deepEqual(await readFileSource(missing, policy), {
      problem: `${missing} does not exist on this Hookline server`,
    });
    const empty = file('empty', '\n');
    assert.deepEqual(await readFileSource(empty, policy), { problem: `${empty} is empty` });
    const large = file('large', Buffer.alloc(maxSecretValueBytes + 1, 0x61));
    assert.deepEqual(await readFileSource(large, policy), {
      problem: `${large} is larger than ${maxSecretValueBytes} bytes`,
    });
    assert.deepEqual(await readFileSource(root, policy), {
      problem: `${root} is not a regular file`,
    });
  });

  test('does not block on a FIFO', { skip: process.platform === 'win32' }, async () => {
    const fifo = join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(await readFileSource(fifo, policy), {
      problem: `${fifo} is not a regular file`,
    });
  });

  test('refuses the data directory and kernel files, also through a symbolic link', async () => {
    const key = join(dataDir, 'master-key');
    writeFileSync(key, 'f'.repeat(64));
    const link = join(root, 'innocent-looking');
    symlinkSync(key, link);
    for (const path of [key, link]) {
      const read = await readFileSource(path, policy);
      assert.ok(
        'problem' in read && /cannot be read from .*data/.test(read.problem),
        JSON.stringify(read),
      );
      assert.ok(!JSON.stringify(read).includes('f'.repeat(64)));
    }
    const environ = await readFileSource('/proc/self/environ', policy);
    assert.ok('problem' in environ && /\/proc/.test(environ.problem));
    assert.match((await checkFileLocation(join(dataDir, 'later'), policy)) ?? '', /data/);
    assert.equal(await checkFileLocation(join(root, 'elsewhere'), policy), undefined);
  });
});
