import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createTestPki, createTestPkcs12 } from '../../../test/helpers/test-certificates.ts';
import {
  decodePkcs12Base64,
  readPemKeyStore,
  readPkcs12KeyStore,
  type ReadResult,
} from './read-key-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'hookline-keystore-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf<T>(result: ReadResult<T>) {
  assert.ok('problems' in result, 'expected a refusal');
  return result.problems.map((problem) => [problem.path, problem.message]);
}

function contentOf<T>(result: ReadResult<T>): T {
  assert.ok('content' in result, JSON.stringify(result));
  return result.content;
}

/** `openssl pkcs12 -export` into a file, answering its bytes. */
function opensslPkcs12(args: string[], passphrase: string): Buffer {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}.p12`);
  execFileSync(
    'openssl',
    ['pkcs12', '-export', ...args, '-out', out, '-passout', `pass:${passphrase}`],
    {
      stdio: 'ignore',
    },
  );
  return readFileSync(out);
}

describe('readPemKeyStore', () => {
  test('pairs the key with its certificate and puts that certificate first', async () => {
    const pki = await createTestPki();
    const content = contentOf(
      readPemKeyStore(
        { certificatePem: pki.ca.certPem + pki.client.certPem, privateKeyPem: pki.client.keyPem },
        undefined,
      ),
    );
    assert.deepEqual(
      content.certificates.map((c) => c.subject.split('\n')[0]),
      ['CN=hookline-client', 'CN=Hookline Test CA'],
    );
    assert.equal(content.key.asymmetricKeyType, 'rsa');
  });

  test('refuses a key that belongs to another certificate, naming the certificate', async () => {
    const pki = await createTestPki();
    assert.deepEqual(
      problemsOf(
        readPemKeyStore(
          { certificatePem: pki.client.certPem, privateKeyPem: pki.server.keyPem },
          undefined,
        ),
      ),
      [
        [
          'privateKeyPem',
          "the private key does not belong to the certificate 'CN=hookline-client, O=Hookline Tests'",
        ],
      ],
    );
  });

  test('refuses a key in certificatePem and a certificate in privateKeyPem, by field', async () => {
    const pki = await createTestPki();
    const both = pki.client.certPem + pki.client.keyPem;
    assert.deepEqual(
      problemsOf(readPemKeyStore({ certificatePem: both, privateKeyPem: both }, undefined)).map(
        ([path]) => path,
      ),
      ['certificatePem', 'privateKeyPem'],
    );
    assert.deepEqual(
      problemsOf(
        readPemKeyStore({ certificatePem: pki.client.certPem, privateKeyPem: 'nope' }, undefined),
      ),
      [
        [
          'privateKeyPem',
          'privateKeyPem holds no private key: expected -----BEGIN PRIVATE KEY----- (or RSA/EC/ENCRYPTED PRIVATE KEY)',
        ],
      ],
    );
  });

  test('opens an encrypted key only with the right passphrase, PKCS#8 and legacy PKCS#1', async () => {
    const pki = await createTestPki();
    const key = createPrivateKey(pki.client.keyPem);
    const right = { secretName: 'client_key_pass', value: 'correct horse' };
    const wrong = { secretName: 'client_key_pass', value: 'battery staple' };
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      const privateKeyPem = key
        .export({ type, format: 'pem', cipher: 'aes-256-cbc', passphrase: right.value })
        .toString();
      const input = { certificatePem: pki.client.certPem, privateKeyPem };
      assert.equal(contentOf(readPemKeyStore(input, right)).certificates.length, 1, type);
      assert.deepEqual(
        problemsOf(readPemKeyStore(input, undefined)).map(([path]) => path),
        ['passphrase'],
      );
      assert.deepEqual(problemsOf(readPemKeyStore(input, wrong)), [
        [
          'passphrase',
          "the private key does not open with the passphrase in secret 'client_key_pass'",
        ],
      ]);
    }
    assert.deepEqual(
      problemsOf(
        readPemKeyStore(
          { certificatePem: pki.client.certPem, privateKeyPem: pki.client.keyPem },
          right,
        ),
      ),
      [['passphrase', 'the private key is not encrypted: leave passphrase out']],
    );
  });
});

describe('readPkcs12KeyStore', () => {
  test('opens the test PKI client PKCS#12 (forge, AES-256) with its passphrase', async () => {
    const pki = await createTestPki();
    const content = contentOf(
      readPkcs12KeyStore(pki.client.p12, { secretName: 'p12', value: pki.client.p12Passphrase }),
    );
    assert.deepEqual(
      content.certificates.map((c) => c.subject.split('\n')[0]),
      ['CN=hookline-client', 'CN=Hookline Test CA'],
    );
  });

  test('refuses a wrong passphrase at passphrase and a file that is no PKCS#12 at pkcs12Base64', async () => {
    const pki = await createTestPki();
    assert.deepEqual(
      problemsOf(readPkcs12KeyStore(pki.client.p12, { secretName: 'p12', value: 'x' })),
      [['passphrase', "the PKCS#12 file does not open with the passphrase in secret 'p12'"]],
    );
    const garbage = readPkcs12KeyStore(Buffer.from(pki.client.certPem), {
      secretName: 'p12',
      value: 'x',
    });
    assert.deepEqual(
      problemsOf(garbage).map(([path]) => path),
      ['pkcs12Base64'],
    );
  });

  test('opens OpenSSL 3 files: AES-256/PBKDF2-SHA256 with an EC key, and 3DES/SHA-1', async () => {
    const pki = await createTestPki();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=ec-client',
        '-keyout',
        join(dir, 'ec.key'),
        '-out',
        join(dir, 'ec.crt'),
        '-days',
        '2',
      ],
      { stdio: 'ignore' },
    );
    const ec = opensslPkcs12(
      ['-inkey', join(dir, 'ec.key'), '-in', join(dir, 'ec.crt')],
      'ec-pass',
    );
    const ecContent = contentOf(readPkcs12KeyStore(ec, { secretName: 's', value: 'ec-pass' }));
    assert.equal(ecContent.key.asymmetricKeyType, 'ec');
    assert.match(ecContent.certificates[0]?.subject ?? '', /CN=ec-client/);

    writeFileSync(join(dir, 'client.key'), pki.client.keyPem);
    writeFileSync(join(dir, 'client.crt'), pki.client.certPem);
    const tripleDes = opensslPkcs12(
      [
        '-inkey',
        join(dir, 'client.key'),
        '-in',
        join(dir, 'client.crt'),
        '-keypbe',
        'PBE-SHA1-3DES',
        '-certpbe',
        'PBE-SHA1-3DES',
        '-macalg',
        'sha1',
      ],
      'old-pass',
    );
    const oldContent = contentOf(
      readPkcs12KeyStore(tripleDes, { secretName: 's', value: 'old-pass' }),
    );
    assert.match(oldContent.certificates[0]?.subject ?? '', /CN=hookline-client/);
  });

  test('refuses a PKCS#12 without a key, and one whose key has no certificate in it', async () => {
    const pki = await createTestPki();
    writeFileSync(join(dir, 'only.crt'), pki.client.certPem);
    const noKey = opensslPkcs12(['-nokeys', '-in', join(dir, 'only.crt')], 'p');
    assert.match(
      problemsOf(readPkcs12KeyStore(noKey, { secretName: 's', value: 'p' }))[0]?.[1] ?? '',
      /holds no private key/,
    );
    const mismatched = createTestPkcs12({
      pair: { certPem: pki.server.certPem, keyPem: pki.client.keyPem },
      passphrase: 'p',
    });
    assert.deepEqual(
      problemsOf(readPkcs12KeyStore(mismatched, { secretName: 's', value: 'p' })).map(
        ([path]) => path,
      ),
      ['pkcs12Base64'],
    );
  });
});

describe('decodePkcs12Base64', () => {
  test('accepts wrapped standard and URL-safe base64', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0x01, 0x02]);
    assert.deepEqual(contentOf(decodePkcs12Base64('+/8B\nAg==')), bytes);
    assert.deepEqual(contentOf(decodePkcs12Base64(bytes.toString('base64url'))), bytes);
  });
});
