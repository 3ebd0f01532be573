import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const base = '/api/v1/connections';

/** A valid ConnectionIn: POST to a CRM in production, over https. */
function connection(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    environments: { production: { method: 'POST', url: 'https://crm.example.com/hooks' } },
    ...extra,
  };
}

const names = (body: any): string[] => body.items.map((c: { name: string }) => c.name);

async function counts(api: TestApi) {
  const count = async (table: 'connections' | 'connection_revisions' | 'audit_records') =>
    Number(
      (
        await api.services.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    connections: await count('connections'),
    revisions: await count('connection_revisions'),
    audit: await count('audit_records'),
  };
}

async function auditActions(api: TestApi, targetId: string): Promise<string[]> {
  const { items } = await api.services.audit.list({ limit: 50, targetId });
  return items.map((record) => record.action);
}

for (const kind of testStores()) {
  describe(`connections API on ${kind.name}`, () => {
    let api: TestApi;
    const create = async (body: unknown) => {
      const response = await api.request('POST', base, body);
      assert.equal(response.status, 201, response.text);
      return response.body;
    };

    before(async () => {
      api = await startTestApi(kind);
      for (const id of ['team-a', 'team-b', 'listing']) {
        const response = await api.request('POST', '/api/v1/projects', { id, name: id });
        assert.equal(response.status, 201, response.text);
      }
    });
    after(() => api.close());

    test('creates a connection with every default filled, and reads it back by id and by name', async () => {
      const created = await api.request('POST', base, {
        name: 'Production_Webhook',
        description: 'ticket events',
        environments: {
          Production: {
            method: 'POST',
            url: 'https://hooks.partner.com/api/logs',
            headers: [{ name: 'Authorization', value: 'Bearer {{secret.PARTNER_TOKEN}}' }],
          },
        },
      });
      assert.equal(created.status, 201, created.text);
      const body = created.body;
      assert.match(body.id, /^con_[0-9a-z]{26}$/);
      assert.equal(created.headers.get('location'), `${base}/${body.id}`);
      assert.equal(created.headers.get('etag'), '"1"');
      assert.deepEqual(
        [body.name, body.description, body.enabled, body.critical, body.project, body.global],
        ['Production_Webhook', 'ticket events', true, false, 'default', false],
      );
      assert.equal(body.revision, 1);
      assert.equal(body.warnings, undefined, 'a clean connection has no warnings');
      assert.deepEqual([body.createdBy, body.updatedBy], ['admin', 'admin']);
      assert.equal(body.createdAt, body.updatedAt);
      assert.deepEqual(Object.keys(body.environments), ['production'], 'the canonical id');
      assert.deepEqual(body.environments.production, {
        method: 'POST',
        url: 'https://hooks.partner.com/api/logs',
        headers: [{ name: 'Authorization', value: 'Bearer {{secret.PARTNER_TOKEN}}' }],
        connectTimeoutMs: 2000,
        requestTimeoutMs: 2000,
        poolSize: 0,
        idleTimeoutMs: 4000,
        followRedirects: false,
        signing: { scheme: 'none' },
        tls: { verify: true, caCertificates: [], keyStore: null },
      });

      const byId = await api.request('GET', `${base}/${body.id}`);
      assert.equal(byId.status, 200);
      assert.deepEqual(byId.body, body);
      const byName = await api.request('GET', `${base}/production_webhook`);
      assert.equal(byName.status, 200);
      assert.equal(byName.body.id, body.id);
      assert.deepEqual(await auditActions(api, body.id), ['connection.create']);
    });

    test('answers NOT_FOUND for an unknown id or name, naming it', async () => {
      for (const ref of ['con_00000000000000000000000000', 'No_Such_Connection']) {
        const response = await api.request('GET', `${base}/${ref}`);
        assert.equal(response.status, 404);
        assert.equal(response.body.error.code, 'NOT_FOUND');
        assert.match(response.body.error.message, new RegExp(ref));
      }
    });

    test('finds a name in the project asked for, else in default or global, else in the one project that has it', async () => {
      const inA = await create(connection('Ledger', { project: 'team-a' }));
      const inB = await create(connection('ledger', { project: 'team-b' }));
      const onlyB = await create(connection('Billing', { project: 'team-b' }));
      const global = await create(connection('Pager', { global: true }));

      const get = (path: string) => api.request('GET', `${base}/${path}`);
      assert.equal((await get('Ledger?project=team-a')).body.id, inA.id);
      assert.equal((await get('LEDGER?project=TEAM-B')).body.id, inB.id);
      assert.equal((await get('billing')).body.id, onlyB.id, 'the only project that has it');
      assert.equal((await get('pager?project=team-a')).body.id, global.id, 'a global one');
      assert.equal((await get('pager')).body.id, global.id);
      assert.equal((await get('billing?project=team-a')).status, 404, 'team-a does not see it');

      const ambiguous = await get('ledger');
      assert.equal(ambiguous.status, 409);
      assert.equal(ambiguous.body.error.code, 'CONNECTION_NAME_AMBIGUOUS');
      assert.deepEqual(ambiguous.body.error.details.projects, ['team-a', 'team-b']);
      // every {id} route resolves the same way
      const disable = await api.request('POST', `${base}/ledger/disable`);
      assert.equal(disable.body.error.code, 'CONNECTION_NAME_AMBIGUOUS');
      const byProject = await api.request('POST', `${base}/ledger/disable?project=team-b`);
      assert.equal(byProject.status, 200);
      assert.equal(byProject.body.id, inB.id);
      assert.equal(byProject.body.enabled, false);
    });

    test('lists what a project sees, filtered by environment, state, global and part of the name', async () => {
      await api.request('POST', '/api/v1/environments', { id: 'Lst-Env', name: 'L', kind: 'test' });
      const withTest = {
        production: { method: 'POST', url: 'https://a.example.com' },
        'lst-env': { method: 'GET', url: 'https://b.example.com' },
      };
      await create(connection('lst_alpha', { project: 'listing' }));
      await create(
        connection('lst_beta', { project: 'listing', enabled: false, environments: withTest }),
      );
      await create(connection('lst_gamma', { global: true, environments: withTest }));
      await create(connection('lstXalpha', { project: 'listing' }));
      await create(connection('lst_delta', { project: 'team-a' }));

      const list = async (query: string) => {
        const q = query.includes('q=') ? '' : 'q=lst&';
        const response = await api.request('GET', `${base}?${q}${query}`);
        assert.equal(response.status, 200, response.text);
        return names(response.body).sort();
      };
      assert.deepEqual(await list('project=listing'), [
        'lstXalpha',
        'lst_alpha',
        'lst_beta',
        'lst_gamma',
      ]);
      assert.deepEqual(await list('project=LISTING&global=false'), [
        'lstXalpha',
        'lst_alpha',
        'lst_beta',
      ]);
      assert.deepEqual(await list('project=listing&global=true'), ['lst_gamma']);
      assert.deepEqual(await list('global=true'), ['lst_gamma']);
      assert.deepEqual(await list('global=false&project=team-a'), ['lst_delta']);
      assert.deepEqual(await list('environment=LST-ENV'), ['lst_beta', 'lst_gamma']);
      assert.deepEqual(await list('enabled=false'), ['lst_beta']);
      assert.deepEqual(await list('enabled=true&environment=lst-env'), ['lst_gamma']);
      assert.deepEqual(await list(''), [
        'lstXalpha',
        'lst_alpha',
        'lst_beta',
        'lst_delta',
        'lst_gamma',
      ]);

      // q is a plain substring, any case: % and _ are not wildcards
      assert.deepEqual(await list('q=LST_A'), ['lst_alpha']);
      assert.deepEqual(await list('q=lstx'), ['lstXalpha']);
      assert.deepEqual(await list('q=lst%25beta'), []);
      assert.deepEqual(await list('q=l_t'), []);
    });

    test('answers NOT_FOUND for a project or environment filter that does not exist', async () => {
      for (const query of ['project=nowhere', 'environment=nowhere']) {
        const response = await api.request('GET', `${base}?${query}`);
        assert.equal(response.status, 404, query);
        assert.equal(response.body.error.code, 'NOT_FOUND');
      }
    });

    test('walks every page in name order with no duplicates or gaps', async () => {
      await api.request('POST', '/api/v1/projects', { id: 'paging', name: 'Paging' });
      const created = new Set<string>();
      // mixed case and a shared prefix: order is by the lower-cased name, then by id
      for (let i = 0; i < 23; i++) {
        const name = `${i % 2 ? 'PG' : 'pg'}-item-${String(i).padStart(3, '0')}`;
        created.add((await create(connection(name, { project: 'paging' }))).id);
      }
      const seen: string[] = [];
      const seenNames: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `project=paging&global=false&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await api.request('GET', `${base}?${query}`);
        assert.equal(response.status, 200, response.text);
        assert.ok(response.body.items.length <= 5);
        seen.push(...response.body.items.map((c: { id: string }) => c.id));
        seenNames.push(...names(response.body));
        cursor = response.body.next;
        pages++;
      } while (cursor);
      assert.equal(pages, 5);
      assert.equal(seen.length, 23);
      assert.deepEqual(new Set(seen), created);
      assert.deepEqual(
        seenNames.map((n) => n.toLowerCase()),
        [...seenNames].map((n) => n.toLowerCase()).sort(),
      );
    });

    test('refuses a cursor that is not from this list and a limit out of range', async () => {
      const cursor = await api.request('GET', `${base}?cursor=bm90LWEtY3Vyc29y`);
      assert.equal(cursor.status, 400);
      assert.equal(cursor.body.error.details.problems[0].path, 'query.cursor');
      for (const limit of ['0', '501']) {
        const response = await api.request('GET', `${base}?limit=${limit}`);
        assert.equal(response.status, 400);
        assert.equal(response.body.error.details.problems[0].path, 'query.limit');
      }
    });

    test('name-exists checks a project name against its project and the global ones', async () => {
      const own = await create(connection('Exists_Here', { project: 'team-a' }));
      const global = await create(connection('Exists_Everywhere', { global: true }));
      const exists = async (query: string) => {
        const response = await api.request('GET', `${base}/name-exists?${query}`);
        assert.equal(response.status, 200, response.text);
        return response.body;
      };
      assert.deepEqual(await exists('name=exists_here&project=team-a'), {
        exists: true,
        conflict: { id: own.id, project: 'team-a' },
      });
      assert.deepEqual(await exists('name=exists_here&project=team-b'), { exists: false });
      assert.deepEqual(await exists('name=Exists_Here'), { exists: false }, 'default project');
      assert.deepEqual(await exists('name=EXISTS_EVERYWHERE&project=team-b'), {
        exists: true,
        conflict: { id: global.id, project: null },
      });
      // a global name clashes with every project
      assert.deepEqual(await exists('name=exists_here&global=true'), {
        exists: true,
        conflict: { id: own.id, project: 'team-a' },
      });
      // editing itself is not a clash
      assert.deepEqual(await exists(`name=Exists_Here&project=team-a&exclude=${own.id}`), {
        exists: false,
      });
      assert.deepEqual(await exists(`name=exists_everywhere&global=true&exclude=${global.id}`), {
        exists: false,
      });
    });

    test('name-exists refuses an empty or invalid name at query.name', async () => {
      for (const query of ['name=', 'name=%20leading', 'name=a%2Fb', '']) {
        const response = await api.request('GET', `${base}/name-exists?${query}`);
        assert.equal(response.status, 400, query);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          response.body.error.details.problems.map((p: { path: string }) => p.path),
          ['query.name'],
        );
      }
    });

    test('refuses a second connection with the same name in the project or against a global one', async () => {
      const first = await create(connection('Taken_Name', { project: 'team-a' }));
      const again = await api.request(
        'POST',
        base,
        connection('TAKEN_name', { project: 'team-a' }),
      );
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'CONNECTION_NAME_TAKEN');
      assert.match(again.body.error.message, /team-a/);
      assert.deepEqual(
        [
          again.body.error.details.name,
          again.body.error.details.project,
          again.body.error.details.id,
        ],
        ['TAKEN_name', 'team-a', first.id],
      );
      const elsewhere = await api.request(
        'POST',
        base,
        connection('Taken_Name', { project: 'team-b' }),
      );
      assert.equal(elsewhere.status, 201, 'another project may use the name');
      const global = await api.request('POST', base, connection('taken_name', { global: true }));
      assert.equal(global.status, 409, 'a global name must not clash with any project');

      await create(connection('Global_Name', { global: true }));
      const project = await api.request(
        'POST',
        base,
        connection('global_NAME', { project: 'team-b' }),
      );
      assert.equal(project.status, 409);
      assert.match(project.body.error.message, /global/);
      assert.equal(project.body.error.details.project, null);
    });

    test('enables and disables idempotently, auditing only what changed', async () => {
      const created = await create(connection('Toggle'));
      const disabled = await api.request('POST', `${base}/${created.id}/disable`);
      assert.equal(disabled.status, 200);
      assert.equal(disabled.body.enabled, false);
      assert.equal(disabled.body.revision, 1, 'enabled is not part of a revision');
      assert.equal((await api.request('POST', `${base}/toggle/disable`)).body.enabled, false);
      assert.equal((await api.request('GET', `${base}/Toggle`)).body.enabled, false);
      const enabled = await api.request('POST', `${base}/toggle/enable`);
      assert.equal(enabled.body.enabled, true);
      assert.equal((await api.request('POST', `${base}/toggle/enable`)).status, 200);
      assert.deepEqual(await auditActions(api, created.id), [
        'connection.enable',
        'connection.disable',
        'connection.create',
      ]);
      const { items } = await api.services.audit.list({ limit: 1, targetId: created.id });
      assert.deepEqual(
        [items[0]!.before, items[0]!.after].map((c: any) => c.enabled),
        [false, true],
      );
    });

    test('moves a project connection to global, and refuses while another project has its name', async () => {
      const mover = await create(connection('Mover', { project: 'team-a' }));
      const response = await api.request('POST', `${base}/${mover.id}/move-to-global`);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual([response.body.project, response.body.global], [null, true]);
      assert.equal(response.body.revision, 1);
      const seen = await api.request('GET', `${base}?project=team-b&q=mover`);
      assert.deepEqual(names(seen.body), ['Mover'], 'every project sees it now');
      assert.deepEqual(await auditActions(api, mover.id), [
        'connection.move-to-global',
        'connection.create',
      ]);

      const shared = await create(connection('Shared', { project: 'team-a' }));
      const other = await create(connection('SHARED', { project: 'team-b' }));
      const before = await counts(api);
      const clash = await api.request('POST', `${base}/${shared.id}/move-to-global`);
      assert.equal(clash.status, 409);
      assert.equal(clash.body.error.code, 'CONNECTION_NAME_TAKEN');
      assert.match(clash.body.error.message, /team-b/);
      assert.deepEqual(clash.body.error.details.conflicts, [{ id: other.id, project: 'team-b' }]);
      assert.deepEqual(await counts(api), before);
      assert.equal((await api.request('GET', `${base}/${shared.id}`)).body.project, 'team-a');
    });

    test('deletes a connection with its revisions; the audit record keeps what it was', async () => {
      const doomed = await create(connection('Doomed', { description: 'short-lived' }));
      await api.request('PATCH', `${base}/${doomed.id}`, { description: 'changed' });
      const before = await counts(api);
      const response = await api.request('DELETE', `${base}/doomed`);
      assert.equal(response.status, 204);
      assert.equal(response.text, '');
      assert.equal((await api.request('GET', `${base}/${doomed.id}`)).status, 404);
      assert.equal((await api.request('DELETE', `${base}/${doomed.id}`)).status, 404);
      const after = await counts(api);
      assert.deepEqual(
        [after.connections, after.revisions, after.audit],
        [before.connections - 1, before.revisions - 2, before.audit + 1],
      );
      const { items } = await api.services.audit.list({ limit: 50, targetId: doomed.id });
      assert.deepEqual(
        items.map((r) => r.action),
        ['connection.delete', 'connection.update', 'connection.create'],
      );
      assert.equal(items[0]!.after, null);
      assert.equal((items[0]!.before as any).description, 'changed');
    });

    test('masks a literal credential in the audit record but answers it to the caller', async () => {
      const response = await api.request('POST', base, {
        name: 'Literal_Key',
        environments: {
          production: {
            method: 'POST',
            url: 'https://x.example.com',
            headers: [{ name: 'X-Api-Key', value: 'k-123456' }],
          },
        },
      });
      assert.equal(response.status, 201);
      assert.equal(response.body.environments.production.headers[0].value, 'k-123456');
      assert.deepEqual(
        response.body.warnings.map((w: { code: string; path: string }) => [w.code, w.path]),
        [['LITERAL_CREDENTIAL', 'environments.production.headers[0].value']],
      );
      const { items } = await api.services.audit.list({ limit: 1, targetId: response.body.id });
      assert.ok(!JSON.stringify(items).includes('k-123456'));
    });

    test('a failing request writes nothing', async () => {
      const victim = await create(connection('Victim', { project: 'team-a' }));
      await create(connection('Occupied', { project: 'team-a' }));
      await create(connection('occupied', { project: 'team-b' }));
      const before = await counts(api);
      const failing: Array<[string, string, unknown, number, string?]> = [
        ['POST', base, connection('Bad', { environments: { nowhere: {} } }), 400],
        ['POST', base, connection('Bad', { project: 'nowhere' }), 400],
        ['POST', base, connection('Bad', { environments: {} }), 400],
        ['POST', base, connection('victim', { project: 'team-a' }), 409],
        ['PUT', `${base}/${victim.id}`, connection('Occupied', { project: 'team-a' }), 409],
        ['PUT', `${base}/${victim.id}`, connection('Victim', { project: 'nowhere' }), 400],
        ['PATCH', `${base}/${victim.id}`, { environments: { production: null } }, 400],
        ['PATCH', `${base}/${victim.id}`, { name: 'OCCUPIED' }, 409],
        ['PATCH', `${base}/${victim.id}`, { description: 'x' }, 409, '"7"'],
        ['POST', `${base}/${victim.id}/rollback`, { revision: 9 }, 404],
        ['POST', `${base}/${victim.id}/duplicate`, { name: 'occupied' }, 409],
        ['POST', `${base}/occupied/move-to-global?project=team-a`, undefined, 409],
        ['DELETE', `${base}/nothing-here`, undefined, 404],
      ];
      for (const [method, path, body, status, ifMatch] of failing) {
        const response = await api.request(method, path, body, {
          headers: ifMatch ? { 'if-match': ifMatch } : {},
        });
        assert.equal(response.status, status, `${method} ${path}: ${response.text}`);
      }
      assert.deepEqual(await counts(api), before);
      const unchanged = await api.request('GET', `${base}/${victim.id}`);
      assert.deepEqual(unchanged.body, victim);
    });

    test('needs a bearer token', async () => {
      const response = await api.request('GET', base, undefined, { token: null });
      assert.equal(response.status, 401);
    });
  });

  describe(`a list of 10,000 connections on ${kind.name}`, () => {
    let api: TestApi;
    const total = 10_000;
    before(async () => {
      api = await startTestApi(kind);
      // seeded straight into the store: 10,000 API calls would test the API's write speed
      const spec = (name: string) =>
        JSON.stringify({
          name,
          description: '',
          critical: false,
          environments: {
            production: {
              method: 'POST',
              url: 'https://x.example.com',
              headers: [],
              connectTimeoutMs: 2000,
              requestTimeoutMs: 2000,
              poolSize: 0,
              idleTimeoutMs: 4000,
              followRedirects: false,
              signing: { scheme: 'none' },
              tls: { verify: true, caCertificates: [], keyStore: null },
            },
          },
        });
      const now = new Date().toISOString();
      await api.services.store.transaction(async (tx) => {
        for (let start = 0; start < total; start += 500) {
          const rows = Array.from({ length: 500 }, (_, i) => {
            const n = start + i;
            const name = `bulk-${String(n).padStart(5, '0')}`;
            return {
              id: `con_${String(n).padStart(26, '0')}`,
              project_id: n % 10 === 0 ? null : 'default',
              name,
              name_key: name,
              description: '',
              enabled: n % 3 !== 0,
              critical: false,
              current_revision: 1,
              spec: spec(name),
              created_at: now,
              created_by: 'bench',
              updated_at: now,
              updated_by: 'bench',
            };
          });
          await tx.insertInto('connections').values(rows).execute();
          await tx
            .insertInto('connection_environments')
            .values(rows.map((r) => ({ connection_id: r.id, environment_id: 'production' })))
            .execute();
        }
      });
    });
    after(() => api.close());

    test('walks all 10,000 in pages of 500 with no duplicate and no gap', async () => {
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const response: ApiResponse = await api.request(
          'GET',
          `${base}?project=default&environment=production&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        );
        assert.equal(response.status, 200, response.text);
        for (const item of response.body.items) seen.add(item.id);
        cursor = response.body.next;
      } while (cursor);
      // page speed is measured by bench/api.ts, not asserted here
      assert.equal(seen.size, total);
    });

    test('finds by part of the name and filters by state across the whole table', async () => {
      const response = await api.request('GET', `${base}?q=bulk-0999&enabled=false&limit=500`);
      assert.equal(response.status, 200);
      // bulk-09990 … bulk-09999, of which those divisible by 3 are disabled
      assert.deepEqual(names(response.body), [
        'bulk-09990',
        'bulk-09993',
        'bulk-09996',
        'bulk-09999',
      ]);
      const globals = await api.request('GET', `${base}?global=true&limit=500`);
      assert.equal(globals.body.items.length, 500);
      assert.ok(globals.body.items.every((c: { global: boolean }) => c.global));
      assert.ok(globals.body.next);
    });
  });
}
