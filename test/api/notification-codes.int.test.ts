// Notifications written before the codes were a closed set (OK, CIRCUIT_OPEN, SEALED_HEADERS,
// APPROVAL_NOT_PENDING for an expiry) are answered with the codes of the catalog, so the API
// keeps its own OpenAPI contract for old rows too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { notificationCodes } from '../../src/contracts/notification-codes.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

for (const kind of testStores()) {
  describe(`notification codes of older rows on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('rows with codes outside the catalog are read as the codes that replaced them', async () => {
      const rows: Array<[string, string, string, string]> = [
        ['circuit_closed', 'OK', 'deliveries flow again', 'CIRCUIT_CLOSED'],
        ['approval_decided', 'OK', 'alice approved revision 2', 'APPROVAL_APPROVED'],
        ['approval_decided', 'OK', 'bob rejected revision 3', 'APPROVAL_REJECTED'],
        ['approval_expired', 'APPROVAL_NOT_PENDING', 'expired undecided', 'APPROVAL_EXPIRED'],
        [
          'delivery_failed',
          'SEALED_HEADERS',
          'sealed under another key',
          'SEALED_HEADERS_UNREADABLE',
        ],
        ['circuit_opened', 'CIRCUIT_OPEN', 'held', 'HTTP_5XX'],
        ['dispatch_failed', 'HTTP_429', 'rate limited', 'HTTP_429'],
      ];
      const at = '2026-01-01T00:00:00.000Z';
      await api.services.store.db
        .insertInto('notifications')
        .values(
          rows.map(([rowKind, code, message], index) => ({
            id: `ntf_legacy_${index}`,
            kind: rowKind,
            connection_id: `con_legacy_${index}`,
            connection_name: 'Legacy',
            environment_id: 'development',
            code,
            message,
            count: 1,
            minute: '2026-01-01T00:00Z',
            first_at: at,
            last_at: at,
          })),
        )
        .execute();
      // the test API checks every answer against its schema: an unknown code would be a 500
      const listed = await api.request('GET', '/api/v1/notifications?limit=500');
      assert.equal(listed.status, 200, listed.text);
      const byId = new Map(listed.body.items.map((item: any) => [item.id, item.code]));
      rows.forEach(([, , , expected], index) => {
        assert.equal(byId.get(`ntf_legacy_${index}`), expected, rows[index]!.join(' '));
      });
      for (const item of listed.body.items) {
        assert.ok((notificationCodes as readonly string[]).includes(item.code), item.code);
      }
    });
  });
}
