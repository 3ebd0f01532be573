import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createApp } from '../../src/api/create-app.ts';
import { systemClock } from '../../src/core/clock.ts';
import type { RuntimeValueChange } from '../../src/domains/secrets/index.ts';
import { redactedLogPaths } from '../../src/main.ts';
import { createServices, seedStore } from '../../src/services.ts';
import { startTestApi, testAdminPassword, testToken, type TestApi } from '../helpers/test-api.ts';
import { addUser } from '../helpers/test-users.ts';
import { testStores } from '../helpers/test-stores.ts';

const base = '/api/v1/secrets';
const root = mkdtempSync(join(tmpdir(), 'hookline-secrets-api-'));
after(() => rmSync(root, { recursive: true, force: true }));

// Values a leak would show: random, so a match can only be the value itself.
const fresh = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
let editorToken = '';

/** An environment variable of this process, named so no other test run shares it. */
const envName = (label: string) => `HL_SECRETS_TEST_${label}_${process.pid}`;

/** A file under the test's temporary directory. */
function secretFile(name: string, content?: string): string {
  const path = join(root, `${name}-${randomBytes(4).toString('hex')}`);
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

async function addEditor(api: TestApi): Promise<void> {
  editorToken = (await addUser(api.services, 'editor', 'editor-user')).token;
}

function problemsOf(response: { body: any }): Array<{ path: string; message: string }> {
  return response.body?.error?.details?.problems ?? [];
}

for (const kind of testStores()) {
  describe(`secrets API on ${kind.name}`, () => {
    let api: TestApi;
    /** every value a test sent: none may appear in any answer or audit record */
    const sentValues: string[] = [];
    const answers: string[] = [];

    before(async () => {
      api = await startTestApi(kind);
      await addEditor(api);
    });
    after(async () => {
      // the audit table as stored, every answer seen: no value anywhere
      const rows = await api.services.store.db.selectFrom('audit_records').selectAll().execute();
      const secretRows = await api.services.store.db.selectFrom('secrets').selectAll().execute();
      const everything = [JSON.stringify(rows), JSON.stringify(secretRows), ...answers].join('\n');
      for (const value of sentValues) {
        assert.ok(!everything.includes(value), `a secret value leaked: ${value.slice(0, 8)}…`);
      }
      await api.close();
    });

    /** api.request, remembering the answer for the leak check. */
    async function call(
      method: string,
      path: string,
      body?: unknown,
      options?: { token?: string | null },
    ) {
      const response = await api.request(method, path, body, options);
      answers.push(response.text, JSON.stringify([...response.headers]));
      return response;
    }

    async function createStored(name: string, value = fresh('v')) {
      sentValues.push(value);
      const response = await call('POST', base, { name, value });
      assert.equal(response.status, 201, response.text);
      return { value, secret: response.body };
    }

    test('creates a stored secret and answers its metadata, never its value', async () => {
      const value = fresh('sk_live');
      sentValues.push(value);
      const response = await call('POST', base, {
        name: 'Crm_Token',
        description: 'CRM API token',
        value,
      });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.headers.get('location'), '/api/v1/secrets/Crm_Token');
      const secret = response.body;
      assert.match(secret.id, /^sec_[0-9a-z]{26}$/);
      assert.deepEqual(
        {
          name: secret.name,
          description: secret.description,
          source: secret.source,
          version: secret.version,
          createdBy: secret.createdBy,
          updatedBy: secret.updatedBy,
        },
        {
          name: 'Crm_Token',
          description: 'CRM API token',
          source: 'stored',
          version: 1,
          createdBy: 'admin',
          updatedBy: 'admin',
        },
      );
      assert.match(secret.keyId, /^[0-9a-f]{8}$/);
      assert.equal(secret.value, undefined);
      assert.ok(!response.text.includes(value));
      assert.equal(await api.services.secrets.resolveSecret('Crm_Token'), value);
    });

    test('stores only ciphertext: the row holds neither the value nor its base64', async () => {
      const { value } = await createStored('Row_Check');
      const row = await api.services.store.db
        .selectFrom('secrets')
        .selectAll()
        .where('name_key', '=', 'row_check')
        .executeTakeFirstOrThrow();
      const text = JSON.stringify(row);
      assert.ok(!text.includes(value));
      assert.ok(!text.includes(Buffer.from(value).toString('base64')));
      assert.equal(Buffer.from(row.nonce!, 'base64').length, 12);
      assert.equal(Buffer.from(row.tag!, 'base64').length, 16);
    });

    test('refuses a second secret with the same name in another case with SECRET_EXISTS', async () => {
      await createStored('Dup_Name');
      const value = fresh('dup');
      sentValues.push(value);
      const response = await call('POST', base, { name: 'DUP_NAME', value });
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'SECRET_EXISTS');
      assert.match(response.body.error.message, /'Dup_Name' already exists/);
    });

    test('20 parallel creates of one name: exactly one 201, the others SECRET_EXISTS', async () => {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const value = fresh(`race${i}`);
          sentValues.push(value);
          return call('POST', base, { name: i % 2 ? 'Race_Secret' : 'race_secret', value });
        }),
      );
      const statuses = responses.map((r) =>
        r.status === 201 ? '201' : `${r.status} ${r.body.error.code}`,
      );
      assert.equal(statuses.filter((s) => s === '201').length, 1, statuses.join());
      assert.equal(statuses.filter((s) => s === '409 SECRET_EXISTS').length, 19, statuses.join());
    });

    test('reads a secret by name in any case and by id; an unknown one is NOT_FOUND', async () => {
      const { secret } = await createStored('Lookup_Me');
      for (const ref of ['Lookup_Me', 'lookup_me', secret.id]) {
        const response = await call('GET', `${base}/${ref}`);
        assert.equal(response.status, 200, ref);
        assert.equal(response.body.id, secret.id);
      }
      const missing = await call('GET', `${base}/No_Such_Secret`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'NOT_FOUND');
    });

    test('lists metadata in name order, page by page, with filters', async () => {
      for (const name of ['Page_C', 'Page_A', 'Page_B']) await createStored(name);
      const names: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?q=page_&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await call('GET', `${base}${query}`);
        assert.equal(page.status, 200, page.text);
        assert.ok(page.body.items.length <= 2);
        for (const item of page.body.items) {
          assert.equal(item.value, undefined);
          names.push(item.name);
        }
        cursor = page.body.next;
        pages += 1;
      } while (cursor !== null && pages < 10);
      assert.deepEqual(names, ['Page_A', 'Page_B', 'Page_C']);
      assert.equal(pages, 2);
      const stored = await call('GET', `${base}?source=env&q=page_`);
      assert.deepEqual(stored.body.items, []);
      const bad = await call('GET', `${base}?cursor=bm9wZQ`);
      assert.equal(bad.status, 400);
      assert.deepEqual(
        problemsOf(bad).map((p) => p.path),
        ['query.cursor'],
      );
    });

    test('rotates a secret: version 2, the new value resolves, listeners hear of it', async () => {
      const { secret } = await createStored('Rotate_Me');
      const heard: RuntimeValueChange[] = [];
      const stop = api.services.secrets.onChange((change) => heard.push(change));
      const versionBefore = api.services.secrets.changeVersion();
      assert.ok(await api.services.secrets.resolveSecret('Rotate_Me'));
      const next = fresh('rotated');
      sentValues.push(next);
      const response = await call('PUT', `${base}/rotate_me`, { value: next });
      stop();
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.version, 2);
      assert.equal(response.body.id, secret.id);
      assert.equal(response.body.description, secret.description);
      assert.equal(await api.services.secrets.resolveSecret('ROTATE_ME'), next);
      assert.deepEqual(heard, [{ kind: 'secret', name: 'Rotate_Me', action: 'update' }]);
      assert.equal(api.services.secrets.changeVersion(), versionBefore + 1);
    });

    test('changes the description with PATCH without touching the value or the version', async () => {
      const { value } = await createStored('Describe_Me');
      const response = await call('PATCH', `${base}/Describe_Me`, { description: 'now said' });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.description, 'now said');
      assert.equal(response.body.version, 1);
      assert.equal(await api.services.secrets.resolveSecret('Describe_Me'), value);
    });

    test('deletes a secret: 204, then NOT_FOUND, and it no longer resolves', async () => {
      await createStored('Delete_Me');
      assert.ok(await api.services.secrets.resolveSecret('Delete_Me'));
      assert.equal((await call('DELETE', `${base}/delete_me`)).status, 204);
      assert.equal((await call('GET', `${base}/Delete_Me`)).status, 404);
      assert.equal(await api.services.secrets.resolveSecret('Delete_Me'), undefined);
      const detailed = await api.services.secrets.resolveSecretDetailed('Delete_Me');
      assert.deepEqual(detailed, { problem: "there is no secret named 'Delete_Me'" });
      assert.equal((await call('DELETE', `${base}/delete_me`)).status, 404);
    });

    test('an env secret whose variable is unset saves with a warning and resolves once it is set', async () => {
      const variable = envName('UNSET');
      Reflect.deleteProperty(process.env, variable);
      const response = await call('POST', base, { name: 'From_Env', env: variable });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.body.source, 'env');
      assert.equal(response.body.env, variable);
      assert.equal(response.body.keyId, undefined);
      assert.deepEqual(
        response.body.warnings.map((w: { code: string; path: string }) => [w.code, w.path]),
        [['SECRET_SOURCE_UNAVAILABLE', 'env']],
      );
      assert.match(response.body.warnings[0].message, new RegExp(`${variable} is not set`));
      const unset = await call('GET', `${base}/From_Env/status`);
      assert.deepEqual(
        { resolvable: unset.body.resolvable, source: unset.body.source },
        { resolvable: false, source: 'env' },
      );
      assert.equal(await api.services.secrets.resolveSecret('From_Env'), undefined);

      const value = fresh('env');
      sentValues.push(value);
      process.env[variable] = value;
      try {
        // read at call time: no change through the API needed
        assert.equal(await api.services.secrets.resolveSecret('From_Env'), value);
        const set = await call('GET', `${base}/From_Env/status`);
        assert.deepEqual(set.body, {
          name: 'From_Env',
          source: 'env',
          version: 1,
          resolvable: true,
          problem: null,
        });
        const again = await call('PUT', `${base}/From_Env`, { env: variable });
        assert.equal(again.body.warnings, undefined);
        assert.equal(again.body.version, 2);
      } finally {
        Reflect.deleteProperty(process.env, variable);
      }
    });

    test('a file secret reads the file at call time, one trailing newline removed; a missing file warns', async () => {
      const path = secretFile('token');
      const response = await call('POST', base, { name: 'From_File', file: path });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.body.file, path);
      assert.deepEqual(
        response.body.warnings.map((w: { code: string; path: string }) => [w.code, w.path]),
        [['SECRET_SOURCE_UNAVAILABLE', 'file']],
      );
      assert.match(response.body.warnings[0].message, /does not exist/);
      assert.equal(await api.services.secrets.resolveSecret('From_File'), undefined);

      const first = fresh('file');
      sentValues.push(first);
      writeFileSync(path, `${first}\n`);
      assert.equal(await api.services.secrets.resolveSecret('From_File'), first);
      // a rotated mounted file is noticed by checkSources, which tells the listeners
      await api.services.secrets.checkSources();
      const heard: RuntimeValueChange[] = [];
      const stop = api.services.secrets.onChange((change) => heard.push(change));
      const second = fresh('file2');
      sentValues.push(second);
      writeFileSync(path, `${second}\n`);
      const changed = await api.services.secrets.checkSources();
      stop();
      assert.deepEqual(changed, ['From_File']);
      assert.deepEqual(heard, [{ kind: 'secret', name: 'From_File', action: 'source-changed' }]);
      assert.equal(await api.services.secrets.resolveSecret('From_File'), second);
      assert.deepEqual(await api.services.secrets.checkSources(), []);
    });

    test('refuses env and file sources that would read Hookline’s own credentials or kernel files', async () => {
      const reserved = await call('POST', base, { name: 'Steal_Key', env: 'HOOKLINE_MASTER_KEY' });
      assert.equal(reserved.status, 400);
      assert.deepEqual(
        problemsOf(reserved).map((p) => p.path),
        ['env'],
      );
      const database = await call('POST', base, { name: 'Steal_Db', env: 'DATABASE_URL' });
      assert.deepEqual(
        problemsOf(database).map((p) => p.path),
        ['env'],
      );
      const environ = await call('POST', base, { name: 'Steal_Env', file: '/proc/self/environ' });
      assert.equal(environ.status, 400);
      assert.deepEqual(
        problemsOf(environ).map((p) => p.path),
        ['file'],
      );
      assert.match(problemsOf(environ)[0]!.message, /\/proc/);
    });

    test('only an admin may create env and file secrets; an editor may store a value', async () => {
      const asEditor = { token: editorToken };
      const env = await call('POST', base, { name: 'Editor_Env', env: 'PATH' }, asEditor);
      assert.equal(env.status, 403);
      assert.equal(env.body.error.code, 'FORBIDDEN');
      const file = await call(
        'POST',
        base,
        { name: 'Editor_File', file: '/etc/hostname' },
        asEditor,
      );
      assert.equal(file.status, 403);
      const value = fresh('editor');
      sentValues.push(value);
      const stored = await call('POST', base, { name: 'Editor_Stored', value }, asEditor);
      assert.equal(stored.status, 201, stored.text);
      assert.equal(stored.body.createdBy, 'editor-user');
      const rotate = await call('PUT', `${base}/Editor_Stored`, { env: 'PATH' }, asEditor);
      assert.equal(rotate.status, 403);
      assert.equal((await call('GET', `${base}/Editor_Env`)).status, 404);
    });

    test('reports every problem of a body at its field path, quoting no value', async () => {
      const value = fresh('bad');
      sentValues.push(value);
      const cases: Array<[unknown, string[]]> = [
        [{ name: 'No_Source' }, ['']],
        [{ name: 'Two_Sources', value, env: 'SOME_VAR' }, ['env']],
        [{ name: 'Three', value, env: 'SOME_VAR', file: '/tmp/x' }, ['env', 'file']],
        [{ name: '1starts-with-digit', value }, ['name']],
        [{ name: 'has space', value }, ['name']],
        [{ name: 'Empty_Value', value: '' }, ['value']],
        [{ name: 'Big_Value', value: 'x'.repeat(65537) }, ['value']],
        [{ name: 'Bad_Env', env: '1NOPE' }, ['env']],
        [{ name: 'Relative_File', file: 'secrets/token' }, ['file']],
        [{ name: 'Unknown_Field', value, extra: value }, ['extra']],
        [{ name: 'Number_Value', value: 12345 }, ['value']],
      ];
      for (const [body, paths] of cases) {
        const response = await call('POST', base, body);
        assert.equal(response.status, 400, JSON.stringify(body).slice(0, 80));
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          problemsOf(response)
            .map((p) => p.path)
            .sort(),
          paths.sort(),
        );
        assert.ok(!response.text.includes(value));
      }
      const multiByte = 'é'.repeat(32768); // 65,536 bytes: exactly the limit
      sentValues.push(multiByte);
      assert.equal((await call('POST', base, { name: 'At_Limit', value: multiByte })).status, 201);
    });

    test('a value shorter than 8 characters is refused at value; a short env or file value is reported, never used', async () => {
      for (const [method, path, body] of [
        ['POST', base, { name: 'Too_Short', value: 'seven77' }],
        ['POST', base, { name: 'Short_Chars', value: '🔑🔑🔑🔑🔑🔑🔑' }],
        ['PUT', `${base}/Short_Rotated`, { value: 'abc' }],
      ] as const) {
        if (method === 'PUT') await createStored('Short_Rotated');
        const response = await call(method, path, body);
        assert.equal(response.status, 400, response.text);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          problemsOf(response).map((p) => p.path),
          ['value'],
        );
        assert.match(problemsOf(response)[0]?.message ?? '', /at least 8 characters/);
      }
      assert.equal((await call('GET', `${base}/Too_Short`)).status, 404);
      await createStored('Eight_Chars', 'exactly8');

      // an env or file value changes outside Hookline: read when a call needs it, not at save
      const variable = envName('SHORT');
      process.env[variable] = 'short';
      const path = secretFile('short', 'tiny\n');
      try {
        for (const [name, source, where] of [
          ['Short_Env', { env: variable }, `environment variable ${variable}`],
          ['Short_File', { file: path }, path],
        ] as const) {
          const created = await call('POST', base, { name, ...source });
          assert.equal(created.status, 201, created.text);
          assert.deepEqual(
            created.body.warnings.map((w: { code: string }) => w.code),
            ['SECRET_SOURCE_UNAVAILABLE'],
          );
          assert.ok(created.body.warnings[0].message.includes(where));
          assert.match(created.body.warnings[0].message, /shorter than 8 characters/);
          const status = await call('GET', `${base}/${name}/status`);
          assert.equal(status.body.resolvable, false);
          assert.match(status.body.problem, /shorter than 8 characters, too short to be masked/);
        }
      } finally {
        Reflect.deleteProperty(process.env, variable);
      }
    });

    test('answers a malformed body with INVALID_JSON that does not quote the secret', async () => {
      const value = fresh('sk_live_malformed');
      sentValues.push(value);
      const response = await call('POST', base, `{"name": "Broken", "value": ${value}}`);
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'INVALID_JSON');
      assert.ok(!response.text.includes(value.slice(0, 10)), response.text);
      const put = await call('PUT', `${base}/Crm_Token`, `{"value": "${value}" oops}`);
      assert.equal(put.body.error.code, 'INVALID_JSON');
      assert.ok(!put.text.includes(value.slice(0, 10)), put.text);
    });

    test('audits create, rotate, update and delete with metadata only', async () => {
      const { secret, value } = await createStored('Audited_Secret');
      const rotated = fresh('audited2');
      sentValues.push(rotated);
      await call('PUT', `${base}/Audited_Secret`, { value: rotated });
      await call('PATCH', `${base}/Audited_Secret`, { description: 'described' });
      await call('DELETE', `${base}/Audited_Secret`);
      const audit = await call('GET', `/api/v1/audit?targetType=secret&targetId=${secret.id}`);
      assert.equal(audit.status, 200);
      const items = audit.body.items as any[];
      assert.deepEqual(
        items.map((r) => r.action),
        ['secret.delete', 'secret.update', 'secret.rotate', 'secret.create'],
      );
      const [remove, update, rotate, create] = items;
      assert.equal(create.before, null);
      assert.equal(create.after.name, 'Audited_Secret');
      assert.equal(create.after.version, 1);
      assert.deepEqual([rotate.before.version, rotate.after.version], [1, 2]);
      assert.deepEqual([update.before.description, update.after.description], ['', 'described']);
      assert.equal(remove.after, null);
      assert.equal(remove.before.version, 2);
      const rows = await api.services.store.db
        .selectFrom('audit_records')
        .selectAll()
        .where('target_id', '=', secret.id)
        .execute();
      assert.equal(rows.length, 4);
      const stored = JSON.stringify(rows);
      for (const text of [value, rotated, 'ciphertext', 'nonce']) {
        assert.ok(!stored.includes(text), `audit rows hold ${text.slice(0, 8)}`);
      }
      for (const row of rows) {
        for (const side of [row.before, row.after]) {
          if (side === null) continue;
          assert.deepEqual(Object.keys(JSON.parse(side)).sort(), [
            'createdAt',
            'createdBy',
            'description',
            'id',
            'keyId',
            'name',
            'source',
            'updatedAt',
            'updatedBy',
            'version',
          ]);
        }
      }
    });

    test('serves resolved rows from memory until a change or invalidate()', async () => {
      const { secret, value } = await createStored('Cached_Secret');
      assert.equal(await api.services.secrets.resolveSecret('Cached_Secret'), value);
      // behind the service's back: the cache does not see it
      await api.services.store.db.deleteFrom('secrets').where('id', '=', secret.id).execute();
      assert.equal(await api.services.secrets.resolveSecret('Cached_Secret'), value);
      const heard: RuntimeValueChange[] = [];
      const stop = api.services.secrets.onChange((change) => heard.push(change));
      api.services.secrets.invalidate();
      stop();
      assert.deepEqual(heard, [{ kind: 'secret', name: '*', action: 'invalidate' }]);
      assert.equal(await api.services.secrets.resolveSecret('Cached_Secret'), undefined);
    });

    test('a tampered row or a ciphertext moved to another name is refused, naming the secret', async () => {
      const { secret: a } = await createStored('Tamper_A');
      const { secret: b, value: bValue } = await createStored('Tamper_B');
      const db = api.services.store.db;
      const rowA = await db
        .selectFrom('secrets')
        .selectAll()
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      const nonce = Buffer.from(rowA.nonce!, 'base64');
      nonce[0]! ^= 1;
      await db
        .updateTable('secrets')
        .set({ nonce: nonce.toString('base64') })
        .where('id', '=', a.id)
        .execute();
      const rowB = await db
        .selectFrom('secrets')
        .selectAll()
        .where('id', '=', b.id)
        .executeTakeFirstOrThrow();
      const { ciphertext, nonce: n, tag } = rowB;
      // B's sealed value copied onto C: it must not open as C
      const { secret: c } = await createStored('Tamper_C');
      await db
        .updateTable('secrets')
        .set({ ciphertext, nonce: n, tag })
        .where('id', '=', c.id)
        .execute();
      api.services.secrets.invalidate();
      for (const name of ['Tamper_A', 'Tamper_C']) {
        const status = await call('GET', `${base}/${name}/status`);
        assert.equal(status.body.resolvable, false);
        assert.match(status.body.problem, new RegExp(`secret '${name}' cannot be decrypted`));
        assert.equal(await api.services.secrets.resolveSecret(name), undefined);
      }
      assert.equal(await api.services.secrets.resolveSecret('Tamper_B'), bValue);
    });
  });

  describe(`secrets under another master key on ${kind.name}`, () => {
    test('says the secret was encrypted with another master key, and counts such secrets', async () => {
      const { store, cleanup } = await kind.open();
      try {
        const keyA = randomBytes(32);
        const first = createServices({ store, clock: systemClock, masterKey: keyA });
        await seedStore(first);
        const value = fresh('keyed');
        await first.secrets.create(
          { name: 'Keyed_Secret', description: '', value },
          { id: 'tok', name: 'admin', role: 'admin' },
        );
        assert.equal(await first.secrets.resolveSecret('Keyed_Secret'), value);
        const second = createServices({ store, clock: systemClock, masterKey: randomBytes(32) });
        const detailed = await second.secrets.resolveSecretDetailed('Keyed_Secret');
        assert.ok('problem' in detailed);
        assert.match(
          detailed.problem,
          /secret 'Keyed_Secret' was encrypted with another master key/,
        );
        assert.equal(await second.secrets.resolveSecret('Keyed_Secret'), undefined);
        const check = await second.secrets.checkMasterKey();
        assert.equal(check.storedSecrets, 1);
        assert.deepEqual(check.otherKeys, [
          { keyId: (await first.secrets.checkMasterKey()).keyId, count: 1 },
        ]);
        assert.deepEqual((await first.secrets.checkMasterKey()).otherKeys, []);
      } finally {
        await cleanup();
      }
    });
  });

  describe(`secret values in the log on ${kind.name}`, () => {
    test('no log line at trace level holds a value, whatever the request did', async () => {
      const { store, cleanup } = await kind.open();
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const logger = pino(
        { level: 'trace', redact: { paths: redactedLogPaths, censor: '****' } },
        sink,
      );
      const services = createServices({ store, clock: systemClock });
      await seedStore(services);
      await services.access.ensureBootstrapToken({
        dataDir: '/nonexistent',
        bootstrapToken: testToken,
        adminPassword: testAdminPassword,
      });
      const app = await createApp({ services, logger, validateResponses: true });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const values = [fresh('log1'), fresh('log2'), fresh('log3')];
      const send = (method: string, path: string, body: string) =>
        fetch(url + path, {
          method,
          headers: { authorization: `Bearer ${testToken}`, 'content-type': 'application/json' },
          body,
        });
      try {
        const responses = [
          await send('POST', base, JSON.stringify({ name: 'Logged', value: values[0] })),
          await send('PUT', `${base}/Logged`, JSON.stringify({ value: values[1] })),
          await send('POST', base, JSON.stringify({ name: 'Logged', value: values[2] })),
          await send('POST', base, `{"name": "Bad", "value": ${values[2]}}`),
          await send('POST', base, JSON.stringify({ name: 'Two', value: values[2], env: 'X' })),
          await send('PUT', `${base}/Missing`, JSON.stringify({ value: values[2] })),
        ];
        assert.deepEqual(
          responses.map((r) => r.status),
          [201, 200, 409, 400, 400, 404],
        );
        for (const response of responses) {
          const text = await response.text();
          // a prefix: V8's JSON syntax error quotes only ~10 characters around the mistake
          for (const value of values) assert.ok(!text.includes(value.slice(0, 10)), text);
        }
        assert.equal(await services.secrets.resolveSecret('Logged'), values[1]);
      } finally {
        await app.close();
        await cleanup();
      }
      const log = lines.join('');
      assert.ok(
        log.includes('incoming request'),
        'the logger wrote nothing: the check would be empty',
      );
      for (const value of values) assert.ok(!log.includes(value), 'a secret value was logged');
    });
  });
}
