import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyMergePatch } from './merge-patch.ts';

// The examples of RFC 7396 Appendix A, one row each: [target, patch, result].
const rfcExamples: Array<[unknown, unknown, unknown]> = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [
    ['a', 'b'],
    ['c', 'd'],
    ['c', 'd'],
  ],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

test('applies every example of RFC 7396 Appendix A', () => {
  for (const [target, patch, result] of rfcExamples) {
    assert.deepEqual(applyMergePatch(target, patch), result, JSON.stringify([target, patch]));
  }
});

test('leaves the target and the patch unchanged', () => {
  const target = { environments: { test: { url: 'http://a' }, production: { url: 'https://b' } } };
  const patch = { environments: { test: null, production: { method: 'PUT' } } };
  const copy = structuredClone(target);
  assert.deepEqual(applyMergePatch(target, patch), {
    environments: { production: { url: 'https://b', method: 'PUT' } },
  });
  assert.deepEqual(target, copy);
  assert.deepEqual(patch, { environments: { test: null, production: { method: 'PUT' } } });
});
