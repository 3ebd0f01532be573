// Test Connection warns about the target's certificate the way Hookline warns about its own.
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { certificateExpiringInDays } from '../helpers/test-certificates.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

/** An HTTPS target on 127.0.0.1 with a certificate that ends `days` from now. */
async function startTargetExpiringIn(
  days: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const pair = certificateExpiringInDays(days);
  const server = https.createServer(
    { cert: pair.certPem, key: pair.keyPem },
    (_request, response) => response.end('ok'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function draft(url: string) {
  return {
    environment: 'development',
    connection: {
      name: 'Expiry_Check',
      // the self-signed test certificate names no host: development may skip verification
      environments: { development: { method: 'GET', url, tls: { verify: false } } },
    },
  };
}

for (const kind of testStores()) {
  describe(`Test Connection certificate warnings on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('warns when the target certificate expires within 30 days, with the date', async () => {
      const target = await startTargetExpiringIn(10);
      try {
        const response = await api.request('POST', '/api/v1/connections/test', draft(target.url));
        assert.equal(response.status, 200, response.text);
        assert.equal(response.body.outcome, 'OK');
        const warning = response.body.warnings.find(
          (w: { code: string }) => w.code === 'TARGET_CERTIFICATE_EXPIRES_SOON',
        );
        assert.ok(warning, JSON.stringify(response.body.warnings));
        assert.ok(warning.message.includes(response.body.tlsPeer.validTo));
      } finally {
        await target.close();
      }
    });

    test('says nothing about a certificate valid for longer', async () => {
      const target = await startTargetExpiringIn(200);
      try {
        const response = await api.request('POST', '/api/v1/connections/test', draft(target.url));
        assert.equal(response.body.outcome, 'OK');
        assert.deepEqual(
          response.body.warnings.filter((w: { code: string }) => w.code.startsWith('TARGET_')),
          [],
        );
      } finally {
        await target.close();
      }
    });
  });
}
