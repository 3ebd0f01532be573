import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportFileName } from './export-file-name.ts';

test('names the archive as the product does, with the day in UTC', () => {
  assert.equal(
    exportFileName('Production_Webhook', new Date('2025-11-13T09:30:00Z')),
    '13 Nov 2025-connection-Production_Webhook-export.zip',
  );
});

test('writes a one-digit day without a leading zero', () => {
  assert.equal(
    exportFileName('a.b-c', new Date('2026-01-05T00:00:00Z')),
    '5 Jan 2026-connection-a.b-c-export.zip',
  );
});

test('takes the UTC day, whatever the local time zone', () => {
  // 23:30 in New York on 31 Dec is already 1 Jan in UTC
  assert.equal(
    exportFileName('X', new Date('2025-12-31T23:30:00-05:00')),
    '1 Jan 2026-connection-X-export.zip',
  );
});
