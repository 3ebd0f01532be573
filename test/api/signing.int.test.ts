// Request signing through the API on both stores: a signing secret that cannot be a key is
// refused at deploy (not found at the first call), and what Hookline signs verifies with the
// receiver code of docs/reference/signing.md.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, startHttpTarget, type Target } from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

const base = '/api/v1/connections';
const goodKey = `whsec_${randomBytes(32).toString('base64')}`;
const hmacSecret = `hmac secret ${randomBytes(16).toString('hex')}`;

/** docs/reference/signing.md, hmac-sha256, Node.js: the snippet as written there. */
function verifyHmac(secret: string, headerValue: unknown, rawBody: Buffer): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  return (
    typeof headerValue === 'string' &&
    headerValue.length === expected.length &&
    timingSafeEqual(Buffer.from(headerValue), Buffer.from(expected))
  );
}

for (const kind of testStores()) {
  describe(`request signing on ${kind.name}`, () => {
    let api: TestApi;
    let target: Target;
    before(async () => {
      api = await startTestApi(kind);
      target = await startHttpTarget();
      for (const [name, value] of [
        ['GOOD_SIGNING', goodKey],
        ['NOT_BASE64_SIGNING', 'whsec_this is not base64!'],
        ['SHORT_SIGNING', `whsec_${randomBytes(8).toString('base64')}`],
        ['HMAC_SIGNING', hmacSecret],
      ]) {
        const response = await api.request('POST', '/api/v1/secrets', { name, value });
        assert.equal(response.status, 201, response.text);
      }
    });
    after(() => api.close());

    async function created(signing: Record<string, unknown>): Promise<string> {
      const response = await api.request('POST', base, {
        name: uniqueName('Signed'),
        environments: {
          development: { method: 'POST', url: `${target.origin}/hook`, signing },
        },
      });
      assert.equal(response.status, 201, response.text);
      return response.body.id as string;
    }

    for (const [secret, why] of [
      ['NOT_BASE64_SIGNING', /whsec_ followed by base64/],
      ['SHORT_SIGNING', /8 bytes; it must be at least 16/],
    ] as const) {
      test(`a standard-webhooks secret that cannot be a key (${secret}) is refused at deploy, naming it`, async () => {
        const id = await created({
          scheme: 'standard-webhooks',
          secret: `{{secret.${secret}}}`,
        });
        const deploy = await api.request('POST', `${base}/${id}/deploy`, {
          environment: 'development',
        });
        assert.equal(deploy.status, 400, deploy.text);
        assert.equal(deploy.body.error.code, 'VALIDATION_FAILED');
        const [problem] = deploy.body.error.details.problems;
        assert.equal(problem.path, 'environments.development.signing.secret');
        assert.match(problem.message, new RegExp(`secret\\.${secret}`));
        assert.match(problem.message, why);
        assert.doesNotMatch(deploy.text, /missing|no value/i, 'not a missing variable');
        // nothing runs: a call says it is not deployed, not TEMPLATE_UNRESOLVED
        const invoke = await api.request('POST', `${base}/${id}/invoke`, {
          environment: 'development',
        });
        assert.equal(invoke.body.error?.code, 'CONNECTION_NOT_DEPLOYED', invoke.text);
        const history = await api.request('GET', `${base}/${id}/deployments`);
        assert.equal(history.body.items[0]?.outcome, 'failed');
      });
    }

    test('Save and Deploy refuses the same secret, and writes no revision', async () => {
      const id = await created({ scheme: 'none' });
      const saved = await api.request(
        'PUT',
        `${base}/${id}?deploy=development`,
        {
          name: (await api.request('GET', `${base}/${id}`)).body.name,
          environments: {
            development: {
              method: 'POST',
              url: `${target.origin}/hook`,
              signing: { scheme: 'standard-webhooks', secret: '{{secret.SHORT_SIGNING}}' },
            },
          },
        },
        { headers: { 'if-match': '*' } },
      );
      assert.equal(saved.status, 400, saved.text);
      assert.equal(saved.body.error.code, 'VALIDATION_FAILED');
      assert.match(saved.text, /secret\.SHORT_SIGNING/);
      assert.equal((await api.request('GET', `${base}/${id}`)).body.revision, 1);
    });

    test('standard-webhooks: what Hookline sends verifies with the standardwebhooks package, over the raw body', async () => {
      const id = await created({ scheme: 'standard-webhooks', secret: '{{secret.GOOD_SIGNING}}' });
      const deploy = await api.request('POST', `${base}/${id}/deploy`, {
        environment: 'development',
      });
      assert.equal(deploy.status, 200, deploy.text);
      const before = target.requests.length;
      const invoke = await api.request('POST', `${base}/${id}/invoke`, {
        environment: 'development',
        body: { order: 'A-1', total: 1.1, text: 'Grüße 🚀' },
      });
      assert.equal(invoke.body.outcome, 'OK', invoke.text);
      const [request] = (await target.waitForRequests(before + 1)).slice(before);
      const header = (name: string) => String(request!.headers[name]);
      // docs/reference/signing.md, standard-webhooks, Node.js
      const webhook = new Webhook(goodKey);
      assert.doesNotThrow(() =>
        webhook.verify(request!.body, {
          'webhook-id': header('webhook-id'),
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        }),
      );
      assert.match(header('webhook-id'), /^msg_[0-9a-z]{26}$/);
      assert.match(header('webhook-signature'), /^v1,[A-Za-z0-9+/]{43}=$/);
      // one changed byte and it no longer verifies
      const changed = Buffer.from(request!.body);
      changed[changed.length - 2] = 0x20;
      assert.throws(() =>
        webhook.verify(changed, {
          'webhook-id': header('webhook-id'),
          'webhook-timestamp': header('webhook-timestamp'),
          'webhook-signature': header('webhook-signature'),
        }),
      );
    });

    test('hmac-sha256: the named header holds sha256=<hex> of the body, as the docs verify it', async () => {
      const id = await created({
        scheme: 'hmac-sha256',
        secret: '{{secret.HMAC_SIGNING}}',
        header: 'X-Orders-Signature',
      });
      await api.request('POST', `${base}/${id}/deploy`, { environment: 'development' });
      const before = target.requests.length;
      const invoke = await api.request('POST', `${base}/${id}/invoke`, {
        environment: 'development',
        body: { order: 'B-2' },
      });
      assert.equal(invoke.body.outcome, 'OK', invoke.text);
      const [request] = (await target.waitForRequests(before + 1)).slice(before);
      const value = request!.headers['x-orders-signature'];
      assert.match(String(value), /^sha256=[0-9a-f]{64}$/);
      assert.ok(verifyHmac(hmacSecret, value, request!.body));
      assert.ok(!verifyHmac(hmacSecret, value, Buffer.from('{"order":"B-3"}')));
    });
  });
}
