import assert from 'node:assert/strict';
import { test } from 'node:test';
import { environmentParams } from '../../contracts/connections.ts';
import { collectReferences, createCollector } from './export-references.ts';

const params = (input: Record<string, unknown>) =>
  environmentParams.parse({ method: 'POST', url: 'https://example.com/', ...input });

test('finds secrets and variables in URL, header values and the signing secret, never params', () => {
  const found = collectReferences({
    environments: {
      production: params({
        url: 'https://{{var.HOST}}/{{param.id}}',
        headers: [{ name: 'Authorization', value: 'Bearer {{secret.TOKEN}}' }],
        signing: { scheme: 'hmac-sha256', secret: '{{secret.SIGNING}}' },
      }),
    },
  });
  assert.deepEqual(found, {
    certificate: [],
    keystore: [],
    secret: [
      { name: 'SIGNING', usedBy: ['environments.production.signing.secret'] },
      { name: 'TOKEN', usedBy: ['environments.production.headers[0].value'] },
    ],
    variable: [{ name: 'HOST', usedBy: ['environments.production.url'] }],
  });
});

test('names ignore case: one entry per certificate or key store, the first spelling kept', () => {
  const found = collectReferences({
    environments: {
      production: params({ tls: { caCertificates: ['Corp-Root'], keyStore: 'client' } }),
      test: params({ tls: { caCertificates: ['corp-root', 'Extra'], keyStore: 'CLIENT' } }),
    },
  });
  assert.deepEqual(found.certificate, [
    {
      name: 'Corp-Root',
      usedBy: [
        'environments.production.tls.caCertificates[0]',
        'environments.test.tls.caCertificates[0]',
      ],
    },
    { name: 'Extra', usedBy: ['environments.test.tls.caCertificates[1]'] },
  ]);
  assert.deepEqual(found.keystore, [
    {
      name: 'client',
      usedBy: ['environments.production.tls.keyStore', 'environments.test.tls.keyStore'],
    },
  ]);
});

test('a collector started from references takes more (a key store passphrase secret)', () => {
  const more = createCollector(
    collectReferences({
      environments: {
        production: params({ headers: [{ name: 'X-Key', value: '{{secret.B}}' }] }),
      },
    }),
  );
  more.add('secret', 'A', 'keystores.client.passphrase');
  more.add('secret', 'b', 'keystores.client.passphrase');
  assert.deepEqual(more.result().secret, [
    { name: 'A', usedBy: ['keystores.client.passphrase'] },
    {
      name: 'B',
      usedBy: ['environments.production.headers[0].value', 'keystores.client.passphrase'],
    },
  ]);
});
