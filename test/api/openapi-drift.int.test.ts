import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildOpenApiDocument } from '../helpers/openapi-document.ts';

// The committed openapi.json is what API users and client generators read: it must be what
// the code generates. After changing a route or a contract, run `npm run openapi`.
test('the committed openapi.json is the document the code generates', async () => {
  const committed: unknown = JSON.parse(
    readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'),
  );
  const generated = JSON.parse(JSON.stringify(await buildOpenApiDocument())) as unknown;
  assert.deepEqual(
    committed,
    generated,
    'openapi.json is stale: run `npm run openapi` and commit it',
  );
});
