import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { environmentParams } from '../../contracts/connections.ts';
import { compileRequest, secretReferencesInBody } from './compile-request.ts';
import type { TemplateValues } from './compile-template.ts';
import { InvalidRequestError } from './invalid-request-error.ts';
import { TemplateUnresolvedError } from './template-unresolved-error.ts';

/** Parameters as the API stores them: through the contract, so the shapes are real. */
function paramsOf(url: string, headers: Array<{ name: string; value: string }> = []) {
  return environmentParams.parse({ method: 'POST', url, headers });
}

function valuesOf(given: {
  var?: Record<string, string>;
  secret?: Record<string, string>;
  param?: Record<string, string>;
}): TemplateValues {
  return {
    variable: (name) => given.var?.[name],
    secret: (name) => given.secret?.[name],
    param: (name) => given.param?.[name],
  };
}

function renderError(run: () => unknown): TemplateUnresolvedError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TemplateUnresolvedError, `threw ${String(error)}`);
    return error;
  }
  assert.fail('rendered without an error');
}

function invalidError(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InvalidRequestError, `threw ${String(error)}`);
    return error;
  }
  assert.fail('rendered without an error');
}

const noValues = valuesOf({});

describe('compileRequest: URL and headers', () => {
  const request = compileRequest(
    paramsOf('https://{{var.HOST}}/v1/orders/{{param.orderId}}?tenant={{var.TENANT}}', [
      { name: 'Authorization', value: 'Bearer {{secret.API_KEY}}' },
      { name: 'X-Order', value: '{{ param.orderId }}' },
      { name: 'Accept', value: 'application/json' },
    ]),
  );
  const values = valuesOf({
    var: { HOST: 'crm.example.com', TENANT: 'acme' },
    secret: { API_KEY: 'k-123' },
    param: { orderId: 'A/7 "x"' },
  });

  test('renders the URL with encoded params and headers in configured order', () => {
    const rendered = request.render(values, undefined);
    assert.equal(rendered.url, 'https://crm.example.com/v1/orders/A%2F7%20%22x%22?tenant=acme');
    assert.deepEqual(rendered.headers, [
      ['Authorization', 'Bearer k-123'],
      ['X-Order', 'A/7 "x"'],
      ['Accept', 'application/json'],
    ]);
    assert.equal(rendered.body, undefined);
  });

  test('lists the references of URL and headers, each once', () => {
    assert.deepEqual(request.references(), {
      var: ['HOST', 'TENANT'],
      secret: ['API_KEY'],
      param: ['orderId'],
    });
    // a copy: the engine may keep or change it
    request.references().var.push('X');
    assert.deepEqual(request.references().var, ['HOST', 'TENANT']);
  });

  test('names every missing reference of URL, headers and body in one error', () => {
    const error = renderError(() =>
      request.render(valuesOf({ var: { HOST: 'crm.example.com' } }), {
        note: '{{param.note}}',
        again: '{{secret.API_KEY}}',
      }),
    );
    assert.deepEqual(error.missing, [
      'param.orderId',
      'var.TENANT',
      'secret.API_KEY',
      'param.note',
    ]);
    assert.match(error.message, /param\.orderId, var\.TENANT, secret\.API_KEY, param\.note/);
  });

  test('refuses a header value that a substituted line break would split: INVALID_REQUEST naming the header', () => {
    const error = invalidError(() =>
      request.render(
        valuesOf({
          var: { HOST: 'crm.example.com', TENANT: 'acme' },
          secret: { API_KEY: 'k-123\r\nX-Injected: yes' },
          param: { orderId: '1' },
        }),
        undefined,
      ),
    );
    assert.equal(error.code, 'INVALID_REQUEST');
    assert.deepEqual(error.refused, [
      {
        reference: 'secret.API_KEY',
        reason:
          'a header value may only hold visible ASCII, space, tab and Latin-1 characters (RFC 9110)',
        at: "header 'Authorization'",
      },
    ]);
    assert.match(error.hint, /secret\.API_KEY.*header 'Authorization'/);
    assert.doesNotMatch(error.message + error.hint, /Injected|k-123/);
  });

  test('a missing reference is still TEMPLATE_UNRESOLVED when a value is refused too', () => {
    const error = renderError(() =>
      request.render(
        valuesOf({ secret: { API_KEY: 'a\u000bb' }, param: { orderId: '1' } }),
        undefined,
      ),
    );
    assert.deepEqual(error.missing, ['var.HOST', 'var.TENANT']);
    assert.equal(error.refused[0]?.reference, 'secret.API_KEY');
  });
});

describe('compileRequest: the dot-segment guard on the rendered path', () => {
  const render = (url: string, param: Record<string, string>) =>
    compileRequest(paramsOf(url)).render(valuesOf({ param }), undefined).url;

  test('refuses params that form a dot segment together, naming the path and its params', () => {
    const error = invalidError(() =>
      render('https://x.example/base/{{param.a}}.{{param.b}}/tail', { a: '.', b: '' }),
    );
    assert.deepEqual(
      error.refused.map((r) => [r.reference, r.at]),
      [
        ['param.a', 'the URL path'],
        ['param.b', 'the URL path'],
      ],
    );
    assert.match(error.hint, /param\.a, param\.b/);
    // what the parser would have done with it
    assert.equal(new URL('https://x.example/base/../tail').pathname, '/tail');
  });

  test("refuses a whole '.' or '..' param, and dots made with %2e or a backslash", () => {
    for (const [url, param] of [
      ['https://x.example/users/{{param.id}}/delete', { id: '..' }],
      ['https://x.example/users/{{param.id}}/delete', { id: '.' }],
      ['https://x.example/a/{{param.p}}%2e/b', { p: '.' }],
      ['https://x.example/a/{{param.p}}%2E%2e/b', { p: '' }],
      ['https://x.example/a\\{{param.p}}./b', { p: '.' }],
    ] as const) {
      const error = invalidError(() => render(url, param));
      assert.equal(error.refused[0]?.at, 'the URL path', url);
    }
  });

  test('allows dots that make no segment of their own, dots in the query, and the template own', () => {
    assert.equal(
      render('https://x.example/files/{{param.name}}.json?up={{param.v}}', { name: '..', v: '..' }),
      'https://x.example/files/...json?up=..',
    );
    assert.equal(
      render('https://x.example/f/{{param.a}}.{{param.b}}/t', { a: 'v1', b: '2' }),
      'https://x.example/f/v1.2/t',
    );
    assert.equal(
      render('https://x.example/f/{{param.a}}/x#/../{{param.b}}', { a: 'a.b', b: '..' }),
      'https://x.example/f/a.b/x#/../..',
    );
    // a dot segment written in the configuration is the configuration's
    assert.equal(
      render('https://x.example/a/./b/{{param.id}}', { id: '1.0' }),
      'https://x.example/a/./b/1.0',
    );
  });
});

describe('compileRequest: body', () => {
  const request = compileRequest(paramsOf('https://example.com/hook'));
  const render = (body: unknown, values: TemplateValues = noValues) =>
    request.render(values, body).body;

  test('sends a string body byte for byte: 1e400, big integers and duplicate keys survive', () => {
    const text = '{"n":1e400,"id":12345678901234567890,"a":1,"a":2,"f":1.10,"s":"\\u00e9"}';
    const body = render(text);
    assert.ok(body);
    assert.ok(body.equals(Buffer.from(text, 'utf8')));
    // what parsing and stringifying would have sent instead
    assert.notEqual(JSON.stringify(JSON.parse(text)), text);
  });

  test('substitutes well-formed references in a string body and leaves other braces alone', () => {
    const text = '{"a":{"b":{}}} {{not a ref}} {{{param.x}}} {{ var.V }} }} {{';
    const body = render(text, valuesOf({ param: { x: '"1"' }, var: { V: 'v' } }));
    assert.equal(body?.toString('utf8'), '{"a":{"b":{}}} {{not a ref}} {"1"} v }} {{');
  });

  test('keeps non-ASCII text as UTF-8', () => {
    const text = 'Grüße, 東京 🚀 {{param.who}}';
    const body = render(text, valuesOf({ param: { who: 'Zoë' } }));
    assert.ok(body?.equals(Buffer.from('Grüße, 東京 🚀 Zoë', 'utf8')));
  });

  test('stringifies a JSON value once, exactly as JSON.stringify does when it has no reference', () => {
    const value = { text: 'plain', list: [1, 2.5, true, null], nested: { 'k{{': '}}' } };
    assert.equal(render(value)?.toString('utf8'), JSON.stringify(value));
    assert.equal(render(42)?.toString('utf8'), '42');
    assert.equal(render(null)?.toString('utf8'), 'null');
    assert.equal(render([])?.toString('utf8'), '[]');
  });

  test('substitutes inside JSON string values, JSON-escaped, so quotes and newlines cannot inject', () => {
    const hostile = 'He said "hi"\n\t\\ </script> ", "admin": true, "x": "';
    const body = render(
      {
        message: 'note: {{param.note}}',
        list: ['{{ param.note }}', 7],
        '{{param.note}}': 'keys are not templates',
      },
      valuesOf({ param: { note: hostile } }),
    );
    const parsed = JSON.parse(body?.toString('utf8') ?? '');
    assert.deepEqual(parsed, {
      message: `note: ${hostile}`,
      list: [hostile, 7],
      '{{param.note}}': 'keys are not templates',
    });
    assert.equal(Object.hasOwn(parsed, 'admin'), false);
  });

  test('sends a Buffer or Uint8Array body as it is, without templates', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x7b, 0x7b]);
    assert.equal(render(bytes), bytes);
    const view = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    assert.deepEqual([...(render(view) ?? [])], [2, 3]);
  });

  test('refuses a body that is not a JSON value with a TypeError', () => {
    assert.throws(() => render(() => 1), TypeError);
    assert.throws(() => render({ n: 1n }), TypeError);
  });

  test('refuses secrets in the body when compiled with secretsInBody: false', () => {
    const strict = compileRequest(paramsOf('https://example.com/hook'), { secretsInBody: false });
    const error = renderError(() =>
      strict.render(valuesOf({ secret: { K: 'v' } }), { leak: '{{secret.K}}' }),
    );
    assert.deepEqual(error.refused, [
      { reference: 'secret.K', reason: "secrets are not substituted in a call's body" },
    ]);
    assert.equal(
      request.render(valuesOf({ secret: { K: 'v' } }), '{{secret.K}}').body?.toString(),
      'v',
    );
  });

  test('scans a large body full of braces in linear time', { timeout: 10_000 }, () => {
    const text = '{{'.repeat(500_000) + 'x'.repeat(300) + '}}'.repeat(500_000);
    const started = performance.now();
    const body = render(text);
    assert.equal(body?.length, text.length);
    assert.ok(performance.now() - started < 5_000);
  });
});

describe('secretReferencesInBody', () => {
  test("names every secret a caller's body refers to, in text and in JSON string values", () => {
    assert.deepEqual(secretReferencesInBody('{"a":"{{secret.KEY}}","b":"{{ secret.KEY }}"}'), [
      'KEY',
    ]);
    assert.deepEqual(
      secretReferencesInBody({ a: [{ b: 'x {{secret.ONE}} y' }], c: '{{param.p}}{{secret.TWO}}' }),
      ['ONE', 'TWO'],
    );
  });

  test('finds nothing in params, variables, keys, other text, or no body', () => {
    for (const body of [
      undefined,
      null,
      42,
      '{{param.p}} and {{var.v}}',
      { '{{secret.KEY}}': 'a key is not rendered' },
      '{{secret}} {{secret.}} {secret.KEY}',
      Buffer.from('{{secret.KEY}}'),
    ]) {
      assert.deepEqual(secretReferencesInBody(body), [], JSON.stringify(body));
    }
  });
});
