import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const base = '/api/v1/connections';

function connection(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    environments: { production: { method: 'POST', url: 'https://crm.example.com/hooks' } },
    ...extra,
  };
}

/** How many rows hold this name (any case), per project ('' for global). */
async function holders(api: TestApi, name: string): Promise<string[]> {
  const rows = await api.services.store.db
    .selectFrom('connections')
    .select('project_id')
    .where('name_key', '=', name.toLowerCase())
    .execute();
  return rows.map((row) => row.project_id ?? '').sort();
}

/** Status and error code of each answer, counted: `{ '201': 1, '409 CONNECTION_NAME_TAKEN': 49 }`. */
function tally(responses: Array<{ status: number; body: any }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of responses) {
    const key = r.status < 300 ? String(r.status) : `${r.status} ${r.body?.error?.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

for (const kind of testStores()) {
  describe(`concurrent connection changes on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
      for (const id of ['race-a', 'race-b']) {
        const response = await api.request('POST', '/api/v1/projects', { id, name: id });
        assert.equal(response.status, 201);
      }
    });
    after(() => api.close());

    test('50 parallel creates of one name: exactly one 201, 49 CONNECTION_NAME_TAKEN', async () => {
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => api.request('POST', base, connection('Same_Name'))),
      );
      assert.deepEqual(tally(responses), { '201': 1, '409 CONNECTION_NAME_TAKEN': 49 });
      assert.deepEqual(await holders(api, 'Same_Name'), ['default']);
      const winner = responses.find((r) => r.status === 201)!;
      const { items } = await api.services.audit.list({ limit: 50, targetId: winner.body.id });
      assert.equal(items.length, 1);
    });

    test('50 parallel creates of names that differ only in case: exactly one wins', async () => {
      const spellings = Array.from({ length: 50 }, (_, i) =>
        [...'caserace'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join(''),
      );
      assert.equal(new Set(spellings).size, 50);
      const responses = await Promise.all(
        spellings.map((name) => api.request('POST', base, connection(name))),
      );
      assert.deepEqual(tally(responses), { '201': 1, '409 CONNECTION_NAME_TAKEN': 49 });
      assert.deepEqual(await holders(api, 'caserace'), ['default']);
    });

    test('a global name racing the same name in projects never ends with both', async () => {
      for (let round = 0; round < 10; round++) {
        const name = `Global_Race_${round}`;
        const requests = [
          connection(name, { global: true }),
          connection(name.toUpperCase(), { project: 'race-a' }),
          connection(name.toLowerCase(), { project: 'race-b' }),
          connection(name, { global: true }),
        ];
        // interleave differently each round
        if (round % 2) requests.reverse();
        const responses = await Promise.all(
          requests.map((body) => api.request('POST', base, body)),
        );
        for (const r of responses) {
          assert.ok(
            r.status === 201 || r.body?.error?.code === 'CONNECTION_NAME_TAKEN',
            `${r.status} ${JSON.stringify(r.body)}`,
          );
        }
        const held = await holders(api, name);
        assert.ok(
          JSON.stringify(held) === '[""]' || JSON.stringify(held) === '["race-a","race-b"]',
          `round ${round}: ${JSON.stringify(held)}`,
        );
        assert.equal(tally(responses)['201'], held.length);
      }
    });

    test('moving to global while another project creates the same name: one of them loses', async () => {
      for (let round = 0; round < 10; round++) {
        const name = `Move_Race_${round}`;
        const created = await api.request('POST', base, connection(name, { project: 'race-a' }));
        assert.equal(created.status, 201);
        const [moved, rival] = await Promise.all([
          api.request('POST', `${base}/${created.body.id}/move-to-global`),
          api.request('POST', base, connection(name, { project: 'race-b' })),
        ]);
        assert.equal([moved, rival].filter((r) => r.status < 300).length, 1, `round ${round}`);
        const held = await holders(api, name);
        assert.ok(
          JSON.stringify(held) === '[""]' || JSON.stringify(held) === '["race-a","race-b"]',
          `round ${round}: ${JSON.stringify(held)}`,
        );
      }
    });

    test('20 parallel PATCHes of one connection each get their own revision', async () => {
      const created = await api.request('POST', base, connection('Busy'));
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.request('PATCH', `${base}/${created.body.id}`, { description: `edit ${i}` }),
        ),
      );
      assert.deepEqual(tally(responses), { '200': 20 });
      assert.deepEqual(
        responses.map((r) => r.body.revision).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
      const revisions = await api.request('GET', `${base}/busy/revisions?limit=50`);
      assert.equal(revisions.body.items.length, 21);
      const current = await api.request('GET', `${base}/busy`);
      const last = responses.find((r) => r.body.revision === 21)!;
      assert.equal(current.body.description, last.body.description);
    });

    test('parallel PATCHes with the same If-Match: exactly one wins', async () => {
      const created = await api.request('POST', base, connection('Contended'));
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.request(
            'PATCH',
            `${base}/${created.body.id}`,
            { description: `try ${i}` },
            { headers: { 'if-match': '"1"' } },
          ),
        ),
      );
      assert.deepEqual(tally(responses), { '200': 1, '409 REVISION_CONFLICT': 9 });
    });
  });
}
