import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTemplate, replaceReferences } from './templates.ts';

const references = (text: string) => {
  const parsed = parseTemplate(text);
  assert.ok('references' in parsed, `${text}: ${'problem' in parsed ? parsed.problem : ''}`);
  return parsed.references.map((r) => `${r.namespace}:${r.name}:${r.raw}`);
};

const problem = (text: string) => {
  const parsed = parseTemplate(text);
  assert.ok('problem' in parsed, `${text} parsed without a problem`);
  return parsed.problem;
};

describe('parseTemplate', () => {
  test('finds no references in plain text', () => {
    assert.deepEqual(references('https://hooks.example.com/services/T000'), []);
    assert.deepEqual(references(''), []);
    assert.deepEqual(references('{ "json": {"nested": 1} }'), []);
  });

  test('reads var, secret and param references in order', () => {
    assert.deepEqual(references('https://{{var.HOST}}/orders/{{param.orderId}}?k={{secret.KEY}}'), [
      'var:HOST:{{var.HOST}}',
      'param:orderId:{{param.orderId}}',
      'secret:KEY:{{secret.KEY}}',
    ]);
  });

  test('allows spaces inside the braces and keeps the raw text', () => {
    assert.deepEqual(references('Bearer {{ secret.CRM_TOKEN }}'), [
      'secret:CRM_TOKEN:{{ secret.CRM_TOKEN }}',
    ]);
  });

  test('allows dots, dashes and digits after the first character of a name', () => {
    assert.deepEqual(references('{{var.region.eu-1}}'), ['var:region.eu-1:{{var.region.eu-1}}']);
    assert.deepEqual(references('{{param._id}}'), ['param:_id:{{param._id}}']);
  });

  test('refuses an unknown namespace, naming the reference', () => {
    assert.match(problem('{{env.HOME}}'), /\{\{env\.HOME\}\} is not a template reference/);
  });

  test('refuses a missing or badly started name', () => {
    assert.match(problem('{{secret.}}'), /not a template reference/);
    assert.match(problem('{{var.1abc}}'), /not a template reference/);
    assert.match(problem('{{}}'), /not a template reference/);
    assert.match(problem(`{{var.${'a'.repeat(101)}}}`), /not a template reference/);
  });

  test('refuses an unclosed {{ and a stray }}', () => {
    assert.match(problem('Bearer {{secret.TOKEN'), /'\{\{' is not closed/);
    assert.match(problem('value }} here'), /'\}\}' without a matching '\{\{'/);
    assert.match(problem('}} {{var.A}}'), /'\}\}' without a matching/);
    assert.match(problem('{{var.A}} }}'), /'\}\}' without a matching/);
  });

  test('refuses a reference nested in another', () => {
    assert.ok(problem('{{var.{{secret.X}}}}'));
  });
});

describe('replaceReferences', () => {
  test('replaces every reference with the stand-in', () => {
    assert.equal(replaceReferences('https://{{var.HOST}}/a/{{ param.id }}', 'x'), 'https://x/a/x');
  });
});
