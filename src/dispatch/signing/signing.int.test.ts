import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { Pool, request } from 'undici';
import { environmentParams } from '../../contracts/connections.ts';
import { compileRequest } from '../render/index.ts';
import { parseTraceparent, createTraceparent } from '../trace-context.ts';
import { createMessageId, createSigner } from './index.ts';

/**
 * One signed request through a real undici Pool to a real HTTP server, which verifies the
 * standard-webhooks signature with the official package over the raw bytes it received.
 */

const hookSecret = `whsec_${randomBytes(32).toString('base64')}`;
const trickyText =
  '{"n":1e400,"id":12345678901234567890,"dup":1,"dup":2,"text":"Grüße 東京 🚀","order":"{{param.orderId}}"}';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  verified: boolean;
}

describe('signed requests through undici', () => {
  const received: Received[] = [];
  let server: Server;
  let pool: Pool;
  let origin: string;

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        let verified = false;
        try {
          new Webhook(hookSecret).verify(body, req.headers as Record<string, string>, {
            jsonParse: false,
          });
          verified = true;
        } catch {
          verified = false;
        }
        received.push({ path: req.url ?? '', headers: req.headers, body, verified });
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pool = new Pool(origin, { connections: 2 });
  });

  after(async () => {
    await pool.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function prepare() {
    const params = environmentParams.parse({
      method: 'POST',
      url: `${origin}/hooks/{{param.tenant}}`,
      headers: [
        { name: 'Authorization', value: 'Bearer {{secret.API_TOKEN}}' },
        { name: 'Content-Type', value: 'application/json' },
      ],
      signing: { scheme: 'standard-webhooks', secret: '{{secret.HOOK_KEY}}' },
    });
    const compiled = compileRequest(params);
    const signer = createSigner(params.signing, hookSecret);
    assert.ok(signer);
    const values = {
      variable: () => undefined,
      secret: (name: string) => (name === 'API_TOKEN' ? 't-1' : undefined),
      param: (name: string) => ({ tenant: 'acme/eu', orderId: 'A-"7"' })[name],
    };
    return { compiled, signer, values };
  }

  async function send(url: string, headers: Array<[string, string]>, body: Buffer | undefined) {
    const response = await request(url, {
      dispatcher: pool,
      method: 'POST',
      headers: headers.flat(),
      body,
    });
    await response.body.dump();
    return response.statusCode;
  }

  test('the receiver verifies the signature over the raw bytes of a string body', async () => {
    const { compiled, signer, values } = prepare();
    const rendered = compiled.render(values, trickyText);
    const trace = createTraceparent();
    const signed = signer.sign({
      messageId: createMessageId(),
      timestampSeconds: Math.floor(Date.now() / 1000),
      body: rendered.body,
    });
    const status = await send(
      rendered.url,
      [...rendered.headers, ['traceparent', trace.traceparent], ...signed],
      rendered.body,
    );

    assert.equal(status, 204);
    const got = received.at(-1)!;
    assert.equal(got.verified, true);
    assert.equal(got.path, '/hooks/acme%2Feu');
    assert.ok(got.body.equals(Buffer.from(trickyText.replace('{{param.orderId}}', 'A-"7"'))));
    assert.equal(got.headers.authorization, 'Bearer t-1');
    assert.equal(parseTraceparent(String(got.headers.traceparent))?.traceId, trace.traceId);
  });

  test('the receiver verifies a JSON value body rendered with escaped values', async () => {
    const { compiled, signer, values } = prepare();
    const rendered = compiled.render(values, { order: '{{param.orderId}}', total: 12.5 });
    const signed = signer.sign({
      messageId: createMessageId(),
      timestampSeconds: Math.floor(Date.now() / 1000),
      body: rendered.body,
    });
    assert.equal(await send(rendered.url, [...rendered.headers, ...signed], rendered.body), 204);
    const got = received.at(-1)!;
    assert.equal(got.verified, true);
    assert.deepEqual(JSON.parse(got.body.toString('utf8')), { order: 'A-"7"', total: 12.5 });
  });

  test('the receiver refuses a body changed after signing', async () => {
    const { compiled, signer, values } = prepare();
    const rendered = compiled.render(values, trickyText);
    const signed = signer.sign({
      messageId: createMessageId(),
      timestampSeconds: Math.floor(Date.now() / 1000),
      body: rendered.body,
    });
    // what parse + stringify does to 1e400 (Infinity → null)
    const reserialized = Buffer.from(rendered.body!.toString('utf8').replace('1e400', 'null'));
    assert.equal(await send(rendered.url, [...rendered.headers, ...signed], reserialized), 401);
    assert.equal(received.at(-1)!.verified, false);
  });
});
