// GET /api/v1/connections/{id}/export (DESIGN §3 "Export archive"): the file name, every file
// of the zip, its checksums, and what must never be in it — secret values, private keys,
// PKCS#12 files, passphrases.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { exportMetadata } from '../../src/contracts/exports.ts';
import { startTestApi, testToken, type TestApi } from '../helpers/test-api.ts';
import { createTestPki, type TestPki } from '../helpers/test-certificates.ts';
import { readZip, type ZipEntry } from '../helpers/read-zip.ts';
import { testStores } from '../helpers/test-stores.ts';
import { addUser, type TestUser } from '../helpers/test-users.ts';

const exportedAt = '2025-11-13T09:30:00.000Z';
const fileName = '13 Nov 2025-connection-Production_Webhook-export.zip';
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const kind of testStores()) {
  describe(`connection export on ${kind.name}`, () => {
    let api: TestApi;
    let pki: TestPki;
    let viewer: TestUser;
    let connectionId: string;
    const crmToken = `crm-${randomBytes(16).toString('hex')}`;
    const otherSecret = `other-${randomBytes(16).toString('hex')}`;

    async function download(path: string, token = testToken): Promise<Download> {
      const response = await fetch(api.url + path, {
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: response.status,
        headers: response.headers,
        bytes: Buffer.from(await response.arrayBuffer()),
      };
    }

    async function created(method: string, path: string, body: unknown) {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }

    before(async () => {
      // the export's date is the injected clock's, in UTC
      [api, pki] = await Promise.all([
        startTestApi(kind, { clock: { now: () => new Date(exportedAt) } }),
        createTestPki(),
      ]);
      viewer = await addUser(api.services, 'viewer');
      await created('POST', '/api/v1/secrets', {
        name: 'CRM_TOKEN',
        description: 'CRM bearer token',
        value: crmToken,
      });
      await created('POST', '/api/v1/secrets', {
        name: 'P12_PASS',
        value: pki.client.p12Passphrase,
      });
      // a secret no connection uses: not in the export either
      await created('POST', '/api/v1/secrets', { name: 'UNUSED', value: otherSecret });
      await created('POST', '/api/v1/variables', {
        name: 'TENANT',
        description: 'tenant of the CRM',
        values: { production: 'acme', test: 'acme-test' },
      });
      await created('POST', '/api/v1/certificates', { name: 'partner-ca', pem: pki.ca.certPem });
      await created('POST', '/api/v1/keystores', {
        name: 'client-p12',
        format: 'pkcs12',
        pkcs12Base64: pki.client.p12.toString('base64'),
        passphrase: '{{secret.P12_PASS}}',
      });
      await created('POST', '/api/v1/keystores', {
        name: 'client-pem',
        format: 'pem',
        certificatePem: pki.client.certPem + pki.ca.certPem,
        privateKeyPem: pki.client.keyPem,
      });
      const connection = await created('POST', '/api/v1/connections', {
        name: 'Production_Webhook',
        description: 'orders to the CRM',
        environments: {
          production: {
            method: 'POST',
            url: 'https://crm.example.com/{{var.TENANT}}/orders',
            headers: [
              { name: 'Authorization', value: 'Bearer {{secret.CRM_TOKEN}}' },
              { name: 'X-Tenant', value: '{{var.TENANT}}' },
              { name: 'X-Order', value: '{{param.orderId}}' },
            ],
            tls: { verify: true, caCertificates: ['partner-ca'], keyStore: 'client-p12' },
          },
          test: {
            method: 'POST',
            url: 'https://crm-test.example.com/{{var.TENANT}}/orders',
            headers: [{ name: 'X-Api-Key', value: '{{secret.NOT_YET}}' }],
            // names ignore case: the same certificate once
            tls: { verify: true, caCertificates: ['PARTNER-CA'], keyStore: 'client-pem' },
          },
        },
      });
      connectionId = connection.id;
    });
    after(() => api.close());

    test('answers a zip named as the product names it, without caching', async () => {
      const answer = await download('/api/v1/connections/Production_Webhook/export');
      assert.equal(answer.status, 200, answer.bytes.toString());
      assert.equal(answer.headers.get('content-type'), 'application/zip');
      assert.equal(answer.headers.get('content-disposition'), `attachment; filename="${fileName}"`);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.equal(answer.bytes.subarray(0, 4).toString('binary'), 'PK\x03\x04');
    });

    test('holds metadata, the connection as GET answers it, and its dependencies', async () => {
      const answer = await download(`/api/v1/connections/${connectionId}/export`);
      assert.equal(answer.status, 200);
      const entries = await readZip(answer.bytes);
      assert.deepEqual(
        entries.map((entry) => entry.path),
        [
          'metadata.json',
          'connection.json',
          'dependencies/certificates/partner-ca.json',
          'dependencies/certificates/partner-ca.pem',
          'dependencies/keystores/client-p12.json',
          'dependencies/keystores/client-p12.pem',
          'dependencies/keystores/client-pem.json',
          'dependencies/keystores/client-pem.pem',
          'dependencies/secrets.json',
          'dependencies/variables.json',
        ],
      );
      for (const entry of entries) {
        assert.equal(entry.mode, 0o644, entry.path);
        assert.equal(entry.mtime.getTime(), new Date(exportedAt).getTime(), entry.path);
      }
      const file = (path: string) => entries.find((entry) => entry.path === path) as ZipEntry;
      const json = (path: string) => JSON.parse(file(path).content.toString('utf8'));

      const got = await api.request('GET', `/api/v1/connections/${connectionId}`);
      assert.deepEqual(json('connection.json'), got.body);
      assert.equal(
        json('connection.json').environments.production.headers[0].value,
        'Bearer {{secret.CRM_TOKEN}}',
        'a secret stays a reference',
      );

      const metadata = exportMetadata.parse(json('metadata.json'));
      assert.deepEqual(
        { ...metadata, files: undefined },
        {
          formatVersion: 1,
          exporter: `hookline ${version}`,
          exportedAt,
          exportedBy: 'admin',
          connection: {
            id: connectionId,
            name: 'Production_Webhook',
            project: 'default',
            revision: 1,
          },
          dependencies: {
            certificates: ['partner-ca'],
            keyStores: ['client-p12', 'client-pem'],
            secrets: ['CRM_TOKEN', 'P12_PASS'],
            variables: ['TENANT'],
            missing: [{ kind: 'secret', name: 'NOT_YET' }],
          },
          files: undefined,
          valuesToSet: [],
        },
      );
      // a checksum for every other file, in archive order, and each one right
      assert.deepEqual(
        metadata.files.map((f) => f.path),
        entries.slice(1).map((entry) => entry.path),
      );
      for (const listed of metadata.files) {
        const content = file(listed.path).content;
        assert.equal(listed.bytes, content.length, listed.path);
        assert.equal(listed.sha256, sha256(content), listed.path);
      }

      const certificate = await api.request('GET', '/api/v1/certificates/partner-ca');
      assert.equal(
        file('dependencies/certificates/partner-ca.pem').content.toString(),
        certificate.body.pem,
      );
      // the summary as GET answers it, the PEM beside it
      assert.deepEqual(
        json('dependencies/certificates/partner-ca.json'),
        Object.fromEntries(Object.entries(certificate.body).filter(([key]) => key !== 'pem')),
      );

      for (const name of ['client-p12', 'client-pem']) {
        const keyStore = await api.request('GET', `/api/v1/keystores/${name}`);
        assert.deepEqual(json(`dependencies/keystores/${name}.json`), keyStore.body);
        const chain = file(`dependencies/keystores/${name}.pem`).content.toString();
        assert.ok(chain.includes(pki.client.certPem.trim().split('\n')[3] as string), name);
        assert.match(chain, /^-----BEGIN CERTIFICATE-----/);
        assert.doesNotMatch(chain, /PRIVATE KEY/);
      }

      assert.deepEqual(json('dependencies/secrets.json'), {
        secrets: [
          {
            name: 'CRM_TOKEN',
            description: 'CRM bearer token',
            source: 'stored',
            usedBy: ['environments.production.headers[0].value'],
          },
          {
            name: 'P12_PASS',
            description: '',
            source: 'stored',
            usedBy: ['keystores.client-p12.passphrase'],
          },
        ],
      });
      assert.deepEqual(json('dependencies/variables.json'), {
        variables: [
          {
            name: 'TENANT',
            description: 'tenant of the CRM',
            values: { production: 'acme', test: 'acme-test' },
            usedBy: [
              'environments.production.url',
              'environments.production.headers[1].value',
              'environments.test.url',
            ],
          },
        ],
      });
    });

    test('never holds a secret value, a private key, a PKCS#12 file or a passphrase', async () => {
      const answer = await download('/api/v1/connections/Production_Webhook/export');
      const entries = await readZip(answer.bytes);
      const p12 = pki.client.p12;
      const forbidden: Array<[string, Buffer]> = [
        ['the CRM_TOKEN value', Buffer.from(crmToken)],
        ['an unused secret value', Buffer.from(otherSecret)],
        ['the PKCS#12 passphrase', Buffer.from(pki.client.p12Passphrase)],
        ['the PKCS#12 file', p12.subarray(64, 128)],
        ['the PKCS#12 file in base64', Buffer.from(p12.toString('base64').slice(200, 260))],
        ['the client private key', Buffer.from(pki.client.keyPem.split('\n')[5] as string)],
        ['a private key block', Buffer.from('PRIVATE KEY')],
      ];
      for (const [what, bytes] of forbidden) {
        assert.equal(answer.bytes.indexOf(bytes), -1, `${what} is in the response bytes`);
        for (const entry of entries) {
          assert.equal(entry.content.indexOf(bytes), -1, `${what} is in ${entry.path}`);
        }
      }
    });

    test('a viewer may export, and is named as the exporter', async () => {
      const answer = await download('/api/v1/connections/Production_Webhook/export', viewer.token);
      assert.equal(answer.status, 200, answer.bytes.toString());
      const entries = await readZip(answer.bytes);
      const metadata = JSON.parse(
        (entries.find((entry) => entry.path === 'metadata.json') as ZipEntry).content.toString(),
      );
      assert.equal(metadata.exportedBy, viewer.username);
    });

    test('every export writes a connection.export audit record with who and which revision', async () => {
      const answer = await download('/api/v1/connections/Production_Webhook/export');
      const audit = await api.request(
        'GET',
        `/api/v1/audit?action=connection.export&targetId=${connectionId}`,
      );
      assert.equal(audit.status, 200, audit.text);
      const latest = audit.body.items[0];
      assert.deepEqual(
        { ...latest, id: undefined },
        {
          id: undefined,
          at: exportedAt,
          actor: 'admin',
          action: 'connection.export',
          targetType: 'connection',
          targetId: connectionId,
          targetName: 'Production_Webhook',
          before: null,
          after: { revision: 1, fileName, sha256: sha256(answer.bytes) },
        },
      );
      assert.ok(
        audit.body.items.some((item: { actor: string }) => item.actor === viewer.username),
        "the viewer's export is audited too",
      );
    });

    test('exports the revision the connection is at now', async () => {
      const changed = await api.request('PATCH', `/api/v1/connections/${connectionId}`, {
        description: 'orders and refunds to the CRM',
      });
      assert.equal(changed.status, 200, changed.text);
      const entries = await readZip(
        (await download(`/api/v1/connections/${connectionId}/export`)).bytes,
      );
      const json = (path: string) =>
        JSON.parse((entries.find((e) => e.path === path) as ZipEntry).content.toString());
      assert.equal(json('metadata.json').connection.revision, 2);
      assert.equal(json('connection.json').description, 'orders and refunds to the CRM');
    });

    test('finds a name in the project ?project= names', async () => {
      await created('POST', '/api/v1/projects', { id: 'payments', name: 'Payments' });
      const body = {
        environments: { production: { method: 'POST', url: 'https://pay.example.com/hook' } },
      };
      await created('POST', '/api/v1/connections', { name: 'Shared', ...body });
      const inPayments = await created('POST', '/api/v1/connections', {
        name: 'Shared',
        project: 'payments',
        ...body,
      });
      const answer = await download('/api/v1/connections/Shared/export?project=payments');
      assert.equal(answer.status, 200);
      const entries = await readZip(answer.bytes);
      const metadata = JSON.parse((entries[0] as ZipEntry).content.toString());
      assert.deepEqual(metadata.connection, {
        id: inPayments.id,
        name: 'Shared',
        project: 'payments',
        revision: 1,
      });
      // no dependencies: the dependency lists are there, and empty
      assert.deepEqual(
        entries.map((entry) => entry.path),
        [
          'metadata.json',
          'connection.json',
          'dependencies/secrets.json',
          'dependencies/variables.json',
        ],
      );
    });

    test('an unknown connection is NOT_FOUND, as JSON, and nothing is audited', async () => {
      const before = await api.request('GET', '/api/v1/audit?action=connection.export');
      const answer = await api.request('GET', '/api/v1/connections/No_Such_Hook/export');
      assert.equal(answer.status, 404);
      assert.equal(answer.body.error.code, 'NOT_FOUND');
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
      const afterwards = await api.request('GET', '/api/v1/audit?action=connection.export');
      assert.equal(afterwards.body.items.length, before.body.items.length);
    });

    test('without a token the answer is 401 and no archive', async () => {
      const answer = await api.request(
        'GET',
        '/api/v1/connections/Production_Webhook/export',
        undefined,
        {
          token: null,
        },
      );
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'UNAUTHENTICATED');
    });
  });
}
