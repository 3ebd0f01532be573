import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
// The drift tests need the OpenAPI document the app generates; contracts import nothing above
// them, so it is reached through the test helper (as core/errors.test.ts does).
import { buildOpenApiDocument } from '../../test/helpers/openapi-document.ts';
import { errorCodes } from '../core/errors.ts';
import {
  notificationCodes,
  notificationKinds,
  notificationOwnCodes,
} from './notification-codes.ts';
import { outcomeCodes } from './outcome-codes.ts';
import { warningCodes } from './warning-codes.ts';

interface DocRow {
  code: string;
  meaning: string;
  todo: string;
}

/**
 * The rows of the table in docs/reference/`file` whose header is `| <first> | Meaning | What to
 * do |` (a page may hold several tables).
 */
function readDocumentedCodes(file: string, first: string): DocRow[] {
  const text = readFileSync(new URL(`../../docs/reference/${file}`, import.meta.url), 'utf8');
  const lines = text.split('\n');
  const cells = (line: string) => line.split('|').map((cell) => cell.trim());
  const start = lines.findIndex(
    (line) => line.startsWith('|') && cells(line).join('|') === `|${first}|Meaning|What to do|`,
  );
  assert.ok(start >= 0, `${file}: no table headed | ${first} | Meaning | What to do |`);
  const rows: DocRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [, code = '', meaning = '', todo = ''] = cells(line);
    rows.push({ code, meaning, todo });
  }
  return rows;
}

/** The documented codes are the set's: none missing, none extra, none twice, each explained. */
function assertDocumented(set: readonly string[], rows: DocRow[], what: string): void {
  const documented = rows.map((row) => row.code);
  assert.equal(new Set(documented).size, documented.length, `${what}: a code is documented twice`);
  assert.deepEqual(
    set.filter((code) => !documented.includes(code)),
    [],
    `${what}: codes missing from the docs`,
  );
  assert.deepEqual(
    documented.filter((code) => !set.includes(code)),
    [],
    `${what}: documented codes that are not in the set`,
  );
  for (const row of rows) {
    assert.ok(
      row.meaning.length > 0 && row.todo.length > 0,
      `${what} ${row.code}: meaning and what to do`,
    );
  }
}

let openApi: Promise<{ components: { schemas: Record<string, any> } }> | undefined;
const schemas = async () => {
  openApi ??= buildOpenApiDocument() as Promise<{ components: { schemas: Record<string, any> } }>;
  return (await openApi).components.schemas;
};

describe('outcome codes', () => {
  test('are documented in docs/reference/outcomes.md', () => {
    assertDocumented(outcomeCodes, readDocumentedCodes('outcomes.md', 'Code'), 'outcomes');
  });

  test('are the OpenAPI OutcomeCode enum', async () => {
    assert.deepEqual((await schemas()).OutcomeCode?.enum, [...outcomeCodes]);
  });

  test('are codes (upper case), each once', () => {
    for (const code of outcomeCodes) assert.match(code, /^[A-Z][A-Z0-9_]*$/);
    assert.equal(new Set(outcomeCodes).size, outcomeCodes.length);
  });
});

describe('warning codes', () => {
  test('are documented in docs/reference/warnings.md', () => {
    assertDocumented(warningCodes, readDocumentedCodes('warnings.md', 'Code'), 'warnings');
  });

  test('are the code enum of the OpenAPI Warning schema, which every warning list uses', async () => {
    const all = await schemas();
    assert.deepEqual(all.Warning?.properties.code.enum, [...warningCodes]);
    // no answer carries warnings of another shape
    const lists: string[] = [];
    const visit = (value: unknown, where: string): void => {
      if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${where}[${i}]`));
      else if (value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) {
          if (key === 'warnings' && item && typeof item === 'object' && 'items' in item) {
            lists.push(where);
            // Warning, or the input-side twin zod's OpenAPI output makes of it (WarningInput)
            const ref = (item as { items: { $ref?: string } }).items.$ref ?? '';
            assert.match(ref, /^#\/components\/schemas\/Warning(Input)?$/, `${where}.warnings`);
            const schema = all[ref.split('/').pop() as string];
            assert.deepEqual(schema?.properties.code.enum, [...warningCodes], ref);
          } else visit(item, `${where}.${key}`);
        }
      }
    };
    visit(all, 'components.schemas');
    assert.ok(lists.length > 0, 'no warnings list found in the document');
  });
});

describe('notification kinds and codes', () => {
  test('kinds and own codes are documented in docs/reference/notifications.md', () => {
    assertDocumented(notificationKinds, readDocumentedCodes('notifications.md', 'Kind'), 'kinds');
    assertDocumented(
      notificationOwnCodes,
      readDocumentedCodes('notifications.md', 'Code'),
      'notification codes',
    );
  });

  test('a code is a failure outcome, an error code or an own code: never OK, never two meanings', () => {
    assert.ok(!(notificationCodes as readonly string[]).includes('OK'));
    assert.equal(new Set(notificationCodes).size, notificationCodes.length);
    for (const code of notificationOwnCodes) {
      assert.ok(!(outcomeCodes as readonly string[]).includes(code), `${code} is an outcome`);
      assert.ok(!(errorCodes as readonly string[]).includes(code), `${code} is an error code`);
    }
    assert.deepEqual(
      [...notificationCodes].sort(),
      [
        ...new Set([
          ...outcomeCodes.filter((code) => code !== 'OK'),
          ...errorCodes,
          ...notificationOwnCodes,
        ]),
      ].sort(),
    );
  });

  test('are the kind and code enums of the OpenAPI Notification schema', async () => {
    const notification = (await schemas()).Notification;
    assert.deepEqual(notification?.properties.kind.enum, [...notificationKinds]);
    assert.deepEqual(notification?.properties.code.enum, [...notificationCodes]);
  });
});
