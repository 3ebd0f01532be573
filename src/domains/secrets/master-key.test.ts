import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadMasterKey, masterKeyIdOf, MasterKeyError, parseMasterKey } from './master-key.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-master-key-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `data-${++dirs}`);

const hexKey = '0f'.repeat(32);

function assertKeyError(load: () => unknown, pattern: RegExp, secretText?: string): void {
  assert.throws(load, (error: unknown) => {
    assert.ok(error instanceof MasterKeyError, String(error));
    assert.match(error.message, pattern);
    if (secretText) assert.ok(!error.message.includes(secretText), 'the key text was repeated');
    return true;
  });
}

describe('parseMasterKey', () => {
  test('reads 64 hex characters, base64 and base64url of 32 bytes, ignoring surrounding space', () => {
    const bytes = Buffer.from(hexKey, 'hex');
    assert.deepEqual(parseMasterKey(hexKey, 'x'), bytes);
    assert.deepEqual(parseMasterKey(` ${hexKey.toUpperCase()}\n`, 'x'), bytes);
    const random = Buffer.from('fb'.repeat(32), 'hex');
    assert.deepEqual(parseMasterKey(random.toString('base64'), 'x'), random);
    assert.deepEqual(parseMasterKey(random.toString('base64url'), 'x'), random);
  });

  test('refuses anything else, naming where it came from and never the text', () => {
    for (const bad of [
      '0f'.repeat(31),
      '0f'.repeat(33),
      'g'.repeat(64),
      Buffer.alloc(24).toString('base64'),
      '',
    ]) {
      assertKeyError(
        () => parseMasterKey(bad, 'HOOKLINE_MASTER_KEY'),
        /^HOOKLINE_MASTER_KEY is not a master key/,
        bad || undefined,
      );
    }
  });

  test('names a key by 8 hex characters of its SHA-256', () => {
    assert.equal(masterKeyIdOf(Buffer.alloc(32)), '66687aad');
  });
});

describe('loadMasterKey', () => {
  test('takes the configured key over any file, and writes no file', () => {
    const dataDir = freshDir();
    const loaded = loadMasterKey({ configured: hexKey, dataDir });
    assert.equal(loaded.source, 'configuration');
    assert.deepEqual(loaded.key, Buffer.from(hexKey, 'hex'));
    assert.throws(() => statSync(join(dataDir, 'master-key')), /ENOENT/);
  });

  test('creates <dataDir>/master-key with mode 0600 on first start, then reads the same key', () => {
    const dataDir = freshDir();
    const first = loadMasterKey({ dataDir });
    assert.equal(first.source, 'file');
    assert.equal(first.created, true);
    const file = join(dataDir, 'master-key');
    assert.equal(first.file, file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /^[0-9a-f]{64}\n$/);
    const second = loadMasterKey({ dataDir });
    assert.equal(second.created, false);
    assert.deepEqual(second.key, first.key);
    assert.equal(second.keyId, first.keyId);
    assert.deepEqual(second.warnings, []);
  });

  test('refuses a key file others may read or anyone but the owner may write', () => {
    for (const mode of [0o644, 0o604, 0o620, 0o666]) {
      const dataDir = freshDir();
      loadMasterKey({ dataDir });
      const file = join(dataDir, 'master-key');
      chmodSync(file, mode);
      assertKeyError(
        () => loadMasterKey({ dataDir, platform: 'linux' }),
        new RegExp(`mode 0${mode.toString(8)}.*chmod 600`),
        readFileSync(file, 'utf8').trim(),
      );
    }
  });

  test('starts with a warning when the group may read the key file', () => {
    const dataDir = freshDir();
    const first = loadMasterKey({ dataDir });
    chmodSync(join(dataDir, 'master-key'), 0o640);
    const loaded = loadMasterKey({ dataDir, platform: 'linux' });
    assert.deepEqual(loaded.key, first.key);
    assert.equal(loaded.warnings.length, 1);
    assert.match(loaded.warnings[0]!, /mode 0640: its group can read every stored secret/);
  });

  test('refuses a key file that does not hold a key, naming the file and not its content', () => {
    const dataDir = freshDir();
    loadMasterKey({ dataDir });
    const file = join(dataDir, 'master-key');
    writeFileSync(file, 'hunter2-not-a-key\n');
    assertKeyError(
      () => loadMasterKey({ dataDir }),
      new RegExp(`the master key file ${file} is not a master key`),
      'hunter2',
    );
  });
});
