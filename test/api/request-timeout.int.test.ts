// The HTTP server's request timeout (config requestTimeoutMs): a client that trickles a request
// is answered 408 and its socket closed; the time an answer takes (an invoke waiting on a slow
// target) is not bounded by it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, startHttpTarget } from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

const requestTimeoutMs = 1000;

/**
 * Opens a socket to the API, writes `head`, then `drip` every 100 ms until the server closes
 * the socket; answers what the server sent and how long the socket stayed open.
 */
async function trickleUntilClosed(
  api: TestApi,
  head: string,
  drip: string,
): Promise<{ received: string; openMs: number }> {
  const socket = net.connect(Number(new URL(api.url).port), '127.0.0.1');
  await once(socket, 'connect');
  const startedAt = Date.now();
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  // a write racing the server's close fails with EPIPE or a reset: the close still follows
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(head);
  const trickle = setInterval(() => {
    if (socket.writable) socket.write(drip);
  }, 100);
  try {
    await closed;
  } finally {
    clearInterval(trickle);
  }
  return { received: Buffer.concat(received).toString('latin1'), openMs: Date.now() - startedAt };
}

for (const kind of testStores()) {
  describe(`request timeout (${requestTimeoutMs} ms) on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { requestTimeoutMs });
    });
    after(() => api.close());

    // without a request timeout the socket stays open: the test's own timeout fails it
    test(
      'a login body trickled a byte at a time is cut: 408 and the socket closed',
      { timeout: 20_000 },
      async () => {
        // 4000 bytes at one per 100 ms would take 400 s
        const { received, openMs } = await trickleUntilClosed(
          api,
          'POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
            'Content-Length: 4000\r\n\r\n{',
          ' ',
        );
        assert.match(received, /^HTTP\/1\.1 408 /);
        assert.ok(openMs >= requestTimeoutMs - 50, `closed after ${openMs} ms`);
      },
    );

    test(
      'headers trickled without an end are cut too: 408 and the socket closed',
      { timeout: 20_000 },
      async () => {
        const { received } = await trickleUntilClosed(
          api,
          'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n',
          'X-Slow: 1\r\n',
        );
        assert.match(received, /^HTTP\/1\.1 408 /);
      },
    );

    test('an invoke whose target answers after the request timeout is not cut', async () => {
      const slowMs = requestTimeoutMs + 500;
      const target = await startHttpTarget((_request, response) => {
        // not a wait of the test: the TARGET is slow on purpose. The request timeout under test
        // is Node's own http server timer (no clock to inject), and the property is that an
        // answer later than it still arrives — on a busy machine it only arrives later still
        setTimeout(() => response.writeHead(200).end('late but fine'), slowMs);
      });
      const created = await api.request('POST', '/api/v1/connections', {
        name: uniqueName('Slow'),
        environments: {
          development: { method: 'POST', url: `${target.origin}/slow`, requestTimeoutMs: 10_000 },
        },
      });
      assert.equal(created.status, 201, created.text);
      const deployed = await api.request('POST', `/api/v1/connections/${created.body.id}/deploy`, {
        environment: 'development',
      });
      assert.ok(deployed.status < 300, deployed.text);
      const startedAt = Date.now();
      const invoked = await api.request('POST', `/api/v1/connections/${created.body.id}/invoke`, {
        environment: 'development',
        body: { hello: 'world' },
      });
      assert.equal(invoked.status, 200, invoked.text);
      assert.equal(invoked.body.outcome, 'OK', invoked.text);
      assert.ok(Date.now() - startedAt >= slowMs, 'the answer waited for the slow target');
    });
  });
}
