import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasInexactNumber, isRawJsonNumber, parseExactJson } from './exact-json.ts';

const roundTrip = (text: string) => JSON.stringify(parseExactJson(text));

describe('parseExactJson', () => {
  test('big integers, trailing zeros, exponents and -0 come back as written', () => {
    for (const text of [
      '12345678901234567890',
      '1.10',
      '1e400',
      '2.50E+3',
      '-0',
      '1E2',
      '0.0000001',
      '12345678.123456789',
      '-1.0e-7',
    ]) {
      assert.equal(roundTrip(text), text);
      assert.equal(roundTrip(`{"n":${text},"a":[${text}]}`), `{"n":${text},"a":[${text}]}`);
    }
  });

  test('numbers that survive a plain parse stay plain numbers', () => {
    const value = parseExactJson('{"a":1.5,"b":100,"c":-2,"d":0.000001,"e":"1.10"}') as Record<
      string,
      unknown
    >;
    assert.deepEqual(value, { a: 1.5, b: 100, c: -2, d: 0.000001, e: '1.10' });
    assert.equal(isRawJsonNumber(parseExactJson('[1.10]') as unknown[]), false);
    assert.equal(isRawJsonNumber((parseExactJson('[1.10]') as unknown[])[0]), true);
  });

  test('the quick check finds exactly the numbers a plain parse would change, outside strings', () => {
    for (const text of [
      '1.10',
      '1e5',
      '1E-3',
      '-0',
      '12345678901234567',
      '0.0000001',
      '[1,2.50]',
    ]) {
      assert.ok(hasInexactNumber(text), text);
    }
    for (const text of [
      '1.5',
      '100',
      '-2',
      '0.000001',
      '123456789012345',
      '{"at":"2026-12-07T10:00:00.000Z","sku":"sku-0","v":"1.10","q":"\\"1.10"}',
    ]) {
      assert.equal(hasInexactNumber(text), false, text);
    }
    // against the parse itself, over a fixed sequence of numbers of 1 to 17 digits
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const digits = String(Math.floor(random() * 10 ** (1 + (i % 17))));
      const at = Math.floor(random() * digits.length);
      const exponent = i % 5 === 0 ? `e${Math.floor(random() * 40) - 20}` : '';
      const text = `${i % 3 === 0 ? '-' : ''}${at === 0 ? digits : `${digits.slice(0, at)}.${digits.slice(at)}`}${exponent}`;
      if (!/^-?(0|[1-9]\d*)(\.\d+)?(e-?\d+)?$/.test(text)) continue;
      assert.equal(hasInexactNumber(text), String(JSON.parse(text)) !== text, text);
    }
  });
});
