import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeFileName } from './export.ts';

test("keeps the server's file name when it is a plain file name", () => {
  const name = '13 Nov 2025-connection-Production_Webhook-export.zip';
  assert.equal(safeFileName(name, 'Production_Webhook'), name);
});

test('never lets a name from the network choose the directory', () => {
  for (const hostile of ['../x.zip', '/etc/passwd', 'a/b.zip', 'a\\b.zip', '..', '.', 'x\ny.zip']) {
    assert.equal(safeFileName(hostile, 'Hook'), 'Hook-export.zip', hostile);
  }
});

test('without a name from the server: <connection>-export.zip, made safe', () => {
  assert.equal(safeFileName(undefined, 'Production_Webhook'), 'Production_Webhook-export.zip');
  assert.equal(safeFileName(undefined, '../evil/ref'), '__evil_ref-export.zip');
});
