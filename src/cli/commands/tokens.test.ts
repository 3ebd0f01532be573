import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../context.ts';
import { parseExpiry } from './tokens.ts';

const now = new Date('2026-11-29T10:00:00.000Z');

describe('parseExpiry (tokens create --expires)', () => {
  test('reads hours, days and weeks from now', () => {
    assert.equal(parseExpiry('12h', now), '2026-11-29T22:00:00.000Z');
    assert.equal(parseExpiry('30d', now), '2026-12-29T10:00:00.000Z');
    assert.equal(parseExpiry('2w', now), '2026-12-13T10:00:00.000Z');
  });

  test('sends a time with its zone as the same instant in UTC', () => {
    assert.equal(parseExpiry('2026-12-31T23:59:00Z', now), '2026-12-31T23:59:00.000Z');
    assert.equal(parseExpiry('2027-01-01T00:30+01:00', now), '2026-12-31T23:30:00.000Z');
  });

  test('refuses a time without a zone, words, zero and the past as usage errors', () => {
    for (const text of ['2026-12-31T23:59:00', '2026-12-31', 'tomorrow', '30', '30m', '0d']) {
      assert.throws(() => parseExpiry(text, now), UsageError, text);
    }
    assert.throws(() => parseExpiry('2026-11-29T09:59:59Z', now), /not in the future/);
  });
});
