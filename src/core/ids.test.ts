import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createId, isIdWithPrefix } from './ids.ts';

describe('createId', () => {
  test('starts with the prefix and an underscore, then 26 lower-case base32 characters', () => {
    const id = createId('con');
    assert.match(id, /^con_[0-9a-hjkmnp-tv-z]{26}$/);
    assert.ok(isIdWithPrefix(id, 'con'));
    assert.ok(!isIdWithPrefix(id, 'env'));
  });

  test('leaves out the letters that read like digits (i, l, o, u)', () => {
    for (let i = 0; i < 200; i++) assert.doesNotMatch(createId('x').slice(2), /[ilou]/);
  });

  test('sorts by creation time, to the millisecond', () => {
    const times = [0, 1, 31, 32, 1_000, 1_700_000_000_000, 1_700_000_000_001, 4_102_444_800_000];
    const ids = times.map((ms) => createId('aud', ms));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(createId('aud', 0).slice(4, 14), '0000000000');
  });

  test('orders ids made now after ids made a millisecond earlier', () => {
    const now = Date.now();
    const earlier = Array.from({ length: 50 }, () => createId('del', now - 1));
    const later = Array.from({ length: 50 }, () => createId('del', now));
    for (const a of earlier) for (const b of later) assert.ok(a < b);
  });

  test('ids made in the same millisecond sort in the order they were made', () => {
    const ms = Date.now() + 5;
    const ids = Array.from({ length: 5_000 }, () => createId('dlv', ms));
    assert.deepEqual([...ids].sort(), ids);
    // the next millisecond starts afresh, after all of them
    const next = createId('dlv', ms + 1);
    assert.ok(next > (ids.at(-1) as string));
  });

  test('keeps that order when ids of another kind, at another time, are made in between', () => {
    const ms = Date.now() + 10;
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      ids.push(createId('dlv', ms));
      createId('msg', ms + 1 + (i % 3));
    }
    assert.deepEqual([...ids].sort(), ids);
  });

  test('makes 10,000 ids in the same millisecond without a repeat', () => {
    const ms = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => createId('con', ms)));
    assert.equal(ids.size, 10_000);
  });
});

describe('isIdWithPrefix', () => {
  test('refuses other shapes', () => {
    assert.ok(!isIdWithPrefix('con_short', 'con'));
    assert.ok(!isIdWithPrefix('con_01JD8X2K9M4F7C1W3E5R8T0Y2U', 'con'));
    assert.ok(!isIdWithPrefix('xcon_01jd8x2k9m4f7c1w3e5r8t0y2u', 'con'));
  });
});
