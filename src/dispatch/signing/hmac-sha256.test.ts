import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { TemplateUnresolvedError } from '../render/template-unresolved-error.ts';
import { createHmacSha256Signer } from './hmac-sha256.ts';

const trickyBody = Buffer.from(
  '{"n":1e400,"id":12345678901234567890,"dup":1,"dup":2,"text":"Grüße 東京 🚀"}',
  'utf8',
);
const input = (body: Buffer | undefined) => ({ messageId: 'msg_1', timestampSeconds: 1, body });

describe('hmac-sha256 signer', () => {
  test('sends sha256=<hex HMAC of the body bytes> in the configured header', () => {
    const secret = 'It’s a Secret to Everybody';
    const signer = createHmacSha256Signer(secret, 'X-Hub-Signature-256', 'secret.GH');
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(trickyBody)
      .digest('hex');
    assert.deepEqual(signer.sign(input(trickyBody)), [
      ['X-Hub-Signature-256', `sha256=${expected}`],
    ]);
  });

  test("matches GitHub's documented example", () => {
    // docs.github.com "Validating webhook deliveries": secret, payload and signature
    const signer = createHmacSha256Signer(
      "It's a Secret to Everybody",
      'X-Signature-256',
      'secret.GH',
    );
    assert.deepEqual(signer.sign(input(Buffer.from('Hello, World!'))), [
      [
        'X-Signature-256',
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      ],
    ]);
  });

  test('changes when the body is re-serialized, and signs an absent body as empty', () => {
    const signer = createHmacSha256Signer('k', 'X-Signature-256', 'secret.GH');
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(trickyBody.toString('utf8'))));
    assert.notDeepEqual(signer.sign(input(trickyBody)), signer.sign(input(reserialized)));
    assert.deepEqual(signer.sign(input(undefined)), signer.sign(input(Buffer.alloc(0))));
  });

  test('refuses an empty secret, naming the reference', () => {
    assert.throws(
      () => createHmacSha256Signer('', 'X-Signature-256', 'secret.GH'),
      (error: unknown) =>
        error instanceof TemplateUnresolvedError &&
        error.refused[0]?.reference === 'secret.GH' &&
        /must not be empty/.test(error.message),
    );
  });
});
