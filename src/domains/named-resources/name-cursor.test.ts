import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { decodeNameCursor, encodeNameCursor, readNamePage } from './name-cursor.ts';

describe('name cursors', () => {
  test('a cursor of one list continues after the name key it was made from', () => {
    assert.equal(decodeNameCursor('s', encodeNameCursor('s', 'crm_token')), 'crm_token');
  });

  test("another list's cursor, an empty key or any other text is VALIDATION_FAILED", () => {
    for (const cursor of [encodeNameCursor('v', 'crm_token'), encodeNameCursor('s', ''), 'xyz']) {
      assert.throws(
        () => decodeNameCursor('s', cursor),
        (error: unknown) => error instanceof AppError && error.code === 'VALIDATION_FAILED',
      );
    }
  });

  test('reads one row more than the limit to say whether a next page follows', async () => {
    const names = ['Alpha', 'beta', 'Gamma'];
    const read = async (filter: { afterNameKey?: string; limit: number }) =>
      names
        .filter(
          (name) => filter.afterNameKey === undefined || name.toLowerCase() > filter.afterNameKey,
        )
        .slice(0, filter.limit)
        .map((name) => ({ name }));
    const first = await readNamePage({ limit: 2 }, 'c', read);
    assert.deepEqual(
      first.page.map((row) => row.name),
      ['Alpha', 'beta'],
    );
    assert.ok(first.next);
    const second = await readNamePage({ limit: 2, cursor: first.next }, 'c', read);
    assert.deepEqual(
      second.page.map((row) => row.name),
      ['Gamma'],
    );
    assert.equal(second.next, null);
  });
});
