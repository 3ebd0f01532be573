import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { TemplateUnresolvedError } from '../render/template-unresolved-error.ts';
import { createStandardWebhooksSigner, decodeStandardWebhooksSecret } from './standard-webhooks.ts';

const key = randomBytes(24);
const secret = `whsec_${key.toString('base64')}`;
/** a body that parsing and re-stringifying would change, with non-ASCII text */
const trickyBody = Buffer.from(
  '{"n":1e400,"id":12345678901234567890,"dup":1,"dup":2,"text":"Grüße 東京 🚀"}',
  'utf8',
);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function headersOf(pairs: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(pairs);
}

function refusal(run: () => unknown): TemplateUnresolvedError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TemplateUnresolvedError, `threw ${String(error)}`);
    return error;
  }
  assert.fail('accepted the secret');
}

describe('standard-webhooks signer', () => {
  const signer = createStandardWebhooksSigner(secret, 'secret.WEBHOOK_KEY');

  test('signs the exact bytes so the official standardwebhooks package verifies them', () => {
    const headers = signer.sign({
      messageId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      timestampSeconds: nowSeconds(),
      body: trickyBody,
    });
    assert.deepEqual(
      headers.map(([name]) => name),
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
    );
    assert.match(headers[2]![1], /^v1,[A-Za-z0-9+/]{43}=$/);
    const verified = new Webhook(secret).verify(trickyBody, headersOf(headers), {
      jsonParse: false,
    });
    assert.equal(verified, undefined);
  });

  test('fails verification when one byte of the body changes after signing', () => {
    const headers = signer.sign({
      messageId: 'msg_1',
      timestampSeconds: nowSeconds(),
      body: trickyBody,
    });
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(trickyBody.toString('utf8'))));
    assert.throws(
      () => new Webhook(secret).verify(reserialized, headersOf(headers)),
      /No matching signature/,
    );
  });

  test('signs a request without a body over an empty payload', () => {
    const headers = signer.sign({
      messageId: 'msg_2',
      timestampSeconds: nowSeconds(),
      body: undefined,
    });
    assert.equal(new Webhook(secret).verify('', headersOf(headers)), undefined);
  });

  test('gives the same signature for the same id, time and body (a retry re-signs alike)', () => {
    const input = { messageId: 'msg_3', timestampSeconds: 1_700_000_000, body: trickyBody };
    assert.deepEqual(signer.sign(input), signer.sign(input));
    assert.equal(
      signer.sign(input)[2]![1],
      new Webhook(secret).sign('msg_3', new Date(1_700_000_000_000), trickyBody),
    );
  });

  test('refuses a message id that could split a header, and a timestamp that is not whole seconds', () => {
    assert.throws(
      () => signer.sign({ messageId: 'a\r\nb', timestampSeconds: 1, body: undefined }),
      TypeError,
    );
    assert.throws(
      () => signer.sign({ messageId: 'msg', timestampSeconds: 1.5, body: undefined }),
      TypeError,
    );
  });
});

describe('decodeStandardWebhooksSecret', () => {
  test('decodes whsec_ + base64, with or without the prefix and a trailing newline', () => {
    assert.ok(decodeStandardWebhooksSecret(secret, 'secret.K').equals(key));
    assert.ok(decodeStandardWebhooksSecret(key.toString('base64'), 'secret.K').equals(key));
    assert.ok(decodeStandardWebhooksSecret(`${secret}\n`, 'secret.K').equals(key));
  });

  test('refuses a secret that is not base64, naming the reference but never the value', () => {
    for (const bad of ['whsec_', 'whsec_not base64!', 'whsec_abc', 'hunter2-plain-password']) {
      const error = refusal(() => decodeStandardWebhooksSecret(bad, 'secret.WEBHOOK_KEY'));
      assert.equal(error.code, 'TEMPLATE_UNRESOLVED');
      assert.equal(error.refused[0]?.reference, 'secret.WEBHOOK_KEY');
      assert.match(error.message, /secret\.WEBHOOK_KEY .*whsec_ followed by base64/);
      if (bad.length > 6) assert.ok(!error.message.includes(bad.slice(6)), error.message);
    }
  });

  test('refuses a key shorter than 16 bytes', () => {
    const short = `whsec_${randomBytes(15).toString('base64')}`;
    const error = refusal(() => decodeStandardWebhooksSecret(short, 'secret.K'));
    assert.match(error.message, /15 bytes; it must be at least 16/);
    assert.equal(
      decodeStandardWebhooksSecret(`whsec_${randomBytes(16).toString('base64')}`, 'secret.K')
        .length,
      16,
    );
  });
});
