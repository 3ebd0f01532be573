import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { environmentParams, type EnvironmentParams } from '../../src/contracts/connections.ts';
import { compileEgressPolicy } from '../../src/dispatch/egress/index.ts';
import {
  createDispatchEngine,
  type DeployedTarget,
  type EngineOptions,
  type TlsMaterial,
} from '../../src/dispatch/engine/index.ts';
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
import { createTestPki } from '../helpers/test-certificates.ts';

const signingSecret = `whsec_${Buffer.from('a-signing-key-of-32-bytes-length').toString('base64')}`;
const apiKey = 'sk_live_never_shown_0123456789';

interface Fixture {
  secrets?: Record<string, string>;
  variables?: Record<string, string>;
  tls?: TlsMaterial;
  production?: boolean;
  allowCidrs?: string[];
  options?: Partial<EngineOptions>;
}

const engines: Array<ReturnType<typeof createDispatchEngine>> = [];
after(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  await closeAllTargets();
});

function engineWith(fixture: Fixture = {}) {
  const secrets = { API_KEY: apiKey, SIGNING: signingSecret, ...fixture.secrets };
  const variables = fixture.variables ?? {};
  const engine = createDispatchEngine({
    sources: {
      resolveSecret: async (name) => secrets[name as keyof typeof secrets],
      variableValue: async (name) => variables[name],
      resolveTls: async (tls) => fixture.tls ?? { rejectUnauthorized: tls.verify },
      egressPolicy: async () =>
        compileEgressPolicy({
          allowLoopback: !fixture.production,
          allowCidrs: fixture.allowCidrs ?? [],
        }),
    },
    options: fixture.options,
    random: () => 0,
  });
  engines.push(engine);
  return engine;
}

let nextRevision = 1;
function targetFor(
  params: Record<string, unknown>,
  overrides: Partial<DeployedTarget> = {},
): DeployedTarget {
  return {
    connectionId: 'con_test',
    name: 'Engine_Test',
    project: 'default',
    enabled: true,
    revision: nextRevision++,
    environmentId: 'development',
    params: environmentParams.parse({ method: 'POST', ...params }) as EnvironmentParams,
    ...overrides,
  };
}

describe('dispatch engine against real targets', () => {
  test('renders, signs with standard-webhooks over the exact bytes, and sends a trace header', async () => {
    const target = await startHttpTarget();
    const engine = engineWith();
    // bytes a parse/stringify round trip would change: 1e400, a big integer, a duplicate key
    const body = '{"n":1e400,"big":12345678901234567890,"k":1,"k":2,"text":"{{param.note}}"}';
    const result = await engine.invoke(
      targetFor({
        url: `${target.origin}/orders/{{param.id}}?src={{var.SOURCE}}`,
        headers: [
          { name: 'Authorization', value: 'Bearer {{secret.API_KEY}}' },
          { name: 'Content-Type', value: 'application/json' },
        ],
        signing: { scheme: 'standard-webhooks', secret: '{{secret.SIGNING}}' },
      }),
      { body, params: { id: 'a/b c', note: 'hi' } },
    );
    assert.equal(result.outcome, 'TEMPLATE_UNRESOLVED', 'var.SOURCE has no value here');
    assert.match(result.message ?? '', /var\.SOURCE/);
    assert.equal(target.requests.length, 0, 'nothing was sent with a hole in it');

    const withVariable = engineWith({
      variables: { SOURCE: 'crm' },
      options: { traceIdHeader: 'X-Trace-Id' },
    });
    const ok = await withVariable.invoke(
      targetFor({
        url: `${target.origin}/orders/{{param.id}}?src={{var.SOURCE}}`,
        headers: [
          { name: 'Authorization', value: 'Bearer {{secret.API_KEY}}' },
          { name: 'Content-Type', value: 'application/json' },
        ],
        signing: { scheme: 'standard-webhooks', secret: '{{secret.SIGNING}}' },
      }),
      { body, params: { id: 'a/b c', note: 'hi' } },
    );
    assert.equal(ok.outcome, 'OK', ok.message ?? '');
    assert.equal(ok.status, 200);
    const [received] = await target.waitForRequests(1);
    assert.ok(received);
    assert.equal(received.url, '/orders/a%2Fb%20c?src=crm');
    assert.equal(received.headers.authorization, `Bearer ${apiKey}`);
    const sent = body.replace('{{param.note}}', 'hi');
    assert.equal(received.body.toString('utf8'), sent, 'the body is sent byte for byte');
    const verified = new Webhook(signingSecret).verify(received.body.toString('utf8'), {
      'webhook-id': String(received.headers['webhook-id']),
      'webhook-timestamp': String(received.headers['webhook-timestamp']),
      'webhook-signature': String(received.headers['webhook-signature']),
    });
    assert.ok(verified !== undefined);
    assert.match(String(received.headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(received.headers['x-trace-id'], ok.traceId);
    assert.ok(!JSON.stringify(ok).includes(apiKey), 'the secret is in no part of the answer');
  });

  test('a target echoing its request gets no secret back to the caller, in any encoding', async () => {
    const echo = await startHttpTarget((request, response) => {
      const authorization = String(request.headers.authorization);
      response
        .writeHead(200, {
          'content-type': 'application/json',
          'x-echo': authorization,
          'x-echo-encoded': encodeURIComponent(authorization),
          'x-echo-base64': Buffer.from(authorization).toString('base64'),
        })
        .end(JSON.stringify({ headers: request.headers, quoted: JSON.stringify(request.headers) }));
    });
    const result = await engineWith().invoke(
      targetFor({
        url: `${echo.origin}/`,
        headers: [{ name: 'Authorization', value: 'Bearer {{secret.API_KEY}}' }],
      }),
      { body: '{"a":1}' },
    );
    assert.equal(result.outcome, 'OK');
    const [received] = await echo.waitForRequests(1);
    assert.equal(received?.headers.authorization, `Bearer ${apiKey}`, 'the target got the secret');
    const answer = JSON.stringify(result);
    for (const form of [
      apiKey,
      encodeURIComponent(apiKey),
      Buffer.from(apiKey).toString('base64'),
    ]) {
      assert.ok(!answer.includes(form), answer);
    }
    assert.equal(result.headers['x-echo'], 'Bearer ****');
    assert.equal(result.headers['x-echo-encoded'], 'Bearer%20****');
    assert.match(result.body, /\*\*\*\*/);
  });

  test("a secret in a caller's body is the caller's mistake on invoke and test, an outcome on a delivery", async () => {
    const target = await startHttpTarget();
    const engine = engineWith();
    const params = {
      url: `${target.origin}/`,
      headers: [{ name: 'Authorization', value: 'Bearer {{secret.API_KEY}}' }],
      signing: { scheme: 'standard-webhooks', secret: '{{secret.SIGNING}}' },
    };
    for (const body of ['{"leak":"{{secret.SIGNING}}"}', { nested: ['{{ secret.API_KEY }}'] }]) {
      for (const call of [engine.invoke, engine.test]) {
        await assert.rejects(call(targetFor(params), { body }), (error: any) => {
          assert.equal(error.code, 'VALIDATION_FAILED');
          assert.equal(error.details.problems[0].path, 'body');
          assert.match(error.details.problems[0].message, /\{\{secret\.(SIGNING|API_KEY)\}\}/);
          return true;
        });
      }
      const delivered = await engine.deliver(targetFor(params), { body });
      assert.equal(delivered.outcome, 'TEMPLATE_UNRESOLVED');
      assert.equal(delivered.retryable, false);
    }
    assert.equal(target.requests.length, 0, 'nothing was sent');
    // params and variables stay usable in a body
    const ok = await engineWith({ variables: { REGION: 'eu-west' } }).invoke(
      targetFor({ ...params, headers: [{ name: 'X-Region', value: '{{var.REGION}}' }] }),
      { body: '{"id":"{{param.id}}","region":"{{var.REGION}}"}', params: { id: '42' } },
    );
    assert.equal(ok.outcome, 'OK', ok.message ?? '');
    const [received] = await target.waitForRequests(1);
    assert.equal(received?.body.toString(), '{"id":"42","region":"eu-west"}');
  });

  test('a secret cut at the edge of the body preview is masked, not shown by its first part', async () => {
    const prefix = 'x'.repeat(50);
    const echo = await startHttpTarget((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/plain' })
        .end(`${prefix}${JSON.stringify(apiKey).slice(1, -1)}${'y'.repeat(100)}`);
    });
    const engine = engineWith({ options: { previewBytes: 60 } });
    const result = await engine.invoke(
      targetFor({
        url: `${echo.origin}/`,
        headers: [{ name: 'Authorization', value: 'Bearer {{secret.API_KEY}}' }],
      }),
      {},
    );
    assert.equal(result.outcome, 'OK');
    assert.equal(result.body, `${prefix}****`, 'the first 10 characters of the key are not shown');
    assert.equal(result.truncated, true);
    assert.equal(result.sizeBytes, 50 + apiKey.length + 100);
  });

  test('a secret value shorter than 8 characters is refused at call time, naming it', async () => {
    const target = await startHttpTarget();
    const result = await engineWith({ secrets: { SHORT: 'abc1234' } }).invoke(
      targetFor({
        url: `${target.origin}/`,
        headers: [{ name: 'X-Key', value: '{{secret.SHORT}}' }],
      }),
      {},
    );
    assert.equal(result.outcome, 'TEMPLATE_UNRESOLVED');
    assert.match(result.message ?? '', /secret\.SHORT \(its value is shorter than 8 characters/);
    assert.match(result.hint ?? '', /shorter than 8 characters: rotate it/);
    assert.equal(target.requests.length, 0);
  });

  test('a URL that a variable makes invalid is TEMPLATE_UNRESOLVED, not a crash', async () => {
    const engine = engineWith({ variables: { HOST: 'not a host' } });
    const result = await engine.invoke(targetFor({ url: 'http://{{var.HOST}}/hooks' }), {});
    assert.equal(result.outcome, 'TEMPLATE_UNRESOLVED');
    assert.match(result.message ?? '', /not a valid absolute URL/);
    assert.equal(result.retryable, false);
  });

  test('HTTPS: trusted through the configured CA; TLS_FAILED without it, with a hint', async () => {
    const pki = await createTestPki();
    const target = await startHttpsTarget({ pki });
    const untrusted = await engineWith().test(targetFor({ url: `${target.origin}/` }), {});
    assert.equal(untrusted.outcome, 'TLS_FAILED');
    assert.ok(untrusted.hint && untrusted.hint.length > 0);
    assert.equal(untrusted.retryable, true, 'a failed handshake never reached the target');

    const trusted = await engineWith({
      tls: { ca: [pki.ca.certPem], rejectUnauthorized: true },
    }).test(targetFor({ url: `${target.origin}/` }), {});
    assert.equal(trusted.outcome, 'OK', trusted.message ?? '');
    assert.ok(trusted.tlsPeer);
    assert.match(trusted.tlsPeer.issuer ?? '', /CN=/);
    assert.ok(trusted.timings.connectMs !== null && trusted.timings.tlsMs !== null);
    assert.ok(trusted.timings.firstByteMs !== null);
  });

  test('mutual TLS: refused without the client certificate, accepted with it', async () => {
    const pki = await createTestPki();
    const target = await startMtlsTarget({ pki });
    const without = await engineWith({
      tls: { ca: [pki.ca.certPem], rejectUnauthorized: true },
    }).test(targetFor({ url: `${target.origin}/` }), {});
    assert.ok(['TLS_FAILED', 'CONNECTION_RESET'].includes(without.outcome), without.outcome);
    assert.equal(target.requests.length, 0);

    const withCertificate = await engineWith({
      tls: {
        ca: [pki.ca.certPem],
        cert: pki.client.certPem,
        key: pki.client.keyPem,
        rejectUnauthorized: true,
      },
    }).invoke(targetFor({ url: `${target.origin}/` }), {});
    assert.equal(withCertificate.outcome, 'OK', withCertificate.message ?? '');
    const [received] = await target.waitForRequests(1);
    assert.match(received?.clientCertificateSubject ?? '', /CN=/);
  });

  test('a slow target is cut at requestTimeoutMs (within 10%): REQUEST_TIMEOUT', async () => {
    const target = await startSlowTarget(5000);
    const result = await engineWith().invoke(
      targetFor({ url: `${target.origin}/`, requestTimeoutMs: 1000 }),
      {},
    );
    assert.equal(result.outcome, 'REQUEST_TIMEOUT');
    assert.ok(
      result.timings.totalMs >= 1000 && result.timings.totalMs <= 1100,
      String(result.timings.totalMs),
    );
  });

  test('a target dripping a byte at a time is still cut at the deadline (within 10%)', async () => {
    const target = await startDripTarget(100);
    const result = await engineWith().invoke(
      targetFor({ url: `${target.origin}/`, requestTimeoutMs: 1500 }),
      {},
    );
    assert.equal(result.outcome, 'REQUEST_TIMEOUT');
    assert.ok(
      result.timings.totalMs >= 1500 && result.timings.totalMs <= 1650,
      String(result.timings.totalMs),
    );
  });

  test('a TLS target that never finishes the handshake: CONNECT_TIMEOUT at connectTimeoutMs (within 10%)', async () => {
    const target = await startSilentTarget();
    const result = await engineWith().invoke(
      targetFor({
        url: `https://127.0.0.1:${target.port}/`,
        connectTimeoutMs: 1000,
        requestTimeoutMs: 5000,
      }),
      {},
    );
    assert.equal(result.outcome, 'CONNECT_TIMEOUT', result.message ?? '');
    assert.ok(
      result.timings.totalMs >= 1000 && result.timings.totalMs <= 1100,
      String(result.timings.totalMs),
    );
    assert.equal(result.retryable, true);
  });

  test('reset, refused and unresolvable targets get their codes', async () => {
    const engine = engineWith();
    const reset = await startResetTarget({ when: 'mid-answer' });
    assert.equal(
      (await engine.invoke(targetFor({ url: `${reset.origin}/` }), {})).outcome,
      'CONNECTION_RESET',
    );
    const port = await refusedPort();
    assert.equal(
      (await engine.invoke(targetFor({ url: `http://127.0.0.1:${port}/` }), {})).outcome,
      'CONNECT_REFUSED',
    );
    assert.equal(
      (await engine.invoke(targetFor({ url: 'http://no-such-host.invalid/' }), {})).outcome,
      'DNS_FAILED',
    );
  });

  for (const [status, outcome] of [
    [401, 'HTTP_AUTH'],
    [403, 'HTTP_AUTH'],
    [404, 'HTTP_4XX'],
    [429, 'HTTP_429'],
    [500, 'HTTP_5XX'],
  ] as const) {
    test(`a ${status} answer is ${outcome}, with a hint and the body`, async () => {
      const target = await startStatusTarget(
        status,
        { 'content-type': 'text/plain' },
        `status ${status}`,
      );
      const result = await engineWith().invoke(targetFor({ url: `${target.origin}/` }), {});
      assert.equal(result.outcome, outcome);
      assert.equal(result.status, status);
      assert.equal(result.body, `status ${status}`);
      assert.ok(result.hint);
    });
  }

  test('RESPONSE_TOO_LARGE past the size cap; the preview is capped with a truncation flag', async () => {
    const big = Buffer.alloc(64 * 1024, 'x');
    const target = await startStatusTarget(200, { 'content-type': 'text/plain' }, big);
    const capped = await engineWith({ options: { maxResponseBytes: 16 * 1024 } }).invoke(
      targetFor({ url: `${target.origin}/` }),
      {},
    );
    assert.equal(capped.outcome, 'RESPONSE_TOO_LARGE');
    const preview = await engineWith({ options: { previewBytes: 1000 } }).invoke(
      targetFor({ url: `${target.origin}/` }),
      {},
    );
    assert.equal(preview.outcome, 'OK');
    assert.equal(preview.body.length, 1000);
    assert.equal(preview.truncated, true);
    assert.equal(preview.sizeBytes, big.length);
  });

  test('POOL_EXHAUSTED beyond the pool and its wait queue', async () => {
    const target = await startSlowTarget(300);
    const engine = engineWith({ options: { maxQueuedPerPool: 1 } });
    const deployed = targetFor({ url: `${target.origin}/`, poolSize: 1 });
    const results = await Promise.all([1, 2, 3].map(() => engine.invoke(deployed, {})));
    assert.deepEqual(results.map((r) => r.outcome).sort(), ['OK', 'OK', 'POOL_EXHAUSTED']);
  });

  test('keep-alive is real: 1,000 sequential invokes open at most poolSize connections', async () => {
    const target = await startHttpTarget();
    const engine = engineWith();
    const deployed = targetFor({ url: `${target.origin}/`, poolSize: 2 });
    for (let i = 0; i < 1000; i++) {
      const result = await engine.invoke(deployed, { body: { i } });
      assert.equal(result.outcome, 'OK');
    }
    assert.equal(target.requests.length, 1000);
    assert.ok(target.connectionCount <= 2, `opened ${target.connectionCount} connections`);
    const [row] = engine.metrics
      .forConnection('con_test')
      .filter((m) => m.environment === 'development');
    assert.ok(row && row.total >= 1000);
  });

  test('a redeploy drains the old pool: the next revision opens its own', async () => {
    const target = await startHttpTarget();
    const engine = engineWith();
    const first = targetFor({ url: `${target.origin}/` });
    await engine.invoke(first, {});
    assert.equal(engine.poolStats().length, 1);
    const second = { ...first, revision: first.revision + 1000 };
    engine.retireConnection(first.connectionId, (key) => key.revision === second.revision);
    assert.equal(engine.poolStats().length, 0, 'the old pool is retired');
    await engine.invoke(second, {});
    assert.equal(engine.poolStats().length, 1);
    assert.equal(target.connectionCount, 2);
  });

  test('retries a signed POST on 503 (it carries webhook-id) with the same webhook-id', async () => {
    let calls = 0;
    const target = await startHttpTarget((_request, response) => {
      calls += 1;
      if (calls < 3) response.writeHead(503).end();
      else response.writeHead(200).end('done');
    });
    const result = await engineWith().invoke(
      targetFor({
        url: `${target.origin}/`,
        retry: { maxAttempts: 3, waitSeconds: 0, backoff: 'fixed' },
        signing: { scheme: 'standard-webhooks', secret: '{{secret.SIGNING}}' },
      }),
      { body: { a: 1 } },
    );
    assert.equal(result.outcome, 'OK');
    assert.equal(result.attempts, 3);
    const ids = new Set(target.requests.map((r) => r.headers['webhook-id']));
    assert.equal(ids.size, 1, 'one webhook-id across attempts');
  });

  test('does not retry an unsigned POST whose failure may have reached the target', async () => {
    const target = await startStatusTarget(500);
    const result = await engineWith().invoke(
      targetFor({
        url: `${target.origin}/`,
        retry: { maxAttempts: 3, waitSeconds: 0, backoff: 'fixed' },
      }),
      { body: { a: 1 } },
    );
    assert.equal(result.outcome, 'HTTP_5XX');
    assert.equal(result.attempts, 1);
    assert.equal(result.retryable, false);
    assert.equal(target.requests.length, 1);
  });
});

describe('egress policy in the engine', () => {
  test('production refuses loopback by name, by IPv4-mapped literal, and metadata addresses', async () => {
    const target = await startHttpTarget();
    const engine = engineWith({ production: true });
    for (const url of [
      `http://localhost:${target.port}/`,
      `http://[::ffff:127.0.0.1]:${target.port}/`,
      `http://2130706433:${target.port}/`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const result = await engine.invoke(targetFor({ url }), {});
      assert.equal(result.outcome, 'EGRESS_BLOCKED', url);
      assert.equal(result.retryable, false, 'a refusal of ours is not worth repeating');
    }
    assert.equal(target.requests.length, 0);
  });

  test('a redirect to loopback is refused when redirects are followed', async () => {
    const loopbackTarget = await startHttpTarget();
    // an allowed first hop on 127.0.0.2 that redirects to 127.0.0.1
    const redirector = createServer((_request, response) => {
      response.writeHead(302, { location: `${loopbackTarget.origin}/secret` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.2', resolve));
    after(() => new Promise<void>((resolve) => redirector.close(() => resolve())));
    const port = (redirector.address() as AddressInfo).port;
    const engine = engineWith({ production: true, allowCidrs: ['127.0.0.2/32'] });
    const result = await engine.invoke(
      targetFor({ url: `http://127.0.0.2:${port}/start`, followRedirects: true }),
      {},
    );
    assert.equal(result.outcome, 'EGRESS_BLOCKED');
    assert.equal(loopbackTarget.requests.length, 0);
  });
});
