import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createKeyMaterialCipher, KeyMaterialCipherError } from './key-material-cipher.ts';

describe('key material cipher', () => {
  const masterKey = randomBytes(32);
  const plain = Buffer.from(
    '-----BEGIN PRIVATE KEY-----\nsecret material\n-----END PRIVATE KEY-----\n',
  );

  test('opens what it sealed, and the sealed bytes do not contain the material', () => {
    const cipher = createKeyMaterialCipher(masterKey);
    const sealed = cipher.encrypt(plain, 'keystore:ks_1');
    assert.ok(!sealed.includes(Buffer.from('secret material')));
    assert.deepEqual(cipher.decrypt(sealed, 'keystore:ks_1'), plain);
    // a fresh nonce every time: sealing twice gives different bytes
    assert.notDeepEqual(cipher.encrypt(plain, 'keystore:ks_1'), sealed);
  });

  test('refuses material bound to another key store, or changed', () => {
    const cipher = createKeyMaterialCipher(masterKey);
    const sealed = cipher.encrypt(plain, 'keystore:ks_1');
    assert.throws(
      () => cipher.decrypt(sealed, 'keystore:ks_2'),
      (error: unknown) => {
        assert.ok(error instanceof KeyMaterialCipherError);
        assert.equal(error.reason, 'tampered');
        return true;
      },
    );
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    assert.throws(() => cipher.decrypt(flipped, 'keystore:ks_1'), KeyMaterialCipherError);
    assert.throws(() => cipher.decrypt(Buffer.alloc(10), 'keystore:ks_1'), /damaged/);
  });

  test('says when another master key sealed it', () => {
    const sealed = createKeyMaterialCipher(masterKey).encrypt(plain, 'a');
    assert.throws(
      () => createKeyMaterialCipher(randomBytes(32)).decrypt(sealed, 'a'),
      (error: unknown) =>
        error instanceof KeyMaterialCipherError &&
        error.reason === 'other-key' &&
        /another master key/.test(error.message),
    );
  });

  test('wants a 32-byte master key', () => {
    assert.throws(() => createKeyMaterialCipher(randomBytes(16)), /32 bytes/);
  });
});
