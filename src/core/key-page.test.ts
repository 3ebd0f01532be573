import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyAfter, keyPage } from './key-page.ts';

test('a page of limit rows, and a cursor naming its last key only when one more row was read', () => {
  const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const full = keyPage(
    rows,
    2,
    (row) => row.id.toUpperCase(),
    (row) => row.id,
  );
  assert.deepEqual(full.items, ['A', 'B']);
  assert.equal(keyAfter(full.next ?? undefined), 'b');
  const last = keyPage(
    rows,
    3,
    (row) => row.id,
    (row) => row.id,
  );
  assert.deepEqual(last, { items: ['a', 'b', 'c'], next: null });
  assert.equal(keyAfter(undefined), undefined);
});
