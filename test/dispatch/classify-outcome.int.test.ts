import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Pool } from 'undici';
import {
  classifyError,
  classifyStatus,
  type ReachedTarget,
} from '../../src/dispatch/classify-outcome.ts';
import { hintFor } from '../../src/dispatch/outcome-hints.ts';
import type { OutcomeCode } from '../../src/contracts/outcomes.ts';
import {
  closeAllTargets,
  refusedPort,
  startDripTarget,
  startHttpTarget,
  startHttpsTarget,
  startMtlsTarget,
  startResetTarget,
  startSilentTarget,
  startSlowTarget,
  startStatusTarget,
} from '../helpers/target-servers.ts';
import {
  createTestCertificate,
  createTestPki,
  type TestPki,
} from '../helpers/test-certificates.ts';

interface Try {
  outcome: OutcomeCode;
  reachedTarget: ReachedTarget;
  status?: number;
  message?: string;
  errorCode?: string;
  body?: Buffer;
}

/**
 * One real try through an undici 8 Pool, classified the way the engine does it: a status
 * through classifyStatus, a thrown error through classifyError. The body is read to the end,
 * so maxResponseSize and body timeouts happen here.
 */
async function attempt(
  url: string,
  options: {
    pool?: Pool.Options;
    connect?: Record<string, unknown>;
    method?: 'GET' | 'POST';
    body?: string;
    signal?: AbortSignal;
  } = {},
): Promise<Try> {
  const target = new URL(url);
  const pool = new Pool(target.origin, {
    connectTimeout: 2000,
    headersTimeout: 2000,
    bodyTimeout: 2000,
    allowH2: false,
    ...options.pool,
    connect: { ...options.connect },
  });
  try {
    const response = await pool.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: options.method ?? 'POST',
      body: options.body ?? '{"event":"test"}',
      headers: { 'content-type': 'application/json' },
      signal: options.signal,
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    return {
      outcome: classifyStatus(response.statusCode),
      reachedTarget: 'yes',
      status: response.statusCode,
      body,
    };
  } catch (error) {
    const classified = classifyError(error);
    return { ...classified };
  } finally {
    await pool.destroy();
  }
}

const expectTry = (result: Try, outcome: OutcomeCode, reachedTarget: ReachedTarget) =>
  assert.deepEqual(
    { outcome: result.outcome, reachedTarget: result.reachedTarget },
    { outcome, reachedTarget },
    `got ${result.outcome}/${result.reachedTarget}: ${result.message ?? result.status}`,
  );

let pki: TestPki;

before(async () => {
  pki = await createTestPki();
});

after(closeAllTargets);

describe('outcomes of real failures before the request is sent', () => {
  test('a port where nothing listens is CONNECT_REFUSED, never reached', async () => {
    const port = await refusedPort();
    const result = await attempt(`http://127.0.0.1:${port}/hook`);
    expectTry(result, 'CONNECT_REFUSED', 'no');
    assert.equal(result.errorCode, 'ECONNREFUSED');
  });

  test('a host under .invalid (RFC 6761: never resolves) is DNS_FAILED, never reached', async () => {
    const result = await attempt('http://hookline-target.invalid/hook');
    expectTry(result, 'DNS_FAILED', 'no');
  });

  test('a TLS handshake the target never answers is CONNECT_TIMEOUT: connectTimeout covers TLS', async () => {
    // Loopback only: a TCP server that accepts and stays silent stalls the handshake, and
    // undici's connect timer runs until `secureConnect` (lib/core/connect.js).
    const silent = await startSilentTarget();
    const startedAt = performance.now();
    const result = await attempt(`https://127.0.0.1:${silent.port}/hook`, {
      pool: { connectTimeout: 300 },
      connect: { ca: pki.ca.certPem },
    });
    expectTry(result, 'CONNECT_TIMEOUT', 'no');
    assert.equal(result.errorCode, 'UND_ERR_CONNECT_TIMEOUT');
    // undici's connect timer is a "fast timer" (lib/util/timers.js: 1 s resolution, 499 ms
    // tick), so it fires 0.5–1 s late: measured 1.0 s for 300 ms, 1.5 s for 1,000 ms
    assert.ok(performance.now() - startedAt < 2500, 'gave up soon after the connect timeout');
    assert.equal(silent.connectionCount, 1, 'the TCP connection itself was accepted');
  });

  test('a self-signed certificate that is not trusted is TLS_FAILED, never reached', async () => {
    const server = createTestCertificate({ hosts: ['127.0.0.1'], usage: 'server' });
    const selfSigned = await startHttpsTarget({ pki: { ca: server, server } });
    const result = await attempt(`${selfSigned.origin}/hook`);
    expectTry(result, 'TLS_FAILED', 'no');
    assert.equal(result.errorCode, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(selfSigned.requests.length, 0);
  });

  test('an expired certificate is TLS_FAILED even when trusted', async () => {
    const server = createTestCertificate({
      hosts: ['127.0.0.1'],
      usage: 'server',
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const expired = await startHttpsTarget({ pki: { ca: server, server } });
    const result = await attempt(`${expired.origin}/hook`, { connect: { ca: server.certPem } });
    expectTry(result, 'TLS_FAILED', 'no');
    assert.equal(result.errorCode, 'CERT_HAS_EXPIRED');
    assert.match(result.message ?? '', /expired/);
  });

  test('a certificate from a CA the environment does not trust is TLS_FAILED', async () => {
    const https = await startHttpsTarget({ pki });
    const result = await attempt(`${https.origin}/hook`);
    expectTry(result, 'TLS_FAILED', 'no');
    assert.match(
      result.errorCode ?? '',
      /UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)/,
    );
    assert.match(hintFor(result.outcome)!, /certificate chain/);
  });

  test('the same target with its CA trusted answers OK (the failures above are the trust)', async () => {
    const https = await startHttpsTarget({ pki });
    const result = await attempt(`${https.origin}/hook`, { connect: { ca: pki.ca.certPem } });
    expectTry(result, 'OK', 'yes');
    assert.equal(https.requests.length, 1);
  });

  test('a certificate that does not name the host is TLS_FAILED', async () => {
    const otherPki = await createTestPki({ hosts: ['other.example'] });
    const https = await startHttpsTarget({ pki: otherPki });
    const result = await attempt(`${https.origin}/hook`, { connect: { ca: otherPki.ca.certPem } });
    expectTry(result, 'TLS_FAILED', 'no');
    assert.equal(result.errorCode, 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.match(result.message ?? '', /does not name this host/);
  });

  test('https:// to a plain HTTP port is TLS_FAILED with a hint at the scheme', async () => {
    const plain = await startHttpTarget();
    const result = await attempt(`https://127.0.0.1:${plain.port}/hook`);
    expectTry(result, 'TLS_FAILED', 'no');
    assert.equal(result.errorCode, 'ERR_SSL_WRONG_VERSION_NUMBER');
    assert.match(result.message ?? '', /http:\/\//);
  });
});

describe('outcomes of mutual TLS', () => {
  test('a client certificate from the trusted CA answers OK and the target sees its subject', async () => {
    const mtls = await startMtlsTarget({ pki });
    const result = await attempt(`${mtls.origin}/hook`, {
      connect: { ca: pki.ca.certPem, cert: pki.client.certPem, key: pki.client.keyPem },
    });
    expectTry(result, 'OK', 'yes');
    assert.match(mtls.requests[0]?.clientCertificateSubject ?? '', /CN=/);
  });

  test('no client certificate over TLS 1.2 is TLS_FAILED (the handshake carries the refusal)', async () => {
    const mtls = await startMtlsTarget({ pki });
    const result = await attempt(`${mtls.origin}/hook`, {
      connect: { ca: pki.ca.certPem, maxVersion: 'TLSv1.2' },
    });
    expectTry(result, 'TLS_FAILED', 'no');
    assert.equal(mtls.requests.length, 0);
  });

  test('no client certificate over TLS 1.3 is CONNECTION_RESET: undici sees the close before the alert', async () => {
    // TLS 1.3 finishes the client's side of the handshake before the server checks the
    // certificate; undici reads end-of-stream ("other side closed") before OpenSSL reads the
    // certificate_required alert (Node 24.21, undici 8.13). The message names the likely cause.
    const mtls = await startMtlsTarget({ pki });
    const result = await attempt(`${mtls.origin}/hook`, { connect: { ca: pki.ca.certPem } });
    expectTry(result, 'CONNECTION_RESET', 'maybe');
    assert.match(result.message ?? '', /client certificate/);
    assert.equal(mtls.requests.length, 0, 'the target application never saw the request');
  });
});

describe('outcomes of real failures during the exchange', () => {
  test('a target slower than headersTimeout is REQUEST_TIMEOUT, maybe reached', async () => {
    const slow = await startSlowTarget(5000);
    const result = await attempt(`${slow.origin}/hook`, { pool: { headersTimeout: 200 } });
    expectTry(result, 'REQUEST_TIMEOUT', 'maybe');
    assert.equal(result.errorCode, 'UND_ERR_HEADERS_TIMEOUT');
    assert.equal(slow.requests.length, 1, 'the target did get the request');
  });

  test('a dripping target outlives bodyTimeout; the engine deadline (REQUEST_TIMEOUT) ends it', async () => {
    const drip = await startDripTarget(50);
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(Object.assign(new Error('deadline'), { code: 'REQUEST_TIMEOUT' })),
      600,
    );
    try {
      const result = await attempt(`${drip.origin}/hook`, {
        pool: { bodyTimeout: 200 },
        signal: deadline.signal,
      });
      expectTry(result, 'REQUEST_TIMEOUT', 'maybe');
      // bodyTimeout (200 ms of silence) never fired: the deadline's own code came back
      assert.equal(result.errorCode, 'REQUEST_TIMEOUT');
    } finally {
      clearTimeout(timer);
    }
  });

  test('a reset in the middle of the answer is CONNECTION_RESET, maybe reached', async () => {
    const reset = await startResetTarget();
    const result = await attempt(`${reset.origin}/hook`);
    expectTry(result, 'CONNECTION_RESET', 'maybe');
    assert.equal(reset.requests[0]?.method, 'POST');
  });

  test('a reset before any answer is CONNECTION_RESET, maybe reached', async () => {
    const reset = await startResetTarget({ when: 'before-answer' });
    const result = await attempt(`${reset.origin}/hook`);
    expectTry(result, 'CONNECTION_RESET', 'maybe');
  });

  test('a socket destroyed mid-response is CONNECTION_RESET', async () => {
    const target = await startHttpTarget((_request, response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('partial', () => response.socket?.destroy());
    });
    const result = await attempt(`${target.origin}/hook`);
    expectTry(result, 'CONNECTION_RESET', 'maybe');
  });

  test('an answer that is not HTTP is CONNECTION_RESET naming it', async () => {
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await attempt(`http://127.0.0.1:${port}/hook`);
      expectTry(result, 'CONNECTION_RESET', 'maybe');
      assert.match(result.message ?? '', /not valid HTTP/);
    } finally {
      server.close();
    }
  });

  test('an answer over maxResponseSize is RESPONSE_TOO_LARGE', async () => {
    const big = await startStatusTarget(
      200,
      { 'content-type': 'text/plain' },
      Buffer.alloc(64 * 1024, 97),
    );
    const result = await attempt(`${big.origin}/export`, {
      method: 'GET',
      pool: { maxResponseSize: 16 * 1024 },
    });
    expectTry(result, 'RESPONSE_TOO_LARGE', 'maybe');
    assert.equal(result.errorCode, 'UND_ERR_RES_EXCEEDED_MAX_SIZE');
  });
});

describe('outcomes of real answers', () => {
  const cases: Array<[number, OutcomeCode, RegExp]> = [
    [401, 'HTTP_AUTH', /credentials/],
    [403, 'HTTP_AUTH', /permission/],
    [404, 'HTTP_4XX', /URL path/],
    [429, 'HTTP_429', /Retry-After/],
    [500, 'HTTP_5XX', /health/],
    [301, 'HTTP_4XX', /redirected \(301\)/],
  ];
  for (const [status, outcome, hint] of cases) {
    test(`a ${status} answer is ${outcome} with a hint`, async () => {
      const headers: Record<string, string> =
        status === 429 ? { 'retry-after': '30' } : status === 301 ? { location: '/moved' } : {};
      const target = await startStatusTarget(status, headers, '{"error":"no"}');
      const result = await attempt(`${target.origin}/hook`);
      expectTry(result, outcome, 'yes');
      assert.equal(result.status, status);
      assert.match(hintFor(result.outcome, result.status)!, hint);
    });
  }
});

describe('target servers', () => {
  test('record method, path, headers and the exact body bytes of every request', async () => {
    const target = await startHttpTarget();
    const body = '{"a":"ü","b":[1,2]}';
    await attempt(`${target.origin}/hooks/a?x=1`, { body });
    const [request] = await target.waitForRequests(1);
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/hooks/a?x=1');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.ok(request?.rawHeaders.includes('content-type'));
    assert.deepEqual(request?.body, Buffer.from(body, 'utf8'));
  });

  test('count TCP connections server-side: keep-alive reuses one, a new pool opens another', async () => {
    const target = await startHttpTarget();
    const pool = new Pool(target.origin, { connections: 1 });
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await pool.request({ path: '/', method: 'GET' });
        await response.body.dump();
      }
    } finally {
      await pool.close();
    }
    assert.equal(target.requests.length, 3);
    assert.equal(target.connectionCount, 1);
    assert.deepEqual(
      target.requests.map((request) => request.connectionId),
      [1, 1, 1],
    );
    await attempt(`${target.origin}/`);
    assert.equal(target.connectionCount, 2);
    assert.equal(target.requests[3]?.connectionId, 2);
  });

  test('count TLS connections the same way', async () => {
    const target = await startHttpsTarget({ pki });
    const pool = new Pool(target.origin, { connections: 1, connect: { ca: pki.ca.certPem } });
    try {
      for (let i = 0; i < 2; i += 1) {
        const response = await pool.request({ path: '/', method: 'GET' });
        await response.body.dump();
      }
    } finally {
      await pool.close();
    }
    assert.equal(target.connectionCount, 1);
    assert.deepEqual(
      target.requests.map((request) => request.connectionId),
      [1, 1],
    );
  });

  test('waitForRequests gives up after its timeout, saying how many arrived', async () => {
    const target = await startHttpTarget();
    await assert.rejects(target.waitForRequests(1, 50), /got 0 of 1 requests within 50 ms/);
  });

  test('close() ends open connections, and the port then refuses', async () => {
    const drip = await startDripTarget(20);
    const pending = attempt(`${drip.origin}/`, { pool: { bodyTimeout: 0 } });
    await drip.waitForRequests(1);
    await drip.close();
    expectTry(await pending, 'CONNECTION_RESET', 'maybe');
    expectTry(await attempt(`${drip.origin}/`), 'CONNECT_REFUSED', 'no');
  });
});
