import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { headerName, headerValue, isSensitiveHeaderName } from '../../contracts/headers.ts';
import { headerCatalog } from './header-catalog.ts';
import { createHttpHeaderService } from './http-header.service.ts';

describe('header catalog', () => {
  test('holds about sixty headers, none listed twice (ignoring case)', () => {
    assert.ok(headerCatalog.length >= 55, `only ${headerCatalog.length} headers`);
    const seen = new Set<string>();
    for (const entry of headerCatalog) {
      assert.ok(!seen.has(entry.name.toLowerCase()), `${entry.name} is listed twice`);
      seen.add(entry.name.toLowerCase());
    }
  });

  test('suggests only names a connection may use (tokens, no hop-by-hop or framing header)', () => {
    for (const entry of headerCatalog) {
      const result = headerName.safeParse(entry.name);
      assert.ok(result.success, `${entry.name}: ${result.error?.issues[0]?.message}`);
    }
  });

  test('suggests only values a connection may use (templates well formed, no CR/LF)', () => {
    for (const entry of headerCatalog) {
      for (const suggestion of entry.values ?? []) {
        const result = headerValue.safeParse(suggestion.value);
        assert.ok(
          result.success,
          `${entry.name}: ${suggestion.value}: ${result.error?.issues[0]?.message}`,
        );
        assert.ok(suggestion.description.length > 0, `${entry.name}: ${suggestion.value}`);
      }
    }
  });

  test('gives every header a one-line description', () => {
    for (const entry of headerCatalog) {
      assert.ok(entry.description.length > 0 && entry.description.length <= 100, entry.name);
      assert.ok(!/[\r\n]/.test(entry.description), entry.name);
    }
  });

  // A header we suggest a secret for carries a credential: if a user types a literal instead,
  // the audit record must mask it (mask-secrets uses isSensitiveHeaderName).
  test('every header whose suggested value is a secret is masked in audit records', () => {
    const unmasked = headerCatalog
      .filter((entry) => entry.values?.some((v) => v.value.includes('{{secret.')))
      .map((entry) => entry.name)
      .filter((name) => !isSensitiveHeaderName(name));
    assert.deepEqual(unmasked, []);
  });
});

describe('http header service', () => {
  const service = createHttpHeaderService([
    { name: 'b-two', description: 'b' },
    { name: 'A-One', description: 'a', values: [{ value: 'x', description: 'an x' }] },
    { name: 'a-three', description: 'c' },
  ]);

  test('sorts names ignoring case and matches a prefix ignoring case', () => {
    assert.deepEqual(
      service.suggestNames({ prefix: '', limit: 10 }).map((s) => s.name),
      ['A-One', 'a-three', 'b-two'],
    );
    assert.deepEqual(service.suggestNames({ prefix: 'A-', limit: 1 }), [
      { name: 'A-One', description: 'a' },
    ]);
  });

  test('finds values by name ignoring case, and none for an unknown header', () => {
    assert.deepEqual(service.suggestValues('a-one'), [{ value: 'x', description: 'an x' }]);
    assert.deepEqual(service.suggestValues('a-three'), []);
    assert.deepEqual(service.suggestValues('unknown'), []);
  });

  test('hands out copies, so a caller cannot change the catalog', () => {
    const first = service.suggestValues('A-One');
    first[0]!.value = 'changed';
    assert.equal(service.suggestValues('A-One')[0]?.value, 'x');
  });
});
