import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { maxJsonDepth, parseJsonBody } from './json-body.ts';

/** Asserts that parsing `text` fails with INVALID_JSON and a message matching `message`. */
function assertInvalid(text: string, message: RegExp): void {
  assert.throws(
    () => parseJsonBody(text),
    (error: unknown) =>
      error instanceof AppError && error.code === 'INVALID_JSON' && message.test(error.message),
  );
}

const nestedArrays = (depth: number, inner = '') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('parseJsonBody', () => {
  test('parses objects, arrays and scalars as JSON.parse does', () => {
    assert.deepEqual(parseJsonBody('{"a":[1,{"b":null}],"c":"d"}'), {
      a: [1, { b: null }],
      c: 'd',
    });
    assert.deepEqual(parseJsonBody(' [true, 2.5] '), [true, 2.5]);
    assert.equal(parseJsonBody('"text"'), 'text');
  });

  test('reads an empty or blank body as no body', () => {
    assert.equal(parseJsonBody(''), undefined);
    assert.equal(parseJsonBody(' \n\t'), undefined);
  });

  test(`allows nesting ${maxJsonDepth} levels deep and refuses one more`, () => {
    assert.equal(maxJsonDepth, 64);
    assert.ok(Array.isArray(parseJsonBody(nestedArrays(64))));
    assertInvalid(nestedArrays(65), /nested .*64/);
    assertInvalid('{"a":'.repeat(65) + '1' + '}'.repeat(65), /nested/);
  });

  test('counts only the deepest branch, not every bracket', () => {
    const wide = `[${Array.from({ length: 200 }, () => nestedArrays(60)).join(',')}]`;
    assert.equal((parseJsonBody(wide) as unknown[]).length, 200);
  });

  test('refuses a body nested 500,000 deep with INVALID_JSON, not a stack overflow', () => {
    assertInvalid(nestedArrays(500_000), /nested/);
  });

  test('does not count brackets inside strings', () => {
    const value = parseJsonBody(`{"a":"${'['.repeat(100)}${'{'.repeat(100)}"}`) as { a: string };
    assert.equal(value.a.length, 200);
  });

  test('does not end a string at an escaped quote', () => {
    const text = `{"a":"say \\"${'['.repeat(100)}\\" loudly"}`;
    assert.equal((parseJsonBody(text) as { a: string }).a, `say "${'['.repeat(100)}" loudly`);
  });

  test('ends a string after an escaped backslash, so the brackets after it count', () => {
    assert.deepEqual(parseJsonBody(`["\\\\", ${nestedArrays(63)}]`), [
      '\\',
      JSON.parse(nestedArrays(63)),
    ]);
    assertInvalid(`["\\\\", ${nestedArrays(64)}]`, /nested/);
  });

  test('refuses __proto__, constructor and prototype keys at any depth', () => {
    assertInvalid('{"__proto__":{"polluted":true}}', /'__proto__'/);
    assertInvalid('{"constructor":{"prototype":{}}}', /'(constructor|prototype)'/);
    assertInvalid('[{"a":{"prototype":1}}]', /'prototype'/);
    assertInvalid('{"\\u005f_proto__":{}}', /'__proto__'/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('accepts those words as values', () => {
    assert.deepEqual(parseJsonBody('{"name":"__proto__","list":["constructor"]}'), {
      name: '__proto__',
      list: ['constructor'],
    });
  });

  test('refuses malformed JSON, saying why', () => {
    assertInvalid('{"a":', /not valid JSON/);
    assertInvalid('{a:1}', /not valid JSON/);
    assertInvalid('[1,]', /not valid JSON/);
    assertInvalid('{"a":1} {"b":2}', /not valid JSON/);
  });
});

describe('parseJsonBody with exactCallBodies (invoke, test, deliveries)', () => {
  const exact = (text: string) => parseJsonBody(text, { exactCallBodies: true });

  test("keeps each call body's numbers as written, and a call's params as their text", () => {
    const single = exact(
      '{"environment":"e","params":{"id":12345678901234567890,"n":7},"body":{"a":1.10,"b":[1e400]}}',
    ) as { params: Record<string, unknown>; body: unknown };
    assert.equal(JSON.stringify(single.body), '{"a":1.10,"b":[1e400]}');
    assert.deepEqual(single.params, { id: '12345678901234567890', n: 7 });

    const batch = exact('{"items":[{"params":{"x":-0},"body":2.50E+3},{"body":[-0]}]}') as {
      items: Array<{ params?: unknown; body: unknown }>;
    };
    assert.equal(JSON.stringify(batch.items[0]?.body), '2.50E+3');
    assert.deepEqual(batch.items[0]?.params, { x: '-0' });
    assert.equal(JSON.stringify(batch.items[1]?.body), '[-0]');
  });

  test('numbers elsewhere are plain numbers (what validation expects)', () => {
    const draft = exact('{"connection":{"timeoutMs":2.0e3,"list":[1.10]},"body":1.10}') as {
      connection: unknown;
      body: unknown;
    };
    assert.deepEqual(draft.connection, { timeoutMs: 2000, list: [1.1] });
    assert.equal(JSON.stringify(draft.body), '1.10');
    assert.equal(exact('1.10'), 1.1);
  });

  test('keeps refusing forbidden keys', () => {
    assert.throws(
      () => exact('{"body":{"__proto__":{"a":1.10}}}'),
      (error: unknown) => error instanceof AppError && error.code === 'INVALID_JSON',
    );
  });
});
