import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createKeyMaterialCipher } from '../keystores/index.ts';
import { createHeaderSeal } from './header-seal.ts';

const purpose = 'hookline delivery headers v1';

describe('delivery header seal', () => {
  const key = randomBytes(32);
  const seal = createHeaderSeal(createKeyMaterialCipher(key, purpose));
  const headers = {
    Authorization: 'Bearer s3cr3t-value',
    'X-Api-Key': 'k-123',
    Accept: 'text/plain',
  };

  test('seals the credential headers, keeps the others, and opens them again', () => {
    const stored = seal.seal('dlv_a', headers);
    assert.ok(!stored.includes('s3cr3t-value') && !stored.includes('k-123'), stored);
    assert.equal(JSON.parse(stored).Accept, 'text/plain');
    assert.deepEqual(seal.open('dlv_a', stored), headers);
  });

  test('a sealed value opens only for its delivery, and only under its master key', () => {
    const stored = seal.seal('dlv_a', headers);
    assert.throws(() => seal.open('dlv_b', stored));
    const otherKey = createHeaderSeal(createKeyMaterialCipher(randomBytes(32), purpose));
    assert.throws(() => otherKey.open('dlv_a', stored));
    // the key stores' key (same master key, another purpose) does not open it either
    const keyStoreKey = createHeaderSeal(createKeyMaterialCipher(key));
    assert.throws(() => keyStoreKey.open('dlv_a', stored));
  });
});
