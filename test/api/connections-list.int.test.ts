// The connections list at scale (issue 14, point 6): `total` counts what the filters select
// (every page, one COUNT), `q` finds a connection by its name, the host of any environment's
// URL or its description, ignoring case; and GET /exports puts several connections into one
// archive, each one's own export inside.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { exportBundleMetadata, exportMetadata } from '../../src/contracts/exports.ts';
import * as postgres0016 from '../../src/store/migrations/postgres/0016-connection-search.ts';
import * as sqlite0016 from '../../src/store/migrations/sqlite/0016-connection-search.ts';
import { readZip } from '../helpers/read-zip.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { addUser, type TestUser } from '../helpers/test-users.ts';

const exportedAt = '2025-11-13T09:30:00.000Z';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const kind of testStores()) {
  describe(`connections list: total, search and bulk export on ${kind.name}`, () => {
    let api: TestApi;
    let viewer: TestUser;
    const ids: Record<string, string> = {};
    // the injected clock: the export's time, moved on where a test needs a later change
    let clockAt = exportedAt;

    async function create(name: string, body: object): Promise<void> {
      const made = await api.request('POST', '/api/v1/connections', { name, ...body });
      assert.equal(made.status, 201, made.text);
      ids[name] = made.body.id;
    }

    /** The names a list query answers, and its total. */
    async function list(query: string): Promise<{ names: string[]; total: number }> {
      const answer = await api.request('GET', `/api/v1/connections?${query}`);
      assert.equal(answer.status, 200, answer.text);
      return {
        names: answer.body.items.map((item: { name: string }) => item.name),
        total: answer.body.total,
      };
    }

    before(async () => {
      api = await startTestApi(kind, { clock: { now: () => new Date(clockAt) } });
      viewer = await addUser(api.services, 'viewer');
      await create('Slack_Alerts', {
        description: 'Paging for the Ops team',
        environments: {
          test: { method: 'POST', url: 'https://hooks.slack.com/services/T0/B0' },
          production: { method: 'POST', url: 'https://Hooks.Slack.com/services/T1/B1' },
        },
      });
      await create('Crm_Sync', {
        description: 'Pushes accounts to the CRM (ACME Corp.)',
        environments: {
          test: { method: 'PUT', url: 'https://crm-test.internal:8443/api/{{param.id}}' },
          production: { method: 'PUT', url: 'https://{{var.CRM_HOST}}/api' },
        },
      });
      await create('Audit_Log', {
        enabled: false,
        description: 'Where 100%_of events go',
        environments: { development: { method: 'POST', url: 'http://127.0.0.1:9000/audit' } },
      });
      // twelve more, so that pages and the total differ
      for (let i = 0; i < 12; i += 1) {
        await create(`Filler_${String(i).padStart(2, '0')}`, {
          environments: { test: { method: 'GET', url: `https://filler${i}.example.org/` } },
        });
      }
    });
    after(() => api?.close());

    test('total counts every connection the filters select, on every page', async () => {
      const first = await list('limit=5');
      assert.equal(first.names.length, 5);
      assert.equal(first.total, 15);
      const answer = await api.request('GET', '/api/v1/connections?limit=5');
      const second = await list(`limit=5&cursor=${answer.body.next}`);
      assert.equal(second.total, 15);
      assert.deepEqual(await list('enabled=false'), { names: ['Audit_Log'], total: 1 });
      assert.equal((await list('environment=test&limit=1')).total, 14);
      assert.equal((await list('q=filler_1&limit=1')).total, 2); // Filler_10, Filler_11
      assert.deepEqual(await list('q=nothing-like-this'), { names: [], total: 0 });
      assert.deepEqual(await list('ids='), { names: [], total: 0 });
      assert.deepEqual(await list(`ids=${ids.Crm_Sync},${ids.Audit_Log}`), {
        names: ['Audit_Log', 'Crm_Sync'],
        total: 2,
      });
    });

    test('sort=updated pages through every connection, the last changed first', async () => {
      // a change (a minute later) moves a connection to the top
      clockAt = '2025-11-13T09:31:00.000Z';
      const touched = await api.request('PATCH', `/api/v1/connections/${ids.Filler_03}`, {
        description: 'changed last',
      });
      clockAt = exportedAt;
      assert.equal(touched.status, 200, touched.text);
      const seen: Array<{ name: string; updatedAt: string; id: string }> = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${cursor}` : '';
        const page = await api.request('GET', `/api/v1/connections?sort=updated&limit=4${query}`);
        assert.equal(page.status, 200, page.text);
        assert.equal(page.body.total, 15);
        seen.push(...page.body.items);
        cursor = page.body.next;
      } while (cursor);
      assert.equal(seen.length, 15);
      assert.equal(new Set(seen.map((c) => c.id)).size, 15);
      assert.equal(seen[0]?.name, 'Filler_03');
      for (let i = 1; i < seen.length; i += 1) {
        const [a, b] = [seen[i - 1], seen[i]] as [(typeof seen)[0], (typeof seen)[0]];
        assert.ok(a.updatedAt > b.updatedAt || (a.updatedAt === b.updatedAt && a.id > b.id));
      }
      // a cursor of the name order is refused in the other
      const byName = await api.request('GET', '/api/v1/connections?limit=2');
      const mixed = await api.request(
        'GET',
        `/api/v1/connections?sort=updated&cursor=${byName.body.next}`,
      );
      assert.equal(mixed.status, 400, mixed.text);
    });

    test('q finds a connection by the host of any environment, in any case', async () => {
      assert.deepEqual((await list('q=HOOKS.SLACK.COM')).names, ['Slack_Alerts']);
      assert.deepEqual((await list('q=crm-test.internal')).names, ['Crm_Sync']);
      // the port is part of what a URL's host is written as; a template host is matched as written
      assert.deepEqual((await list('q=127.0.0.1:9000')).names, ['Audit_Log']);
      assert.deepEqual((await list('q=var.crm_host')).names, ['Crm_Sync']);
      // the path is not the host
      assert.deepEqual((await list('q=services/T0')).names, []);
    });

    test('q finds a connection by its description, and LIKE wildcards match themselves', async () => {
      assert.deepEqual((await list('q=acme corp')).names, ['Crm_Sync']);
      assert.deepEqual((await list('q=ops%20TEAM')).names, ['Slack_Alerts']);
      assert.deepEqual((await list(`q=${encodeURIComponent('100%_of')}`)).names, ['Audit_Log']);
      assert.deepEqual((await list(`q=${encodeURIComponent('%')}`)).names, ['Audit_Log']);
      // combined with the other filters, and counted with them
      assert.deepEqual(await list('q=crm&environment=development'), { names: [], total: 0 });
    });

    test('a renamed connection and a changed URL are found by what they are now', async () => {
      await create('Renamed_Once', {
        environments: { test: { method: 'POST', url: 'https://old-host.example.net/x' } },
      });
      const renamed = await api.request('PATCH', `/api/v1/connections/${ids.Renamed_Once}`, {
        name: 'Renamed_Twice',
        description: 'now described',
        environments: { test: { url: 'https://new-host.example.net/x' } },
      });
      assert.equal(renamed.status, 200, renamed.text);
      assert.deepEqual((await list('q=old-host')).names, []);
      assert.deepEqual((await list('q=renamed_once')).names, []);
      assert.deepEqual((await list('q=new-host')).names, ['Renamed_Twice']);
      assert.deepEqual((await list('q=now described')).names, ['Renamed_Twice']);
      assert.equal(
        (await api.request('DELETE', `/api/v1/connections/${ids.Renamed_Once}`)).status,
        204,
      );
    });

    test('an upgrade (migration 0016) makes the connections already there searchable by host and description', async () => {
      const { db } = api.services.store;
      // the table as it was before 0016, then 0016 by itself, as the upgrade runs it
      await sql`DROP INDEX connections_updated`.execute(db);
      await sql`ALTER TABLE connections DROP COLUMN search_text`.execute(db);
      await (kind.name === 'postgres' ? postgres0016 : sqlite0016).up(
        db as unknown as Kysely<unknown>,
      );
      assert.deepEqual((await list('q=HOOKS.SLACK.COM')).names, ['Slack_Alerts']);
      assert.deepEqual((await list('q=acme corp')).names, ['Crm_Sync']);
      assert.deepEqual((await list('q=filler_1&limit=1')).total, 2);
    });

    test('GET /exports puts each chosen connection\u2019s own archive into one', async () => {
      const response = await fetch(
        `${api.url}/api/v1/exports?connections=${ids.Slack_Alerts},Crm_Sync,${ids.Crm_Sync}`,
        { headers: { authorization: `Bearer ${viewer.token}` } },
      );
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/zip');
      assert.match(
        response.headers.get('content-disposition') ?? '',
        /attachment; filename="13 Nov 2025-connections-2-export\.zip"/,
      );
      const entries = await readZip(Buffer.from(await response.arrayBuffer()));
      assert.deepEqual(
        entries.map((entry) => entry.path),
        [
          'metadata.json',
          'default/13 Nov 2025-connection-Slack_Alerts-export.zip',
          'default/13 Nov 2025-connection-Crm_Sync-export.zip',
        ],
      );
      const metadata = exportBundleMetadata.parse(
        JSON.parse((entries[0] as { content: Buffer }).content.toString('utf8')),
      );
      assert.equal(metadata.kind, 'connections');
      assert.equal(metadata.exportedBy, viewer.username);
      assert.equal(metadata.exportedAt, exportedAt);
      for (const [index, archive] of metadata.archives.entries()) {
        const entry = entries[index + 1] as { path: string; content: Buffer };
        assert.equal(archive.path, entry.path);
        assert.equal(archive.sha256, sha256(entry.content));
        // each inner archive is the single export's format, whole
        const inner = await readZip(entry.content);
        const innerMetadata = exportMetadata.parse(
          JSON.parse((inner[0] as { content: Buffer }).content.toString('utf8')),
        );
        assert.equal(innerMetadata.connection.id, archive.connection.id);
        assert.equal(innerMetadata.connection.name, archive.connection.name);
      }
      assert.deepEqual(
        metadata.archives.map((archive) => archive.connection.name),
        ['Slack_Alerts', 'Crm_Sync'],
      );
      // each connection exported is audited, as a single export is
      const audit = await api.request('GET', `/api/v1/audit?action=connection.export&limit=50`);
      const audited = audit.body.items.map((record: { targetName: string }) => record.targetName);
      assert.ok(audited.includes('Slack_Alerts') && audited.includes('Crm_Sync'), audit.text);
    });

    test('GET /exports refuses the whole archive when one connection is not found', async () => {
      const before = await api.request('GET', '/api/v1/audit?action=connection.export&limit=200');
      const refused = await api.request(
        'GET',
        `/api/v1/exports?connections=${ids.Slack_Alerts},No_Such_Connection`,
      );
      assert.equal(refused.status, 404, refused.text);
      assert.equal(refused.body.error.code, 'NOT_FOUND');
      assert.match(refused.body.error.message, /No_Such_Connection/);
      const afterwards = await api.request(
        'GET',
        '/api/v1/audit?action=connection.export&limit=200',
      );
      assert.equal(afterwards.body.items.length, before.body.items.length, 'nothing audited');
      const empty = await api.request('GET', '/api/v1/exports?connections=,');
      assert.equal(empty.status, 400, empty.text);
      assert.equal(empty.body.error.details.problems[0].path, 'query.connections');
      const many = Array.from({ length: 201 }, (_, i) => `c${i}`).join(',');
      const tooMany = await api.request('GET', `/api/v1/exports?connections=${many}`);
      assert.equal(tooMany.status, 400, tooMany.text);
      // a token without access is refused before anything is read
      const anonymous = await fetch(`${api.url}/api/v1/exports?connections=${ids.Slack_Alerts}`);
      assert.equal(anonymous.status, 401);
    });
  });
}
