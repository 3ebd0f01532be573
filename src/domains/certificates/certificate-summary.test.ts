import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  certificateExpiringInDays,
  createTestPki,
} from '../../../test/helpers/test-certificates.ts';
import { splitAltNames, summarizeCertificate, validityWarnings } from './certificate-summary.ts';

const dayMs = 86_400_000;

describe('summarizeCertificate', () => {
  test('answers subject, issuer, SANs, serial, fingerprint, validity, CA flag and key', async () => {
    const pki = await createTestPki();
    const certificate = new X509Certificate(pki.server.certPem);
    const summary = summarizeCertificate(certificate);
    assert.equal(summary.subject, 'CN=127.0.0.1, O=Hookline Tests');
    assert.equal(summary.issuer, 'CN=Hookline Test CA, O=Hookline Tests');
    assert.deepEqual(summary.subjectAltNames, [
      'IP:127.0.0.1',
      'IP:0:0:0:0:0:0:0:1',
      'DNS:localhost',
    ]);
    assert.match(summary.fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(summary.fingerprintSha256, certificate.fingerprint256);
    assert.match(summary.serialNumber, /^[0-9A-F]+$/);
    assert.equal(summary.notAfter, certificate.validToDate.toISOString());
    assert.equal(summary.isCA, false);
    assert.equal(summary.keyAlgorithm, 'RSA 2048');
    assert.equal(summarizeCertificate(new X509Certificate(pki.ca.certPem)).isCA, true);
  });

  test('names EC keys by curve (a certificate made by openssl)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-ec-'));
    try {
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
          '/CN=ec.example',
          '-addext',
          'subjectAltName=DNS:ec.example,URI:spiffe://x/y',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '2',
        ],
        { stdio: 'ignore' },
      );
      const summary = summarizeCertificate(
        new X509Certificate(readFileSync(join(dir, 'cert.pem'))),
      );
      assert.equal(summary.keyAlgorithm, 'EC P-256');
      assert.deepEqual(summary.subjectAltNames, ['DNS:ec.example', 'URI:spiffe://x/y']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('splitAltNames', () => {
  test('splits on separators outside quoted values', () => {
    assert.deepEqual(splitAltNames('DNS:a.example, DNS:"b, c", IP Address:10.0.0.5'), [
      'DNS:a.example',
      'DNS:b, c',
      'IP:10.0.0.5',
    ]);
    assert.deepEqual(splitAltNames(undefined), []);
  });
});

describe('validityWarnings', () => {
  const at = (days: number) => new Date(Date.parse('2030-01-31T00:00:00.000Z') - days * dayMs);
  const summary = {
    subject: 'CN=x',
    issuer: 'CN=x',
    subjectAltNames: [],
    serialNumber: '01',
    fingerprintSha256: '',
    notBefore: '2029-01-01T00:00:00.000Z',
    notAfter: '2030-01-31T00:00:00.000Z',
    isCA: true,
    keyAlgorithm: 'RSA 2048',
  };
  const path = (index: number) => `certificates[${index}]`;

  test('says nothing more than 30 days before expiry', () => {
    assert.deepEqual(validityWarnings([summary], at(31), path), []);
  });

  test('warns within 30 days, counting the days left', () => {
    const [warning] = validityWarnings([summary], at(30), path);
    assert.equal(warning?.code, 'CERTIFICATE_EXPIRES_SOON');
    assert.equal(warning?.path, 'certificates[0]');
    assert.match(warning?.message ?? '', /expires on 2030-01-31T00:00:00.000Z \(in 30 days\)/);
    assert.match(validityWarnings([summary], at(0.5), path)[0]?.message ?? '', /in 12 hours/);
  });

  test('warns once expired, and before notBefore', () => {
    const [expired] = validityWarnings([summary], at(-2), path);
    assert.equal(expired?.code, 'CERTIFICATE_EXPIRED');
    assert.match(expired?.message ?? '', /\(2 days ago\)/);
    const early = validityWarnings([summary], new Date('2028-06-01T00:00:00Z'), path);
    assert.deepEqual(
      early.map((w) => w.code),
      ['CERTIFICATE_NOT_YET_VALID'],
    );
  });

  test('reads real certificates expiring soon and expired', () => {
    const now = new Date();
    const soon = summarizeCertificate(new X509Certificate(certificateExpiringInDays(10).certPem));
    const gone = summarizeCertificate(new X509Certificate(certificateExpiringInDays(-1).certPem));
    assert.deepEqual(
      validityWarnings([soon, gone], now, path).map((w) => [w.code, w.path]),
      [
        ['CERTIFICATE_EXPIRES_SOON', 'certificates[0]'],
        ['CERTIFICATE_EXPIRED', 'certificates[1]'],
      ],
    );
  });
});
