import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { masterKeyIdOf } from './master-key.ts';
import { openSecret, sealSecret, SecretCipherError, type SealedSecret } from './secret-cipher.ts';

const key = randomBytes(32);
const value = 'sk_live_51HxVERYSECRETvalue-ÄÖÜ-🔑';

/** Flips one bit of a base64 field, the way a corrupted or edited row would differ. */
function flipBit(base64: string, byteIndex = 0): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[byteIndex % bytes.length]! ^= 0x01;
  return bytes.toString('base64');
}

function assertRefused(open: () => unknown, reason: 'other-key' | 'tampered', name: string) {
  assert.throws(open, (error: unknown) => {
    assert.ok(error instanceof SecretCipherError, String(error));
    assert.equal(error.reason, reason);
    assert.ok(error.message.includes(`'${name}'`), error.message);
    assert.ok(!error.message.includes(value), 'the message quotes the value');
    return true;
  });
}

describe('sealSecret / openSecret (AES-256-GCM)', () => {
  test('opens what it sealed, names the key, and never stores the value in clear', () => {
    const sealed = sealSecret(key, 'CRM_TOKEN', value);
    assert.equal(openSecret(key, 'CRM_TOKEN', sealed), value);
    assert.equal(sealed.keyId, masterKeyIdOf(key));
    assert.match(sealed.keyId, /^[0-9a-f]{8}$/);
    assert.equal(Buffer.from(sealed.nonce, 'base64').length, 12);
    assert.equal(Buffer.from(sealed.tag, 'base64').length, 16);
    const stored = JSON.stringify(sealed);
    assert.ok(!stored.includes(value));
    assert.ok(!stored.includes(Buffer.from(value).toString('base64')));
    assert.ok(!stored.includes(key.toString('hex')) && !stored.includes(key.toString('base64')));
  });

  test('uses a fresh nonce each time: the same value seals to different ciphertexts', () => {
    const a = sealSecret(key, 'A', value);
    const b = sealSecret(key, 'A', value);
    assert.notEqual(a.nonce, b.nonce);
    assert.notEqual(a.ciphertext, b.ciphertext);
  });

  test('refuses a changed nonce, ciphertext or tag as tampered', () => {
    const sealed = sealSecret(key, 'CRM_TOKEN', value);
    const variants: Array<[string, SealedSecret]> = [
      ['nonce', { ...sealed, nonce: flipBit(sealed.nonce) }],
      ['ciphertext', { ...sealed, ciphertext: flipBit(sealed.ciphertext, 5) }],
      ['tag', { ...sealed, tag: flipBit(sealed.tag, 15) }],
      [
        'truncated tag',
        { ...sealed, tag: Buffer.from(sealed.tag, 'base64').subarray(0, 12).toString('base64') },
      ],
      [
        'short nonce',
        { ...sealed, nonce: Buffer.from(sealed.nonce, 'base64').subarray(0, 8).toString('base64') },
      ],
      ['empty ciphertext', { ...sealed, ciphertext: '' }],
    ];
    for (const [what, tampered] of variants) {
      assertRefused(() => openSecret(key, 'CRM_TOKEN', tampered), 'tampered', 'CRM_TOKEN');
      assert.ok(what);
    }
  });

  test("refuses a ciphertext moved to another secret's name (the name is authenticated)", () => {
    const sealed = sealSecret(key, 'LOW_VALUE', value);
    assertRefused(() => openSecret(key, 'PAYMENTS_KEY', sealed), 'tampered', 'PAYMENTS_KEY');
    // names are compared exactly: case matters to the cipher
    assertRefused(() => openSecret(key, 'low_value', sealed), 'tampered', 'low_value');
  });

  test('says clearly that another master key sealed it, with both key ids', () => {
    const sealed = sealSecret(key, 'CRM_TOKEN', value);
    const otherKey = randomBytes(32);
    assertRefused(() => openSecret(otherKey, 'CRM_TOKEN', sealed), 'other-key', 'CRM_TOKEN');
    try {
      openSecret(otherKey, 'CRM_TOKEN', sealed);
    } catch (error) {
      const message = (error as Error).message;
      assert.match(message, /was encrypted with another master key/);
      assert.ok(message.includes(masterKeyIdOf(key)) && message.includes(masterKeyIdOf(otherKey)));
      assert.ok(
        !message.includes(key.toString('hex')) && !message.includes(otherKey.toString('hex')),
      );
    }
  });

  test('a wrong key under a forged key id still fails authentication', () => {
    const sealed = sealSecret(key, 'CRM_TOKEN', value);
    const otherKey = randomBytes(32);
    assertRefused(
      () => openSecret(otherKey, 'CRM_TOKEN', { ...sealed, keyId: masterKeyIdOf(otherKey) }),
      'tampered',
      'CRM_TOKEN',
    );
  });
});
