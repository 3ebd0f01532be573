import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRawJsonNumber, mayHoldInexactNumber, parseExactJson } from './exact-json.ts';

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

  test('the quick check flags every number a plain parse would change', () => {
    // every number written with 1 to 17 digits around a point, plus exponents
    for (const text of ['1.10', '1e5', '1E-3', '-0', '12345678901234567', '0.0000001']) {
      assert.ok(mayHoldInexactNumber(text), text);
    }
    for (const text of ['1.5', '100', '-2', '0.000001', '123456789012345', '"abc"']) {
      assert.equal(mayHoldInexactNumber(text), false, text);
    }
    // any number the check passes comes back unchanged from a plain parse (a fixed sequence)
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const digits = String(Math.floor(random() * 10 ** (1 + (i % 17))));
      const at = Math.floor(random() * digits.length);
      const text = `${i % 3 === 0 ? '-' : ''}${at === 0 ? digits : `${digits.slice(0, at)}.${digits.slice(at)}`}`;
      if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text) || mayHoldInexactNumber(text)) continue;
      assert.equal(String(JSON.parse(text)), text, text);
    }
  });
});
