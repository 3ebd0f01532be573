import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mask, maskSecrets } from './mask-secrets.ts';

const withHeaders = (...headers: Array<[string, string]>) => ({
  name: 'CRM',
  environments: {
    production: {
      url: 'https://crm.example.com',
      headers: headers.map(([name, value]) => ({ name, value })),
    },
  },
});

const headersOf = (value: unknown) =>
  (value as ReturnType<typeof withHeaders>).environments.production.headers.map((h) => h.value);

describe('maskSecrets', () => {
  test('masks a literal Authorization value', () => {
    const masked = maskSecrets(withHeaders(['Authorization', 'Bearer sk_live_123']));
    assert.deepEqual(headersOf(masked), [mask]);
    assert.ok(!JSON.stringify(masked).includes('sk_live_123'));
  });

  test('masks credential headers whatever their case and however they are named', () => {
    const masked = maskSecrets(
      withHeaders(
        ['authorization', 'Basic dXNlcjpwYXNz'],
        ['X-API-KEY', 'k1'],
        ['Cookie', 'session=abc'],
        ['X-Access-Token', 't1'],
        ['X-Hub-Signature-256', 'sha256=00'],
      ),
    );
    assert.deepEqual(headersOf(masked), [mask, mask, mask, mask, mask]);
  });

  test('masks passwords, bare credential words and names written with underscores', () => {
    const names = [
      'Cookie',
      'Set-Cookie',
      'Proxy-Authorization',
      'X-Auth',
      'X-APIKEY',
      'x_api_key',
      'client_secret',
      'access_token',
      'Token',
      'Secret',
      'Key',
      'Signature',
      'Password',
      'X-Auth-Password',
      'Passwd',
      'X-Credentials',
      'X-Session-Id',
      'X-Amz-Security-Token',
      'Ocp-Apim-Subscription-Key',
      'PRIVATE-TOKEN',
    ];
    const masked = maskSecrets(withHeaders(...names.map((name): [string, string] => [name, 'v'])));
    assert.deepEqual(
      headersOf(masked).map((value, i) => `${names[i]}: ${value}`),
      names.map((name) => `${name}: ${mask}`),
    );
  });

  test('masks the before and after of a connection change alike', () => {
    const connection = (token: string) => ({
      name: 'CRM',
      environments: {
        production: {
          url: 'https://crm.example.com',
          headers: [
            { name: 'Authorization', value: `Bearer ${token}` },
            { name: 'X-Api-Key', value: `${token}-key` },
            { name: 'Cookie', value: `sid=${token}` },
            { name: 'X-Password', value: `${token}-pw` },
            { name: 'Accept', value: 'application/json' },
          ],
        },
        test: { url: 'https://crm.test', headers: [{ name: 'X-Vault-Token', value: token }] },
      },
    });
    const record = {
      before: maskSecrets(connection('old-0001')),
      after: maskSecrets(connection('new-0002')),
    };
    const text = JSON.stringify(record);
    assert.ok(!text.includes('old-0001') && !text.includes('new-0002'), text);
    assert.ok(text.includes('application/json'));
  });

  test('keeps a secret reference: it names the secret, it is not the secret', () => {
    const masked = maskSecrets(
      withHeaders(
        ['Authorization', 'Bearer {{secret.CRM_TOKEN}}'],
        ['X-Api-Key', '{{secret.CRM_KEY}}'],
        ['Authorization', '{{ secret.A }}'],
      ),
    );
    assert.deepEqual(headersOf(masked), [
      'Bearer {{secret.CRM_TOKEN}}',
      '{{secret.CRM_KEY}}',
      '{{ secret.A }}',
    ]);
  });

  test('masks a value that mixes a secret reference with a literal', () => {
    const masked = maskSecrets(
      withHeaders(
        ['Authorization', 'Bearer {{secret.A}} literal-part'],
        ['Authorization', 'Bearer {{var.TOKEN}}'],
        ['Authorization', 'Bearer {{secret.A'],
      ),
    );
    assert.deepEqual(headersOf(masked), [mask, mask, mask]);
  });

  test('masks letters glued to a secret reference: they may be part of a credential', () => {
    const masked = maskSecrets(
      withHeaders(
        ['X-Api-Key', 'LiteralKeyPart{{secret.A}}'],
        ['X-Api-Key', '{{secret.A}}LiteralKeyPart'],
        ['Authorization', '{{secret.A}} Bearer'],
      ),
    );
    assert.deepEqual(headersOf(masked), [mask, mask, mask]);
  });

  test('keeps non-sensitive headers and everything outside header lists', () => {
    const input = withHeaders(
      ['Content-Type', 'application/json'],
      ['X-Request-Id', 'req-1'],
      ['Idempotency-Key', '{{param.key}}'],
      ['idempotency_key', '{{param.key}}'],
      ['Accept', 'application/json'],
      ['User-Agent', 'hookline'],
      ['X-Access-Key-Id', 'AKIAEXAMPLE'],
    );
    const masked = maskSecrets(input);
    assert.deepEqual(masked, input);
  });

  test('masks header lists at any depth and in arrays, without changing the input', () => {
    const input = [{ steps: [{ headers: [{ name: 'Authorization', value: 'Bearer x' }] }] }];
    const masked = maskSecrets(input) as typeof input;
    assert.equal(masked[0]!.steps[0]!.headers[0]!.value, mask);
    assert.equal(input[0]!.steps[0]!.headers[0]!.value, 'Bearer x');
  });

  test('passes scalars, null and odd header shapes through', () => {
    assert.equal(maskSecrets(null), null);
    assert.equal(maskSecrets('Bearer x'), 'Bearer x');
    assert.equal(maskSecrets(3), 3);
    assert.deepEqual(maskSecrets({ headers: [null, 'x', { name: 'Authorization' }] }), {
      headers: [null, 'x', { name: 'Authorization' }],
    });
  });
});
