import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
// The drift test needs the OpenAPI document the app generates; core itself imports nothing of
// ours, so it is reached through the test helper rather than src/api.
import { buildOpenApiDocument } from '../../test/helpers/openapi-document.ts';
import {
  AppError,
  errorCatalog,
  errorCodes,
  formatPath,
  notFound,
  validationFailed,
} from './errors.ts';

interface DocRow {
  code: string;
  status: number;
  meaning: string;
  fix: string;
}

/** The rows of the `| Code | HTTP | Meaning | How to fix |` table in docs/reference/errors.md. */
function readDocumentedErrors(): DocRow[] {
  const text = readFileSync(new URL('../../docs/reference/errors.md', import.meta.url), 'utf8');
  const lines = text.split('\n').filter((line) => line.startsWith('|'));
  const header = lines[0]?.split('|').map((cell) => cell.trim());
  assert.deepEqual(header, ['', 'Code', 'HTTP', 'Meaning', 'How to fix', ''], 'table header');
  return lines.slice(2).map((line) => {
    const [, code = '', status = '', meaning = '', fix = ''] = line.split('|').map((c) => c.trim());
    return { code, status: Number(status), meaning, fix };
  });
}

describe('error catalog', () => {
  test('gives every code a 4xx or 5xx status and a message', () => {
    for (const code of errorCodes) {
      const { status, message } = errorCatalog[code];
      assert.ok(status >= 400 && status <= 599, code);
      assert.ok(message.length > 0, code);
      assert.match(code, /^[A-Z][A-Z0-9_]*$/);
    }
  });

  test('is documented in docs/reference/errors.md: same codes, same HTTP status, no extras', () => {
    const rows = readDocumentedErrors();
    const documented = rows.map((row) => row.code);
    assert.equal(new Set(documented).size, documented.length, 'a code is documented twice');
    assert.deepEqual(
      errorCodes.filter((code) => !documented.includes(code)),
      [],
      'codes missing from the docs',
    );
    assert.deepEqual(
      documented.filter((code) => !(errorCodes as string[]).includes(code)),
      [],
      'documented codes that are not in the catalog',
    );
    for (const row of rows) {
      const entry = errorCatalog[row.code as keyof typeof errorCatalog];
      assert.equal(row.status, entry.status, `${row.code}: HTTP status in the docs`);
      assert.ok(row.meaning.length > 0 && row.fix.length > 0, `${row.code}: meaning and fix`);
    }
  });

  test('is the code enum of the OpenAPI Error schema', async () => {
    const document = (await buildOpenApiDocument()) as {
      components: { schemas: Record<string, any> };
    };
    const errorSchemas = Object.entries(document.components.schemas).filter(([name]) =>
      /^Error(Input)?$/.test(name),
    );
    assert.ok(
      errorSchemas.some(([name]) => name === 'Error'),
      'no Error schema',
    );
    for (const [name, schema] of errorSchemas) {
      assert.deepEqual(schema.properties.error.properties.code.enum, errorCodes, name);
    }
  });
});

describe('AppError', () => {
  test('takes its status and default message from the catalog', () => {
    const error = new AppError('PROJECT_IN_USE');
    assert.equal(error.status, 409);
    assert.equal(error.message, errorCatalog.PROJECT_IN_USE.message);
    assert.equal(error.details, undefined);
    assert.ok(error instanceof Error);
  });

  test('notFound names what and which', () => {
    const error = notFound('project', 'crm');
    assert.equal(error.code, 'NOT_FOUND');
    assert.equal(error.message, "project 'crm' was not found");
    assert.deepEqual(error.details, { what: 'project', id: 'crm' });
  });
});

describe('validationFailed', () => {
  test('summarises the first problem and counts the rest, keeping all in details', () => {
    const problems = [
      { path: 'name', message: 'name is required' },
      { path: 'environments.production.url', message: 'url is required' },
    ];
    const error = validationFailed(problems);
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.equal(error.message, 'name: name is required (and 1 more)');
    assert.deepEqual(error.details, { problems });
  });

  test('calls a problem of the whole body "body"', () => {
    assert.equal(
      validationFailed([{ path: '', message: 'expected object' }]).message,
      'body: expected object',
    );
  });
});

describe('formatPath', () => {
  test('writes keys with dots and array indexes in brackets', () => {
    assert.equal(
      formatPath(['environments', 'production', 'headers', 1, 'value']),
      'environments.production.headers[1].value',
    );
    assert.equal(formatPath([0, 'name']), '[0].name');
    assert.equal(formatPath(['query', 'limit']), 'query.limit');
    assert.equal(formatPath([]), '');
  });
});
