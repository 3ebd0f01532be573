import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomBytesPooled } from './random.ts';

test('hands out bytes of the asked size, never the same twice, across pool refills', () => {
  const seen = new Set<string>();
  // 4 KiB pool / 16 bytes: this crosses the refill about 5 times
  for (let i = 0; i < 1300; i++) {
    const bytes = randomBytesPooled(16);
    assert.equal(bytes.length, 16);
    const hex = bytes.toString('hex');
    assert.ok(!seen.has(hex), 'a repeated value');
    assert.notEqual(hex, '0'.repeat(32));
    seen.add(hex);
  }
});

test('the bytes handed out are a copy: later draws do not change them', () => {
  const first = randomBytesPooled(8);
  const copy = Buffer.from(first);
  for (let i = 0; i < 600; i++) randomBytesPooled(8);
  assert.deepEqual(first, copy);
});
