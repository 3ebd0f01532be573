import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TemplateUnresolvedError } from './template-unresolved-error.ts';

test('carries code TEMPLATE_UNRESOLVED and names every missing and refused reference', () => {
  const error = new TemplateUnresolvedError(
    ['secret.API_KEY', 'param.orderId'],
    [{ reference: 'var.HOST', reason: 'a header value may not contain CR, LF or NUL' }],
  );
  assert.ok(error instanceof Error);
  assert.equal(error.code, 'TEMPLATE_UNRESOLVED');
  assert.equal(error.name, 'TemplateUnresolvedError');
  assert.deepEqual(error.missing, ['secret.API_KEY', 'param.orderId']);
  assert.equal(
    error.message,
    'template references unresolved: no value for secret.API_KEY, param.orderId; ' +
      'cannot use var.HOST (a header value may not contain CR, LF or NUL)',
  );
});

test('keeps a long list readable by cutting the names shown past 20', () => {
  const names = Array.from({ length: 25 }, (_, i) => `param.p${i}`);
  const error = new TemplateUnresolvedError(names);
  assert.equal(error.missing.length, 25);
  assert.match(error.message, /param\.p19 and 5 more$/);
  assert.doesNotMatch(error.message, /param\.p20/);
});
