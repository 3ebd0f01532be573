import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { signing } from '../../contracts/connections.ts';
import { TemplateUnresolvedError } from '../render/template-unresolved-error.ts';
import { createMessageId, createSigner } from './create-signer.ts';

const body = Buffer.from('{"amount":12345678901234567890}');

describe('createSigner', () => {
  test('answers null for scheme none', () => {
    assert.equal(createSigner(signing.parse({ scheme: 'none' }), 'unused'), null);
  });

  test('makes a standard-webhooks signer the official package verifies', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const settings = signing.parse({ scheme: 'standard-webhooks', secret: '{{secret.HOOK}}' });
    const signer = createSigner(settings, secret);
    assert.equal(signer?.scheme, 'standard-webhooks');
    const headers = signer!.sign({
      messageId: createMessageId(),
      timestampSeconds: Math.floor(Date.now() / 1000),
      body,
    });
    assert.doesNotThrow(() => new Webhook(secret).verify(body, Object.fromEntries(headers)));
  });

  test('makes an hmac-sha256 signer with the default header X-Signature-256', () => {
    const settings = signing.parse({ scheme: 'hmac-sha256', secret: '{{secret.GH}}' });
    const signer = createSigner(settings, 'shh');
    const hex = createHmac('sha256', 'shh').update(body).digest('hex');
    assert.deepEqual(signer?.sign({ messageId: 'm', timestampSeconds: 0, body }), [
      ['X-Signature-256', `sha256=${hex}`],
    ]);
  });

  test('names the secret reference of the settings when the secret is unusable', () => {
    const settings = signing.parse({
      scheme: 'standard-webhooks',
      secret: '{{ secret.HOOK_KEY }}',
    });
    assert.throws(
      () => createSigner(settings, 'plain-password'),
      (error: unknown) =>
        error instanceof TemplateUnresolvedError &&
        error.code === 'TEMPLATE_UNRESOLVED' &&
        error.refused[0]?.reference === 'secret.HOOK_KEY' &&
        !error.message.includes('plain-password'),
    );
  });
});

describe('createMessageId', () => {
  test('makes msg_ ids, unique across many calls', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => createMessageId()));
    assert.equal(ids.size, 10_000);
    for (const id of [...ids].slice(0, 10)) assert.match(id, /^msg_[0-9a-z]{26}$/);
  });
});
