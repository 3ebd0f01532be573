import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { isUniqueNameViolation } from './unique-name-violation.ts';

function duplicateInsertError(): unknown {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE secrets (id TEXT PRIMARY KEY, name_key TEXT NOT NULL)');
  db.exec('CREATE UNIQUE INDEX secrets_name_key ON secrets (name_key)');
  db.exec("INSERT INTO secrets VALUES ('a', 'crm_token')");
  try {
    db.exec("INSERT INTO secrets VALUES ('b', 'crm_token')");
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  return undefined;
}

test("SQLite's duplicate name is a violation of that table's name index only", () => {
  const error = duplicateInsertError();
  assert.equal(isUniqueNameViolation(error, 'secrets'), true);
  assert.equal(isUniqueNameViolation(error, 'variables'), false);
});

test('PostgreSQL 23505 counts only on the `<table>_name_key` index', () => {
  const onIndex = Object.assign(new Error('duplicate key'), {
    code: '23505',
    constraint: 'key_stores_name_key',
  });
  const onPrimaryKey = Object.assign(new Error('duplicate key'), {
    code: '23505',
    constraint: 'key_stores_pkey',
  });
  assert.equal(isUniqueNameViolation(onIndex, 'key_stores'), true);
  assert.equal(isUniqueNameViolation(onPrimaryKey, 'key_stores'), false);
  assert.equal(isUniqueNameViolation('not an error', 'key_stores'), false);
});
