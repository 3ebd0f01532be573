import assert from 'node:assert/strict';
import { once } from 'node:events';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import {
  certificateExpiringInDays,
  createTestCertificate,
  createTestPki,
} from './test-certificates.ts';

const servers: https.Server[] = [];
after(async () => {
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

async function listen(server: https.Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Answers the client certificate's CN (null without one). */
function respondWithPeer(req: IncomingMessage, res: ServerResponse): void {
  const peer = (req.socket as TLSSocket).getPeerCertificate();
  const subject = peer.subject === undefined ? null : peer.subject.CN;
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ subject }));
}

describe('test PKI', () => {
  test('a server certificate from the PKI is trusted through its CA over https', async () => {
    const pki = await createTestPki();
    const origin = await listen(
      https.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, respondWithPeer),
    );
    const dispatcher = new Agent({ connect: { ca: pki.ca.certPem } });
    try {
      const response = await request(`${origin}/`, { dispatcher });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(await response.body.json(), { subject: null });
    } finally {
      await dispatcher.close();
    }
  });

  test('a request that does not trust the CA fails the handshake', async () => {
    const pki = await createTestPki();
    const origin = await listen(
      https.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, respondWithPeer),
    );
    const dispatcher = new Agent();
    try {
      await assert.rejects(
        request(`${origin}/`, { dispatcher }),
        (error: Error & { code?: string }) => {
          // the server sends only its leaf, signed by a CA the client does not know
          assert.equal(error.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
          return true;
        },
      );
    } finally {
      await dispatcher.close();
    }
  });

  test('the server certificate carries IP and DNS SANs, the CA is a CA, the client is for clientAuth', async () => {
    const pki = await createTestPki();
    const server = new X509Certificate(pki.server.certPem);
    assert.equal(
      server.subjectAltName,
      'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost',
    );
    assert.equal(server.checkIP('::1'), '::1');
    assert.equal(server.checkHost('localhost'), 'localhost');
    const ca = new X509Certificate(pki.ca.certPem);
    assert.equal(ca.ca, true);
    assert.equal(server.ca, false);
    assert.equal(server.verify(ca.publicKey), true);
    const client = new X509Certificate(pki.client.certPem);
    assert.deepEqual(client.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.equal(client.checkPrivateKey(createPrivateKey(pki.client.keyPem)), true);
    assert.equal(client.checkIssued(ca), true);
  });

  test('an mTLS server accepts the client pair, as PEM and as PKCS#12 with its passphrase', async () => {
    const pki = await createTestPki();
    const origin = await listen(
      https.createServer(
        {
          cert: pki.server.certPem,
          key: pki.server.keyPem,
          ca: pki.ca.certPem,
          requestCert: true,
          rejectUnauthorized: true,
        },
        respondWithPeer,
      ),
    );
    const pem = new Agent({
      connect: { ca: pki.ca.certPem, cert: pki.client.certPem, key: pki.client.keyPem },
    });
    const p12 = new Agent({
      connect: { ca: pki.ca.certPem, pfx: pki.client.p12, passphrase: pki.client.p12Passphrase },
    });
    const none = new Agent({ connect: { ca: pki.ca.certPem } });
    try {
      for (const dispatcher of [pem, p12]) {
        const response = await request(`${origin}/`, { dispatcher });
        assert.deepEqual(await response.body.json(), { subject: 'hookline-client' });
      }
      await assert.rejects(request(`${origin}/`, { dispatcher: none }));
    } finally {
      await Promise.all([pem.close(), p12.close(), none.close()]);
    }
  });

  test('options change the SANs and the validity, and each option set is built once', async () => {
    const first = await createTestPki({ hosts: ['hooks.internal.test'], validDays: 10 });
    const again = await createTestPki({ hosts: ['hooks.internal.test'], validDays: 10 });
    assert.equal(first, again);
    const server = new X509Certificate(first.server.certPem);
    assert.equal(server.subjectAltName, 'DNS:hooks.internal.test');
    const daysLeft = (Date.parse(server.validTo) - Date.now()) / 86_400_000;
    assert.ok(daysLeft > 9.9 && daysLeft <= 10, `days left ${daysLeft}`);
    assert.notEqual(first.ca.certPem, (await createTestPki()).ca.certPem);
  });

  test('expiring and expired certificates for the 30-day warning', () => {
    const soon = new X509Certificate(certificateExpiringInDays(10).certPem);
    const soonDays = (Date.parse(soon.validTo) - Date.now()) / 86_400_000;
    assert.ok(soonDays > 9.9 && soonDays <= 10);
    const expired = new X509Certificate(certificateExpiringInDays(-1).certPem);
    assert.ok(Date.parse(expired.validTo) < Date.now());
    assert.ok(Date.parse(expired.validFrom) < Date.parse(expired.validTo));
    const leaf = createTestCertificate({ commonName: 'plain' });
    assert.equal(new X509Certificate(leaf.certPem).subject, 'CN=plain\nO=Hookline Tests');
  });
});
