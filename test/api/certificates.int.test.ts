import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { validConnection, validEnvironment } from '../helpers/connection-fixtures.ts';
import { startTestApi, testToken, type TestApi } from '../helpers/test-api.ts';
import {
  certificateExpiringInDays,
  createTestCertificate,
  createTestPki,
  type TestPki,
} from '../helpers/test-certificates.ts';
import { testStores, type TestStoreKind } from '../helpers/test-stores.ts';

const base = '/api/v1/certificates';
const dayMs = 86_400_000;

/** A clock the test moves: the 30-day warning is checked without waiting 11 months. */
function createTestClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advanceDays(days: number) {
      offsetMs += days * dayMs;
    },
    reset() {
      offsetMs = 0;
    },
  };
}

function problemsOf(response: { body: any }): Array<{ path: string; message: string }> {
  return response.body?.error?.details?.problems ?? [];
}

for (const kind of testStores()) {
  describe(`certificates API on ${kind.name}`, () => {
    let api: TestApi;
    let pki: TestPki;
    const clock = createTestClock();

    before(async () => {
      [api, pki] = await Promise.all([startTestApi(kind, { clock }), createTestPki()]);
    });
    after(async () => api.close());

    test('adds a CA certificate and answers subject, issuer, SANs, fingerprint and validity', async () => {
      const response = await api.request('POST', base, {
        name: 'Corp-Root',
        description: 'internal root CA',
        pem: pki.ca.certPem,
      });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.headers.get('location'), '/api/v1/certificates/Corp-Root');
      const certificate = response.body;
      const x509 = new X509Certificate(pki.ca.certPem);
      assert.match(certificate.id, /^crt_[0-9a-z]{26}$/);
      assert.deepEqual(
        {
          name: certificate.name,
          description: certificate.description,
          subject: certificate.subject,
          issuer: certificate.issuer,
          subjectAltNames: certificate.subjectAltNames,
          fingerprintSha256: certificate.fingerprintSha256,
          notBefore: certificate.notBefore,
          notAfter: certificate.notAfter,
          isCA: certificate.isCA,
          keyAlgorithm: certificate.keyAlgorithm,
          count: certificate.certificates.length,
          version: certificate.version,
          warnings: certificate.warnings,
        },
        {
          name: 'Corp-Root',
          description: 'internal root CA',
          subject: 'CN=Hookline Test CA, O=Hookline Tests',
          issuer: 'CN=Hookline Test CA, O=Hookline Tests',
          subjectAltNames: [],
          fingerprintSha256: x509.fingerprint256,
          notBefore: x509.validFromDate.toISOString(),
          notAfter: x509.validToDate.toISOString(),
          isCA: true,
          keyAlgorithm: 'RSA 2048',
          count: 1,
          version: 1,
          warnings: undefined,
        },
      );
      assert.equal(new X509Certificate(certificate.pem).fingerprint256, x509.fingerprint256);

      const byName = await api.request('GET', `${base}/corp-root`);
      const byId = await api.request('GET', `${base}/${certificate.id}`);
      assert.equal(byName.body.id, certificate.id);
      assert.equal(byId.body.name, 'Corp-Root');
    });

    test('keeps a bundle: every certificate listed, the first at the top', async () => {
      const other = createTestCertificate({ commonName: 'Second Root', isCA: true });
      const response = await api.request('POST', base, {
        name: 'bundle',
        pem: `# two roots\n${pki.ca.certPem}\n${other.certPem}`,
      });
      assert.equal(response.status, 201, response.text);
      assert.deepEqual(
        response.body.certificates.map((c: { subject: string }) => c.subject),
        ['CN=Hookline Test CA, O=Hookline Tests', 'CN=Second Root, O=Hookline Tests'],
      );
      assert.equal(response.body.subject, 'CN=Hookline Test CA, O=Hookline Tests');
      assert.ok(!response.body.pem.includes('# two roots'));
    });

    test('refuses a private key in pem, saying it belongs in a key store, and never echoes it', async () => {
      const response = await api.request('POST', base, {
        name: 'with-key',
        pem: pki.client.certPem + pki.client.keyPem,
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      const [problem] = problemsOf(response);
      assert.equal(problem?.path, 'pem');
      assert.match(problem?.message ?? '', /contains a private key.*in a key store instead/);
      const keyLine = pki.client.keyPem.split('\n')[2] as string;
      assert.ok(!response.text.includes(keyLine));
      assert.equal((await api.request('GET', `${base}/with-key`)).status, 404);
    });

    test('refuses text that is not a certificate, and a bad name, each at its field', async () => {
      const response = await api.request('POST', base, {
        name: 'bad name!',
        pem: 'not a certificate',
      });
      assert.equal(response.status, 400);
      assert.deepEqual(
        problemsOf(response)
          .map((p) => p.path)
          .sort(),
        ['name'],
        'schema problems come first',
      );
      const notPem = await api.request('POST', base, { name: 'not-pem', pem: 'not a certificate' });
      assert.deepEqual(
        problemsOf(notPem).map((p) => p.path),
        ['pem'],
      );
      assert.match(problemsOf(notPem)[0]?.message ?? '', /holds no certificate/);
    });

    test('refuses a second certificate with the same name in another case', async () => {
      const response = await api.request('POST', base, { name: 'CORP-ROOT', pem: pki.ca.certPem });
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'CERTIFICATE_EXISTS');
      assert.match(response.body.error.message, /'Corp-Root' already exists/);
    });

    test('warns when a certificate expires within 30 days, and once it has expired', async () => {
      const soon = await api.request('POST', base, {
        name: 'soon',
        pem: certificateExpiringInDays(12).certPem,
      });
      assert.equal(soon.status, 201);
      assert.deepEqual(
        soon.body.warnings.map((w: { code: string; path: string }) => [w.code, w.path]),
        [['CERTIFICATE_EXPIRES_SOON', 'certificates[0]']],
      );
      assert.match(soon.body.warnings[0].message, /\(in 1[12] days\)/);
      const expired = await api.request('POST', base, {
        name: 'expired',
        pem: certificateExpiringInDays(-3).certPem,
      });
      assert.equal(expired.body.warnings[0].code, 'CERTIFICATE_EXPIRED');

      // 340 days on, the 365-day CA is within its last 30 days: lists and gets say so
      clock.advanceDays(340);
      try {
        const listed = await api.request('GET', `${base}?q=corp`);
        assert.equal(listed.body.items[0].warnings[0].code, 'CERTIFICATE_EXPIRES_SOON');
        const got = await api.request('GET', `${base}/Corp-Root`);
        assert.equal(got.body.warnings[0].code, 'CERTIFICATE_EXPIRES_SOON');
      } finally {
        clock.reset();
      }
      const today = await api.request('GET', `${base}/Corp-Root`);
      assert.equal(today.body.warnings, undefined);
    });

    test('warns about a certificate that is neither a CA nor self-signed', async () => {
      const response = await api.request('POST', base, {
        name: 'leaf-only',
        pem: pki.server.certPem,
      });
      assert.equal(response.status, 201);
      assert.deepEqual(
        response.body.warnings.map((w: { code: string }) => w.code),
        ['CERTIFICATE_NOT_CA'],
      );
    });

    test('lists in name order, a page at a time, without the PEM', async () => {
      const first = await api.request('GET', `${base}?limit=2`);
      assert.equal(first.status, 200);
      assert.equal(first.body.items.length, 2);
      assert.equal(first.body.items[0].pem, undefined);
      const names = first.body.items.map((c: { name: string }) => c.name);
      let cursor = first.body.next;
      for (let page = 0; cursor && page < 20; page++) {
        const next = await api.request('GET', `${base}?limit=2&cursor=${cursor}`);
        names.push(...next.body.items.map((c: { name: string }) => c.name));
        cursor = next.body.next;
      }
      assert.deepEqual(
        names,
        [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
      );
      assert.ok(names.includes('Corp-Root') && names.includes('bundle'));
      const bad = await api.request('GET', `${base}?cursor=bm9wZQ`);
      assert.equal(bad.status, 400);
    });

    test('replaces the PEM under the same name: version + 1, new fingerprint, audited', async () => {
      const renewed = createTestCertificate({ commonName: 'Renewed Root', isCA: true });
      const response = await api.request('PUT', `${base}/bundle`, { pem: renewed.certPem });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.version, 2);
      assert.equal(response.body.subject, 'CN=Renewed Root, O=Hookline Tests');
      assert.equal(response.body.certificates.length, 1);

      const audit = await api.request(
        'GET',
        `/api/v1/audit?targetType=certificate&action=certificate.replace`,
      );
      const [record] = audit.body.items;
      assert.equal(record.targetName, 'bundle');
      assert.equal(record.before.certificates.length, 2);
      assert.equal(record.after.fingerprintSha256, response.body.fingerprintSha256);
      assert.equal(record.after.pem, undefined, 'the audit keeps summaries, not the PEM');
      assert.equal(
        (await api.request('PUT', `${base}/nope`, { pem: renewed.certPem })).status,
        404,
      );
    });

    test('refuses to delete a certificate that a deployed revision still trusts', async () => {
      await api.request('POST', base, { name: 'deployed-ca', pem: pki.ca.certPem });
      const created = await api.request(
        'POST',
        '/api/v1/connections',
        validConnection({
          name: 'Deployed_Hook',
          environments: { test: validEnvironment({ tls: { caCertificates: ['deployed-ca'] } }) },
        }),
      );
      assert.equal(created.status, 201, created.text);
      const id = created.body.id;
      const deployed = await api.request('POST', `/api/v1/connections/${id}/deploy`, {
        environment: 'test',
      });
      assert.equal(deployed.status, 200, deployed.text);
      // revision 2 no longer names it, but test still runs revision 1
      const updated = await api.request('PATCH', `/api/v1/connections/${id}`, {
        environments: { test: { tls: { caCertificates: [] } } },
      });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.revision, 2);

      const refused = await api.request('DELETE', `${base}/deployed-ca`);
      assert.equal(refused.status, 409);
      assert.deepEqual(refused.body.error.details.usages, [
        {
          connectionId: id,
          connectionName: 'Deployed_Hook',
          project: 'default',
          environments: ['test'],
        },
      ]);
      const redeployed = await api.request('POST', `/api/v1/connections/${id}/deploy`, {
        environment: 'test',
      });
      assert.equal(redeployed.status, 200, redeployed.text);
      assert.equal((await api.request('DELETE', `${base}/deployed-ca`)).status, 204);
    });

    test('refuses to delete a certificate a connection trusts, naming the connection', async () => {
      await api.request('POST', base, { name: 'partner-ca', pem: pki.ca.certPem });
      await api.request('POST', base, { name: 'corp-root', pem: pki.ca.certPem });
      const connection = await api.request(
        'POST',
        '/api/v1/connections',
        validConnection({
          name: 'Partner_Hook',
          environments: {
            test: validEnvironment({ tls: { caCertificates: ['PARTNER-CA'] } }),
            production: validEnvironment({ tls: { caCertificates: ['corp-root', 'partner-ca'] } }),
          },
        }),
      );
      assert.equal(connection.status, 201, connection.text);

      const refused = await api.request('DELETE', `${base}/partner-ca`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'CERTIFICATE_IN_USE');
      assert.match(refused.body.error.message, /Partner_Hook \(production, test\)/);
      assert.deepEqual(refused.body.error.details.usages, [
        {
          connectionId: connection.body.id,
          connectionName: 'Partner_Hook',
          project: 'default',
          environments: ['production', 'test'],
        },
      ]);
      const usages = await api.request('GET', `${base}/partner-ca/usages`);
      assert.deepEqual(usages.body.items, refused.body.error.details.usages);

      // a name that merely appears elsewhere in a spec is not a usage
      const lookalike = await api.request(
        'POST',
        '/api/v1/connections',
        validConnection({
          name: 'Mentions_Soon',
          description: 'soon',
          environments: { production: validEnvironment({ url: 'https://soon.example.com/' }) },
        }),
      );
      assert.equal(lookalike.status, 201, lookalike.text);
      assert.equal((await api.request('DELETE', `${base}/soon`)).status, 204);

      assert.equal(
        (await api.request('DELETE', `/api/v1/connections/${connection.body.id}`)).status,
        204,
      );
      assert.equal((await api.request('DELETE', `${base}/partner-ca`)).status, 204);
      assert.equal((await api.request('GET', `${base}/partner-ca`)).status, 404);
      const audit = await api.request(
        'GET',
        `/api/v1/audit?targetType=certificate&action=certificate.delete`,
      );
      assert.ok(
        audit.body.items.some((r: { targetName: string }) => r.targetName === 'partner-ca'),
      );
    });
  });
}

describe('hookline certificates (CLI against a real API)', () => {
  let api: TestApi;
  let pki: TestPki;
  let dir: string;

  before(async () => {
    [api, pki] = await Promise.all([
      startTestApi(testStores()[0] as TestStoreKind),
      createTestPki(),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'hookline-cert-cli-'));
    writeFileSync(join(dir, 'ca.pem'), pki.ca.certPem);
    writeFileSync(join(dir, 'soon.pem'), certificateExpiringInDays(7).certPem);
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

  test('add -f, list, show and delete a certificate', async () => {
    const added = await cli('certificates', 'add', 'corp-root', '-f', join(dir, 'ca.pem'));
    assert.equal(added.code, 0, added.err);
    assert.match(
      added.out,
      /^added certificate corp-root \(CN=Hookline Test CA, O=Hookline Tests, expires \d{4}-/,
    );

    const soon = await cli('certificates', 'add', 'soon', '-f', join(dir, 'soon.pem'));
    assert.equal(soon.code, 0);
    assert.match(
      soon.err,
      /warning CERTIFICATE_EXPIRES_SOON: certificates\[0\]: .* \(in [67] days\)/,
    );

    const list = await cli('certificates', 'list');
    assert.equal(list.code, 0);
    const lines = list.out.split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+SUBJECT\s+NOT AFTER\s+CERTS\s+WARNINGS$/);
    assert.match(
      lines[1] ?? '',
      /^corp-root\s+CN=Hookline Test CA, O=Hookline Tests\s+\S+ \S+\s+1\s+-$/,
    );
    assert.match(lines[2] ?? '', /^soon\s.*expires soon$/);

    const show = await cli('certificates', 'show', 'corp-root');
    assert.match(show.out, /SHA-256:\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    assert.match(show.out, /CA:\s+yes/);
    const pem = await cli('certificates', 'show', 'corp-root', '--pem');
    assert.equal(pem.out, pki.ca.certPem.trimEnd());
    const json = await cli('certificates', 'show', 'corp-root', '--json');
    assert.equal(JSON.parse(json.out).name, 'corp-root');

    const unconfirmed = await cli('certificates', 'delete', 'corp-root');
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.err, /pass --yes/);
    const deleted = await cli('certificates', 'delete', 'corp-root', '--yes');
    assert.equal(deleted.code, 0, deleted.err);
    const gone = await cli('certificates', 'show', 'corp-root');
    assert.equal(gone.code, 1);
    assert.match(gone.err, /error NOT_FOUND/);
  });

  test('a refused file answers the field problem and exit code 1', async () => {
    writeFileSync(join(dir, 'key.pem'), pki.client.keyPem);
    const refused = await cli('certificates', 'add', 'oops', '-f', join(dir, 'key.pem'));
    assert.equal(refused.code, 1);
    assert.match(refused.err, /error VALIDATION_FAILED/);
    assert.match(refused.err, /pem: pem contains a private key/);
    const missing = await cli('certificates', 'add', 'oops', '-f', join(dir, 'nope.pem'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read .*nope\.pem: ENOENT/);
  });
});
