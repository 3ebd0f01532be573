import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestPki } from '../../../test/helpers/test-certificates.ts';
import { parseCertificatePem, splitPemBlocks, toPemBundle } from './parse-pem.ts';

const advice = 'put it in a key store';

function problemsOf(result: ReturnType<typeof parseCertificatePem>) {
  assert.ok('problems' in result, 'expected a refusal');
  return result.problems;
}

describe('parseCertificatePem', () => {
  test('reads one certificate, and a bundle with explanatory text between blocks', async () => {
    const pki = await createTestPki();
    const one = parseCertificatePem(pki.ca.certPem, 'pem', advice);
    assert.ok('certificates' in one);
    assert.equal(one.certificates.length, 1);
    const bundle = parseCertificatePem(
      `subject=CN = Hookline Test CA\n${pki.ca.certPem}\n# the server\r\n${pki.server.certPem.replace(/\n/g, '\r\n')}`,
      'pem',
      advice,
    );
    assert.ok('certificates' in bundle);
    assert.deepEqual(
      bundle.certificates.map((c) => c.subject.split('\n')[0]),
      ['CN=Hookline Test CA', 'CN=127.0.0.1'],
    );
  });

  test('refuses a private key at the field, saying where keys go, without echoing it', async () => {
    const pki = await createTestPki();
    const problems = problemsOf(
      parseCertificatePem(`${pki.client.certPem}${pki.client.keyPem}`, 'pem', advice),
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.path, 'pem');
    assert.match(problems[0]?.message ?? '', /contains a private key: put it in a key store/);
    const keyBody = pki.client.keyPem.split('\n')[1] as string;
    assert.ok(!JSON.stringify(problems).includes(keyBody));
    for (const label of ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']) {
      const text = `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;
      assert.match(
        problemsOf(parseCertificatePem(text, 'pem', advice))[0]?.message ?? '',
        /private key/,
      );
    }
  });

  test('refuses text with no certificate, a damaged certificate and other block types', async () => {
    const pki = await createTestPki();
    assert.match(
      problemsOf(parseCertificatePem('hello', 'pem', advice))[0]?.message ?? '',
      /holds no certificate: expected PEM text starting with -----BEGIN CERTIFICATE-----/,
    );
    const lines = pki.ca.certPem.split('\n');
    const damaged = [...lines.slice(0, 3), ...lines.slice(6)].join('\n');
    assert.match(
      problemsOf(parseCertificatePem(damaged, 'pem', advice))[0]?.message ?? '',
      /is not a valid X\.509 certificate/,
    );
    const publicKey = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----';
    const mixed = problemsOf(parseCertificatePem(`${pki.ca.certPem}${publicKey}`, 'pem', advice));
    assert.deepEqual(mixed, [
      {
        path: 'pem',
        message:
          "pem holds a 'PUBLIC KEY' block (block 2); only -----BEGIN CERTIFICATE----- blocks belong here",
      },
    ]);
  });

  test('stores the certificates re-encoded, dropping the text around them', async () => {
    const pki = await createTestPki();
    const parsed = parseCertificatePem(`note\n${pki.ca.certPem}\nmore`, 'pem', advice);
    assert.ok('certificates' in parsed);
    const stored = toPemBundle(parsed.certificates);
    assert.equal(stored, pki.ca.certPem.trimEnd() + '\n');
    assert.deepEqual(
      splitPemBlocks(stored).map((block) => block.label),
      ['CERTIFICATE'],
    );
  });
});
