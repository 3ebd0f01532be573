// Free-text fields (names, display names, descriptions, comments) refuse the characters that
// change how text is shown without being seen — bidirectional overrides and isolates,
// zero-width characters, the byte-order mark — with VALIDATION_FAILED at the field's path
// (contracts/common.ts freeText), and take every visible script, right-to-left included.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { validConnection } from '../helpers/connection-fixtures.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

/** One per class the issue names, placed mid-text (trim would eat U+FEFF at an end). */
const hidden = [
  ['\u202E', 'U+202E'], // right-to-left override
  ['\u2066', 'U+2066'], // left-to-right isolate
  ['\u200B', 'U+200B'], // zero-width space
  ['\u200F', 'U+200F'], // right-to-left mark
  ['\u2060', 'U+2060'], // word joiner
  ['\uFEFF', 'U+FEFF'], // byte-order mark / zero-width no-break space
  ['\u061C', 'U+061C'], // Arabic letter mark
] as const;

const visible = 'Café ☕ — שלום مرحبا 日本語';

function assertRefusedAt(response: ApiResponse, path: string, codePoint: string): void {
  assert.equal(response.status, 400, response.text);
  assert.equal(response.body.error.code, 'VALIDATION_FAILED');
  const problem = response.body.error.details.problems.find(
    (p: { path: string }) => p.path === path,
  );
  assert.ok(problem, `a problem at ${path}: ${response.text}`);
  assert.match(
    problem.message,
    new RegExp(`invisible or text-direction.*${codePoint.replace('+', '\\+')}`),
  );
}

for (const kind of testStores()) {
  describe(`free-text fields on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('an environment name with any hidden character is refused at name; visible text of any script is kept', async () => {
      for (const [character, codePoint] of hidden) {
        const refused = await api.request('POST', '/api/v1/environments', {
          id: 'staging',
          name: `Prod${character}uction`,
          kind: 'test',
        });
        assertRefusedAt(refused, 'name', codePoint);
      }
      assert.equal(await api.services.environments.get('staging').catch(() => null), null);
      const created = await api.request('POST', '/api/v1/environments', {
        id: 'staging',
        name: visible,
        kind: 'test',
        description: visible,
      });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual([created.body.name, created.body.description], [visible, visible]);
    });

    test('descriptions of connections, projects, variables and secrets, and names of tokens and users, refuse them too', async () => {
      const override = '\u202E';
      const cases: Array<[string, string, unknown, string]> = [
        [
          'POST',
          '/api/v1/connections',
          validConnection({ description: `pay${override}lap` }),
          'description',
        ],
        ['PATCH', '/api/v1/projects/default', { description: `a\u200Bb` }, 'description'],
        ['PATCH', '/api/v1/environments/production', { name: `Prod\u2067` + 'x' }, 'name'],
        [
          'POST',
          '/api/v1/variables',
          { name: 'REGION', description: `eu\uFEFFwest`, values: {} },
          'description',
        ],
        [
          'POST',
          '/api/v1/secrets',
          { name: 'API_KEY', description: `key${override}`, value: 'a long enough secret value' },
          'description',
        ],
        ['POST', '/api/v1/tokens', { name: `ci\u200Dbot` }, 'name'],
        [
          'POST',
          '/api/v1/users',
          {
            username: 'mallory',
            password: 'a long enough passphrase 42',
            role: 'viewer',
            displayName: `adm${override}nimda`,
          },
          'displayName',
        ],
      ];
      for (const [method, path, body, field] of cases) {
        const response = await api.request(method, path, body);
        assert.equal(response.status, 400, `${method} ${path}: ${response.text}`);
        const problem = response.body.error.details.problems.find(
          (p: { path: string }) => p.path === field,
        );
        assert.ok(problem, `${method} ${path}: a problem at ${field}: ${response.text}`);
        assert.match(problem.message, /invisible or text-direction control characters \(U\+/);
      }
      // nothing was written
      assert.equal((await api.request('GET', '/api/v1/projects/default')).body.description, '');
      assert.equal((await api.request('GET', '/api/v1/variables/REGION')).status, 404);
      assert.equal((await api.request('GET', '/api/v1/users/mallory')).status, 404);
    });
  });
}
