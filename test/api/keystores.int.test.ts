import assert from 'node:assert/strict';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import { runCli } from '../../src/cli/main.ts';
import { TlsMaterialError, type TlsOptions } from '../../src/domains/keystores/index.ts';
import { validConnection, validEnvironment } from '../helpers/connection-fixtures.ts';
import { startTestApi, testToken, type TestApi } from '../helpers/test-api.ts';
import {
  certificateExpiringInDays,
  createTestPki,
  type TestPki,
} from '../helpers/test-certificates.ts';
import { testStores, type TestStoreKind } from '../helpers/test-stores.ts';

const base = '/api/v1/keystores';

function problemsOf(response: { body: any }): Array<{ path: string; message: string }> {
  return response.body?.error?.details?.problems ?? [];
}

/** An HTTPS server that demands a client certificate from the PKI's CA and answers its CN. */
async function startMtlsServer(pki: TestPki): Promise<{ origin: string; close(): Promise<void> }> {
  const server = https.createServer(
    {
      cert: pki.server.certPem,
      key: pki.server.keyPem,
      ca: pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ client: peer.subject?.CN ?? null }));
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One request through undici with the resolved options, answering the client CN seen. */
async function callWith(origin: string, options: TlsOptions): Promise<unknown> {
  const dispatcher = new Agent({ connect: options });
  try {
    const response = await request(`${origin}/`, { dispatcher });
    return await response.body.json();
  } finally {
    await dispatcher.close();
  }
}

for (const kind of testStores()) {
  describe(`key stores API on ${kind.name}`, () => {
    let api: TestApi;
    let pki: TestPki;
    let target: { origin: string; close(): Promise<void> };
    /** key material and passphrases sent: none may appear in any answer, row or audit record */
    const sensitive: string[] = [];
    const answers: string[] = [];
    const keyPassphrase = `key-pass-${randomBytes(8).toString('hex')}`;

    before(async () => {
      [api, pki] = await Promise.all([startTestApi(kind), createTestPki()]);
      target = await startMtlsServer(pki);
      // a line from the middle of each key, and the passphrases
      for (const pem of [pki.client.keyPem, pki.server.keyPem])
        sensitive.push(pem.split('\n')[5] as string);
      sensitive.push(
        pki.client.p12.toString('base64').slice(200, 260),
        pki.client.p12Passphrase,
        keyPassphrase,
      );
      await call('POST', '/api/v1/secrets', { name: 'P12_PASS', value: pki.client.p12Passphrase });
      await call('POST', '/api/v1/secrets', { name: 'KEY_PASS', value: keyPassphrase });
      await call('POST', '/api/v1/certificates', { name: 'pki-ca', pem: pki.ca.certPem });
    });
    after(async () => {
      const db = api.services.store.db;
      const rows = [
        JSON.stringify(await db.selectFrom('audit_records').selectAll().execute()),
        JSON.stringify(await db.selectFrom('key_stores').selectAll().execute()),
      ];
      const everything = [...rows, ...answers].join('\n');
      for (const value of sensitive) {
        assert.ok(!everything.includes(value), `key material leaked: ${value.slice(0, 8)}…`);
      }
      await target.close();
      await api.close();
    });

    async function call(method: string, path: string, body?: unknown) {
      const response = await api.request(method, path, body);
      answers.push(response.text);
      return response;
    }

    test('adds a PEM client certificate with its key and chain; answers the certificate, never the key', async () => {
      const response = await call('POST', base, {
        name: 'client-pem',
        description: 'mTLS to the partner',
        format: 'pem',
        certificatePem: pki.ca.certPem + pki.client.certPem,
        privateKeyPem: pki.client.keyPem,
      });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.headers.get('location'), '/api/v1/keystores/client-pem');
      const keyStore = response.body;
      assert.match(keyStore.id, /^kst_[0-9a-z]{26}$/);
      assert.deepEqual(
        {
          format: keyStore.format,
          subject: keyStore.subject,
          issuer: keyStore.issuer,
          chain: keyStore.chain.map((c: { subject: string }) => c.subject),
          hasPrivateKey: keyStore.hasPrivateKey,
          passphrase: keyStore.passphrase,
          version: keyStore.version,
          warnings: keyStore.warnings,
        },
        {
          format: 'pem',
          subject: 'CN=hookline-client, O=Hookline Tests',
          issuer: 'CN=Hookline Test CA, O=Hookline Tests',
          chain: ['CN=Hookline Test CA, O=Hookline Tests'],
          hasPrivateKey: true,
          passphrase: null,
          version: 1,
          warnings: undefined,
        },
      );
      assert.equal(
        Object.keys(keyStore).some((key) => /^(privateKey|pkcs12|key$)/i.test(key)),
        false,
      );
      const got = await call('GET', `${base}/CLIENT-PEM`);
      assert.equal(got.body.id, keyStore.id);
    });

    test('adds a PKCS#12 whose passphrase is a secret, and a passphrase-encrypted PEM key', async () => {
      const p12 = await call('POST', base, {
        name: 'client-p12',
        format: 'pkcs12',
        pkcs12Base64: pki.client.p12.toString('base64'),
        passphrase: '{{secret.P12_PASS}}',
      });
      assert.equal(p12.status, 201, p12.text);
      assert.equal(p12.body.format, 'pkcs12');
      assert.equal(p12.body.passphrase, '{{secret.P12_PASS}}');
      assert.equal(p12.body.subject, 'CN=hookline-client, O=Hookline Tests');

      const encryptedKey = createPrivateKey(pki.client.keyPem)
        .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: keyPassphrase })
        .toString();
      sensitive.push(encryptedKey.split('\n')[5] as string);
      const pem = await call('POST', base, {
        name: 'client-encrypted',
        format: 'pem',
        certificatePem: pki.client.certPem,
        privateKeyPem: encryptedKey,
        passphrase: '{{ secret.KEY_PASS }}',
      });
      assert.equal(pem.status, 201, pem.text);
      assert.equal(pem.body.passphrase, '{{secret.KEY_PASS}}');
    });

    test('refuses passphrases that are unknown secrets, wrong, or literal, at passphrase', async () => {
      const p12 = {
        name: 'bad-p12',
        format: 'pkcs12',
        pkcs12Base64: pki.client.p12.toString('base64'),
      };
      const unknown = await call('POST', base, { ...p12, passphrase: '{{secret.NOPE}}' });
      assert.equal(unknown.status, 400);
      assert.deepEqual(
        problemsOf(unknown).map((p) => p.path),
        ['passphrase'],
      );
      assert.match(problemsOf(unknown)[0]?.message ?? '', /secret 'NOPE' does not exist/);

      const wrong = await call('POST', base, { ...p12, passphrase: '{{secret.KEY_PASS}}' });
      assert.deepEqual(problemsOf(wrong), [
        {
          path: 'passphrase',
          message: "the PKCS#12 file does not open with the passphrase in secret 'KEY_PASS'",
        },
      ]);

      const literal = await call('POST', base, { ...p12, passphrase: pki.client.p12Passphrase });
      assert.equal(literal.status, 400);
      assert.deepEqual(
        problemsOf(literal).map((p) => p.path),
        ['passphrase'],
      );
      assert.match(
        problemsOf(literal)[0]?.message ?? '',
        /must be a \{\{secret\.NAME\}\} reference/,
      );
      assert.equal((await call('GET', `${base}/bad-p12`)).status, 404);
    });

    test('refuses a key that does not belong to the certificate, and a body without a format', async () => {
      const mismatched = await call('POST', base, {
        name: 'mismatched',
        format: 'pem',
        certificatePem: pki.client.certPem,
        privateKeyPem: pki.server.keyPem,
      });
      assert.equal(mismatched.status, 400);
      assert.deepEqual(
        problemsOf(mismatched).map((p) => p.path),
        ['privateKeyPem'],
      );
      assert.match(
        problemsOf(mismatched)[0]?.message ?? '',
        /does not belong to the certificate 'CN=hookline-client/,
      );

      const noFormat = await call('POST', base, {
        name: 'x',
        certificatePem: 'a',
        privateKeyPem: 'b',
      });
      assert.equal(noFormat.status, 400);
      assert.deepEqual(
        problemsOf(noFormat).map((p) => p.path),
        ['format'],
      );

      const notP12 = await call('POST', base, {
        name: 'not-p12',
        format: 'pkcs12',
        pkcs12Base64: Buffer.from('hello').toString('base64'),
        passphrase: '{{secret.P12_PASS}}',
      });
      assert.deepEqual(
        problemsOf(notP12).map((p) => p.path),
        ['pkcs12Base64'],
      );
    });

    test('refuses a second key store with the same name in another case', async () => {
      const response = await call('POST', base, {
        name: 'Client-PEM',
        format: 'pem',
        certificatePem: pki.client.certPem,
        privateKeyPem: pki.client.keyPem,
      });
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'KEY_STORE_EXISTS');
    });

    test('warns about a certificate expiring within 30 days and one not meant for client auth', async () => {
      const soon = certificateExpiringInDays(5, 'short-lived');
      sensitive.push(soon.keyPem.split('\n')[5] as string);
      const expiring = await call('POST', base, {
        name: 'short-lived',
        format: 'pem',
        certificatePem: soon.certPem,
        privateKeyPem: soon.keyPem,
      });
      assert.equal(expiring.status, 201, expiring.text);
      assert.deepEqual(
        expiring.body.warnings.map((w: { code: string; path: string }) => [w.code, w.path]),
        [['CERTIFICATE_EXPIRES_SOON', 'certificate']],
      );
      const listed = await call('GET', `${base}?q=short`);
      assert.equal(listed.body.items[0].warnings[0].code, 'CERTIFICATE_EXPIRES_SOON');

      const server = await call('POST', base, {
        name: 'server-as-client',
        format: 'pem',
        certificatePem: pki.server.certPem,
        privateKeyPem: pki.server.keyPem,
      });
      assert.deepEqual(
        server.body.warnings.map((w: { code: string }) => w.code),
        ['KEY_STORE_NOT_CLIENT_AUTH'],
      );
    });

    test('resolveTlsOptions gives what an mTLS server accepts, from PEM, encrypted PEM and PKCS#12', async () => {
      const { keyStores } = api.services;
      for (const keyStore of ['client-pem', 'client-p12', 'client-encrypted']) {
        const options = await keyStores.resolveTlsOptions({
          verify: true,
          caCertificates: ['PKI-CA'],
          keyStore,
        });
        assert.equal(options.rejectUnauthorized, true);
        assert.ok((options.ca?.length ?? 0) > 50, 'the default roots stay trusted');
        assert.equal(options.ca?.at(-1)?.trim(), pki.ca.certPem.trim());
        assert.match(options.key ?? '', /^-----BEGIN PRIVATE KEY-----/);
        assert.deepEqual(
          await callWith(target.origin, options),
          { client: 'hookline-client' },
          keyStore,
        );
      }
      // without the key store the server refuses the handshake
      const noClient = await keyStores.resolveTlsOptions({
        verify: true,
        caCertificates: ['pki-ca'],
        keyStore: null,
      });
      await assert.rejects(callWith(target.origin, noClient));
    });

    test('resolveTlsOptions names what is missing, and needs no CA when verify is off', async () => {
      const { keyStores } = api.services;
      await assert.rejects(
        keyStores.resolveTlsOptions({
          verify: true,
          caCertificates: ['pki-ca', 'gone-ca'],
          keyStore: null,
        }),
        (error: unknown) =>
          error instanceof TlsMaterialError &&
          error.kind === 'certificate' &&
          error.reason === 'missing' &&
          error.message === "certificate 'gone-ca' named in tls.caCertificates does not exist",
      );
      await assert.rejects(
        keyStores.resolveTlsOptions({ verify: true, caCertificates: [], keyStore: 'gone-store' }),
        /key store 'gone-store' named in tls.keyStore does not exist/,
      );
      assert.deepEqual(
        await keyStores.resolveTlsOptions({
          verify: false,
          caCertificates: ['gone-ca'],
          keyStore: null,
        }),
        { rejectUnauthorized: false },
      );
      assert.deepEqual(
        await keyStores.findMissingReferences({
          caCertificates: ['pki-ca', 'gone-ca'],
          keyStore: 'gone-store',
        }),
        { certificates: ['gone-ca'], keyStore: 'gone-store' },
      );
    });

    test('resolveTlsOptions names the passphrase secret once it is gone or changed', async () => {
      const { keyStores } = api.services;
      const p12 = await call('POST', base, {
        name: 'client-p12-b',
        format: 'pkcs12',
        pkcs12Base64: pki.client.p12.toString('base64'),
        passphrase: '{{secret.P12_PASS}}',
      });
      assert.equal(p12.status, 201);
      const other = `other-${randomBytes(6).toString('hex')}`;
      sensitive.push(other);
      assert.equal((await call('PUT', '/api/v1/secrets/P12_PASS', { value: other })).status, 200);
      await assert.rejects(
        keyStores.resolveTlsOptions({ verify: true, caCertificates: [], keyStore: 'client-p12-b' }),
        (error: unknown) =>
          error instanceof TlsMaterialError &&
          error.reason === 'unreadable' &&
          /does not open with the passphrase in secret 'P12_PASS'/.test(error.message) &&
          !error.message.includes(other),
      );
      assert.equal((await call('DELETE', '/api/v1/secrets/P12_PASS')).status, 204);
      await assert.rejects(
        keyStores.resolveTlsOptions({ verify: true, caCertificates: [], keyStore: 'client-p12-b' }),
        (error: unknown) =>
          error instanceof TlsMaterialError && error.reason === 'passphrase-unresolved',
      );
    });

    test('replaces a key store (PKCS#12 to PEM), tells TLS listeners, and audits without key material', async () => {
      const changes: string[] = [];
      const stop = api.services.keyStores.onTlsChange((change) =>
        changes.push(`${change.kind}:${change.name}:${change.action}`),
      );
      try {
        const replaced = await call('PUT', `${base}/client-p12`, {
          format: 'pem',
          certificatePem: pki.client.certPem,
          privateKeyPem: pki.client.keyPem,
          description: 'now PEM',
        });
        assert.equal(replaced.status, 200, replaced.text);
        assert.equal(replaced.body.format, 'pem');
        assert.equal(replaced.body.passphrase, null);
        assert.equal(replaced.body.version, 2);
        await call('PUT', '/api/v1/certificates/pki-ca', { pem: pki.ca.certPem });
      } finally {
        stop();
      }
      assert.deepEqual(changes, ['keystore:client-p12:update', 'certificate:pki-ca:update']);
      const options = await api.services.keyStores.resolveTlsOptions({
        verify: true,
        caCertificates: ['pki-ca'],
        keyStore: 'client-p12',
      });
      assert.deepEqual(await callWith(target.origin, options), { client: 'hookline-client' });

      const audit = await call('GET', '/api/v1/audit?targetType=keystore');
      const actions = audit.body.items.map(
        (r: { action: string; targetName: string }) => `${r.action} ${r.targetName}`,
      );
      assert.ok(actions.includes('keystore.replace client-p12'));
      assert.ok(actions.includes('keystore.create client-pem'));
      const replace = audit.body.items.find(
        (r: { action: string }) => r.action === 'keystore.replace',
      );
      assert.equal(replace.before.format, 'pkcs12');
      assert.equal(replace.after.format, 'pem');
    });

    test('refuses to delete a key store a connection uses, then deletes it once unused', async () => {
      const connection = await call(
        'POST',
        '/api/v1/connections',
        validConnection({
          name: 'Mtls_Hook',
          environments: { production: validEnvironment({ tls: { keyStore: 'Client-Pem' } }) },
        }),
      );
      assert.equal(connection.status, 201, connection.text);
      const refused = await call('DELETE', `${base}/client-pem`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'KEY_STORE_IN_USE');
      assert.deepEqual(refused.body.error.details.usages, [
        {
          connectionId: connection.body.id,
          connectionName: 'Mtls_Hook',
          project: 'default',
          environments: ['production'],
        },
      ]);
      assert.deepEqual(
        (await call('GET', `${base}/client-pem/usages`)).body.items,
        refused.body.error.details.usages,
      );
      assert.equal((await call('DELETE', `/api/v1/connections/${connection.body.id}`)).status, 204);
      assert.equal((await call('DELETE', `${base}/client-pem`)).status, 204);
      assert.equal((await call('GET', `${base}/client-pem`)).status, 404);
    });

    test('lists key stores a page at a time', async () => {
      const first = await call('GET', `${base}?limit=2`);
      assert.equal(first.body.items.length, 2);
      const second = await call('GET', `${base}?limit=2&cursor=${first.body.next}`);
      assert.equal(second.status, 200);
      assert.ok(
        second.body.items.every(
          (item: { name: string }) =>
            item.name.toLowerCase() > first.body.items[1].name.toLowerCase(),
        ),
      );
      const foreign = Buffer.from('c:zzz').toString('base64url');
      assert.equal(
        (await call('GET', `${base}?cursor=${foreign}`)).status,
        400,
        'a certificates cursor',
      );
    });
  });
}

describe('hookline keystores (CLI against a real API)', () => {
  let api: TestApi;
  let pki: TestPki;
  let dir: string;

  before(async () => {
    [api, pki] = await Promise.all([
      startTestApi(testStores()[0] as TestStoreKind),
      createTestPki(),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'hookline-keystore-cli-'));
    writeFileSync(join(dir, 'client.crt'), pki.client.certPem + pki.ca.certPem);
    writeFileSync(join(dir, 'client.key'), pki.client.keyPem);
    writeFileSync(join(dir, 'client.p12'), pki.client.p12);
    const secret = await api.request('POST', '/api/v1/secrets', {
      name: 'CLIENT_P12_PASS',
      value: pki.client.p12Passphrase,
    });
    assert.equal(secret.status, 201);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });

  async function cli(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--url', api.url, '--token', testToken, ...args], {
      print: (text) => out.push(text),
      warn: (text) => err.push(text),
      env: {},
      interactive: false,
      confirm: async () => false,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('add from PEM files and from a PKCS#12, list, show (no key), delete', async () => {
    const pem = await cli(
      'keystores',
      'add',
      'partner-mtls',
      '--cert',
      join(dir, 'client.crt'),
      '--key',
      join(dir, 'client.key'),
    );
    assert.equal(pem.code, 0, pem.err);
    assert.match(
      pem.out,
      /^added key store partner-mtls \(pem, CN=hookline-client, O=Hookline Tests, expires /,
    );
    const p12 = await cli(
      'keystores',
      'add',
      'partner-p12',
      '--p12',
      join(dir, 'client.p12'),
      '--passphrase-secret',
      'CLIENT_P12_PASS',
      '--description',
      'from a .p12',
    );
    assert.equal(p12.code, 0, p12.err);

    const list = await cli('keystores', 'list');
    const lines = list.out.split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+FORMAT\s+SUBJECT\s+NOT AFTER\s+WARNINGS$/);
    assert.match(lines[1] ?? '', /^partner-mtls\s+pem\s+CN=hookline-client/);
    assert.match(lines[2] ?? '', /^partner-p12\s+pkcs12\s+CN=hookline-client/);

    const show = await cli('keystores', 'show', 'partner-p12');
    assert.match(show.out, /Passphrase:\s+\{\{secret\.CLIENT_P12_PASS\}\}/);
    assert.match(show.out, /Private key:\s+stored sealed \(never shown\)/);
    assert.match(show.out, /Chain 1 of 1\nSubject:\s+CN=Hookline Test CA/);
    const keyLine = pki.client.keyPem.split('\n')[3] as string;
    const json = await cli('keystores', 'show', 'partner-mtls', '--json');
    assert.ok(!json.out.includes(keyLine) && !show.out.includes(keyLine));
    assert.equal(JSON.parse(json.out).hasPrivateKey, true);

    const deleted = await cli('keystores', 'delete', 'partner-mtls', '-y');
    assert.equal(deleted.code, 0, deleted.err);
    assert.equal((await cli('keystores', 'show', 'partner-mtls')).code, 1);
  });

  test('says what is missing before calling the server', async () => {
    const noSecret = await cli('keystores', 'add', 'x', '--p12', join(dir, 'client.p12'));
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.err, /needs --passphrase-secret NAME/);
    const nothing = await cli('keystores', 'add', 'x');
    assert.equal(nothing.code, 2);
    assert.match(nothing.err, /give --cert FILE and --key FILE/);
    const wrongSecret = await cli(
      'keystores',
      'add',
      'x',
      '--p12',
      join(dir, 'client.p12'),
      '--passphrase-secret',
      'NOPE',
    );
    assert.equal(wrongSecret.code, 1);
    assert.match(wrongSecret.err, /passphrase: secret 'NOPE' does not exist/);
  });
});
