import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileTemplate, type TemplateProblems, type TemplateValues } from './compile-template.ts';
import { TemplateUnresolvedError } from './template-unresolved-error.ts';

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

describe('compileTemplate', () => {
  test('renders a text without references as it is', () => {
    const template = compileTemplate('https://hooks.example.com/services/T000');
    assert.equal(template.render(valuesOf({})), 'https://hooks.example.com/services/T000');
    assert.deepEqual(template.references, []);
  });

  test('substitutes var, secret and param references, with or without spaces in the braces', () => {
    const template = compileTemplate(
      'Bearer {{secret.TOKEN}} for {{ var.TEAM }} / {{  param.orderId  }} / {{var.TEAM}}',
    );
    const values = valuesOf({
      var: { TEAM: 'ops' },
      secret: { TOKEN: 's3cr3t' },
      param: { orderId: '42' },
    });
    assert.equal(template.render(values), 'Bearer s3cr3t for ops / 42 / ops');
    assert.deepEqual(
      template.references.map((r) => `${r.namespace}.${r.name}`),
      ['secret.TOKEN', 'var.TEAM', 'param.orderId', 'var.TEAM'],
    );
  });

  test('names every missing reference at once, each once, in order of first use', () => {
    const template = compileTemplate(
      'https://{{var.HOST}}/o/{{param.orderId}}?k={{secret.API_KEY}}&again={{param.orderId}}',
    );
    const error = renderError(() => template.render(valuesOf({ var: { HOST: 'a.example' } })));
    assert.equal(error.code, 'TEMPLATE_UNRESOLVED');
    assert.deepEqual(error.missing, ['param.orderId', 'secret.API_KEY']);
    assert.match(error.message, /param\.orderId, secret\.API_KEY/);
  });

  test('never puts a value in the error message', () => {
    const template = compileTemplate('{{secret.PRESENT}}-{{secret.ABSENT}}\t{{param.p}}');
    const error = renderError(() =>
      template.render(valuesOf({ secret: { PRESENT: 'hunter2-value' }, param: { p: 'a\nb' } }), {
        headerValue: true,
      }),
    );
    assert.doesNotMatch(error.message, /hunter2/);
    assert.doesNotMatch(error.message, /a\nb/);
    assert.deepEqual(error.missing, ['secret.ABSENT']);
    assert.deepEqual(
      error.refused.map((r) => r.reference),
      ['param.p'],
    );
  });

  test('gathers problems in a collector instead of throwing', () => {
    const problems: TemplateProblems = { missing: [], refused: [] };
    const out = compileTemplate('{{var.A}}/{{var.B}}').render(valuesOf({ var: { A: 'x' } }), {
      problems,
    });
    assert.equal(typeof out, 'string');
    assert.deepEqual(problems, { missing: ['var.B'], refused: [] });
  });

  test('refuses a template with broken syntax when compiling', () => {
    assert.throws(() => compileTemplate('https://x/{{param.a'), /not a valid template/);
    assert.throws(() => compileTemplate('{{vars.A}}'), /not a valid template/);
  });
});

describe('compileTemplate in a URL (encodeParams)', () => {
  const url = { encodeParams: true } as const;

  test('encodes a param in a path segment with encodeURIComponent', () => {
    const template = compileTemplate('https://api.example.com/orders/{{param.id}}/items');
    const rendered = template.render(valuesOf({ param: { id: 'a/b c?d#e&f=g%h' } }), url);
    assert.equal(rendered, 'https://api.example.com/orders/a%2Fb%20c%3Fd%23e%26f%3Dg%25h/items');
    assert.equal(new URL(rendered).pathname, '/orders/a%2Fb%20c%3Fd%23e%26f%3Dg%25h/items');
  });

  test('encodes a param in the query, so it cannot add parameters', () => {
    const template = compileTemplate('https://api.example.com/search?q={{ param.q }}&limit=5');
    const rendered = template.render(valuesOf({ param: { q: 'ä&limit=1000#x' } }), url);
    assert.equal(rendered, 'https://api.example.com/search?q=%C3%A4%26limit%3D1000%23x&limit=5');
    assert.deepEqual(new URL(rendered).searchParams.getAll('limit'), ['5']);
    assert.equal(new URL(rendered).searchParams.get('q'), 'ä&limit=1000#x');
  });

  test('inserts vars and secrets as written (a host, several path segments)', () => {
    const template = compileTemplate(
      'https://{{var.HOST}}/services/{{secret.SLACK_PATH}}?env={{var.ENV}}',
    );
    const rendered = template.render(
      valuesOf({
        var: { HOST: 'hooks.example.com:8443', ENV: 'prod' },
        secret: { SLACK_PATH: 'T000/B000/XXXX' },
      }),
      url,
    );
    assert.equal(rendered, 'https://hooks.example.com:8443/services/T000/B000/XXXX?env=prod');
  });

  test('leaves a param verbatim outside a URL', () => {
    const template = compileTemplate('order {{param.id}}');
    assert.equal(template.render(valuesOf({ param: { id: 'a/b c' } })), 'order a/b c');
  });

  test("refuses a param that would be a whole '.' or '..' path segment", () => {
    const template = compileTemplate('https://api.example.com/users/{{param.id}}/delete');
    for (const id of ['..', '.']) {
      const error = renderError(() => template.render(valuesOf({ param: { id } }), url));
      assert.deepEqual(error.missing, []);
      assert.equal(error.refused[0]?.reference, 'param.id');
      assert.match(error.message, /path segment may not be/);
    }
    // what a dot segment would have done: escaped the /users/ prefix
    assert.equal(new URL('https://api.example.com/users/../delete').pathname, '/delete');
  });

  test('accepts dots in a param that is not a whole path segment, or is in the query', () => {
    const values = valuesOf({ param: { name: '..', v: '..' } });
    assert.equal(
      compileTemplate('https://x.example/files/{{param.name}}.json?up={{param.v}}').render(
        values,
        url,
      ),
      'https://x.example/files/...json?up=..',
    );
    assert.equal(
      compileTemplate('https://x.example/f?a=/{{param.v}}/').render(values, url),
      'https://x.example/f?a=/../',
    );
  });

  test('refuses a param with a lone surrogate (encodeURIComponent would throw)', () => {
    const template = compileTemplate('https://x.example/{{param.id}}');
    const error = renderError(() => template.render(valuesOf({ param: { id: 'a\uD800' } }), url));
    assert.match(error.refused[0]?.reason ?? '', /Unicode/);
  });
});

describe('compileTemplate in a header value (headerValue)', () => {
  test('refuses values with CR, LF or NUL from any namespace, naming each', () => {
    const template = compileTemplate('{{secret.A}} {{var.B}} {{param.C}} {{param.OK}}');
    const error = renderError(() =>
      template.render(
        valuesOf({
          secret: { A: 'token\n' },
          var: { B: 'x\r\nInjected: 1' },
          param: { C: 'nul\0', OK: 'fine' },
        }),
        { headerValue: true },
      ),
    );
    assert.deepEqual(
      error.refused.map((r) => r.reference),
      ['secret.A', 'var.B', 'param.C'],
    );
    assert.doesNotMatch(error.message, /Injected|token/);
  });

  test('refuses what RFC 9110 refuses in a header value: controls, DEL, U+2028, above U+00FF', () => {
    const template = compileTemplate('x-{{param.v}}');
    for (const bad of ['\u000b', '\u0001', '\u007f', '\u2028', '\u0100', '東', '🚀', '\u001f']) {
      const error = renderError(() =>
        template.render(valuesOf({ param: { v: `a${bad}b` } }), { headerValue: true }),
      );
      assert.match(error.refused[0]?.reason ?? '', /RFC 9110/, JSON.stringify(bad));
    }
    // visible ASCII, space, tab and obs-text (Latin-1) are fine
    const fine = 'A z~!\t\u0080é\u00ff';
    assert.equal(
      template.render(valuesOf({ param: { v: fine } }), { headerValue: true }),
      `x-${fine}`,
    );
  });

  test('renders a header value with substituted values', () => {
    const template = compileTemplate('Bearer {{ secret.CRM_TOKEN }}');
    assert.equal(
      template.render(valuesOf({ secret: { CRM_TOKEN: 'abc.def' } }), { headerValue: true }),
      'Bearer abc.def',
    );
  });
});
