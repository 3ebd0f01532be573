import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSecretMarker } from './secret-marker.ts';
import { describeSentRequest } from './sent-request.ts';

const secrets = new Map([
  ['short', 'abcdefgh12'],
  ['long', 'abcdefgh12-and-more'],
]);
const marker = createSecretMarker(secrets, (name) => `{{secret.${name}}}`);

test('the marker names the secret of each occurrence, the longer one first, in its encoded forms too', () => {
  assert.ok(marker);
  assert.equal(
    marker.maskByteString('a=abcdefgh12-and-more b=abcdefgh12 c=abcdefgh12%2Dand%2Dmore'),
    'a={{secret.long}} b={{secret.short}} c={{secret.long}}',
  );
  // a secret cut at the excerpt's edge is marked whole, never shown by its first characters
  assert.equal(
    marker.maskBytes(Buffer.from('xx abcdefgh12-and-more yy'), 5).toString(),
    'xx {{secret.long}}',
  );
});

test('a recorded request: secrets as references, credential headers of literals masked, signing headers kept', () => {
  const request = describeSentRequest(
    {
      method: 'POST',
      url: 'https://t.test/h?k=abcdefgh12',
      headers: [
        'Authorization',
        'Bearer abcdefgh12',
        'X-Session',
        'literal',
        'X-Basic-Token',
        `Basic ${Buffer.from('user:abcdefgh12').toString('base64')}`,
        'webhook-signature',
        'v1,abc',
        'Content-Type',
        'application/json',
      ],
      body: Buffer.from(`{"v":"abcdefgh12","pad":"${'x'.repeat(40)}"}`),
    },
    { marker, signingHeaderNames: new Set(['webhook-signature']), excerptBytes: 20 },
  );
  assert.deepEqual(request, {
    method: 'POST',
    url: 'https://t.test/h?k={{secret.short}}',
    headers: {
      Authorization: 'Bearer {{secret.short}}',
      'X-Session': '****',
      // the base64 form is found, but what is left of the Basic credential is no reference
      'X-Basic-Token': '****',
      'webhook-signature': 'v1,abc',
      'Content-Type': 'application/json',
    },
    body: '{"v":"{{secret.short}}","p',
    bodyEncoding: 'utf8',
    truncated: true,
  });
});
