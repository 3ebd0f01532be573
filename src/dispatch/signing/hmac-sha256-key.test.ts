import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createHmacSha256Key } from './hmac-sha256-key.ts';

const reference = (
  key: Buffer,
  prefix: string,
  body: Buffer | undefined,
  encoding: 'hex' | 'base64',
) => {
  const hmac = createHmac('sha256', key).update(prefix, 'utf8');
  if (body) hmac.update(body);
  return hmac.digest(encoding);
};

test('equals createHmac for keys shorter than, equal to and longer than a block', () => {
  for (const keyLength of [1, 16, 24, 63, 64, 65, 200]) {
    const key = randomBytes(keyLength);
    const hmac = createHmacSha256Key(key);
    for (const bodyLength of [0, 1, 120, 4096]) {
      const body = randomBytes(bodyLength);
      const prefix = `msg_${keyLength}.${bodyLength}.`;
      for (const encoding of ['hex', 'base64'] as const) {
        assert.equal(
          hmac.digest(prefix, body, encoding),
          reference(key, prefix, body, encoding),
          `key ${keyLength} B, body ${bodyLength} B, ${encoding}`,
        );
      }
    }
  }
});

test('equals createHmac without a body, for a large body, and for a non-ASCII prefix', () => {
  const key = randomBytes(32);
  const hmac = createHmacSha256Key(key);
  assert.equal(
    hmac.digest('id.1.', undefined, 'base64'),
    reference(key, 'id.1.', undefined, 'base64'),
  );
  assert.equal(hmac.digest('', undefined, 'hex'), reference(key, '', undefined, 'hex'));
  const large = randomBytes(100_000);
  assert.equal(hmac.digest('id.2.', large, 'hex'), reference(key, 'id.2.', large, 'hex'));
  assert.equal(
    hmac.digest('ïd.3.', large.subarray(0, 10), 'hex'),
    reference(key, 'ïd.3.', large.subarray(0, 10), 'hex'),
  );
});

test('a message is not affected by the one signed before it (the buffers are reused)', () => {
  const key = randomBytes(24);
  const hmac = createHmacSha256Key(key);
  const long = Buffer.alloc(3000, 7);
  const short = Buffer.from('{}');
  hmac.digest('a.', long, 'hex');
  assert.equal(hmac.digest('b.', short, 'hex'), reference(key, 'b.', short, 'hex'));
});
