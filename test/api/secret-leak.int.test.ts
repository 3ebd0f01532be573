// Issue 13, "Done means": no secret value leaves in any form. Connections use secrets in a
// header, the URL's query, a header that follows a redirect, and signing (standard-webhooks
// and hmac-sha256, whose secret is also sent as a header); real targets echo their whole
// request back (body and headers, also percent-encoded and base64), one answers with the
// secret cut at the edge of a delivery's excerpt, one redirects to another origin. After
// invoke, Test Connection (saved and draft) and durable deliveries (single and batch, one
// dead-lettered), a viewer reads every GET the API documents, and this file greps all of it —
// plus the server's log at trace level, the export's unzipped files, the audit export, the
// store's rows and the SQLite files' bytes, and what the other origin received — for each
// secret raw, JSON-escaped (once and twice), percent-encoded, form-encoded and base64.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { redactedLogPaths } from '../../src/main.ts';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { readZip } from '../helpers/read-zip.ts';
import {
  closeAllTargets,
  startHttpTarget,
  type RecordedRequest,
  type Target,
} from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { addUser } from '../helpers/test-users.ts';
import { eventually } from '../helpers/eventually.ts';

after(() => closeAllTargets());

const base = '/api/v1/connections';

/**
 * A secret that starts with 16 random hex characters (so any prefix of it that is 12
 * characters or longer can only come from it) followed by characters every encoding changes.
 */
const secretLike = (tail: string) => `${randomBytes(8).toString('hex')}${tail}`;

/** The forms a value can leak in, each long enough to be the value's own. */
function leakForms(value: string): Array<[string, string]> {
  const bytes = Buffer.from(value, 'utf8');
  const escaped = JSON.stringify(value).slice(1, -1);
  const forms: Array<[string, string]> = [
    ['raw', value],
    ['JSON-escaped', escaped],
    ['JSON-escaped twice', JSON.stringify(escaped).slice(1, -1)],
    ['percent-encoded', encodeURIComponent(value)],
    ['percent-encoded twice', encodeURIComponent(encodeURIComponent(value))],
    ['JSON-escaped, percent-encoded', encodeURIComponent(escaped)],
    ['form-encoded', new URLSearchParams({ v: value }).toString().slice(2)],
    // a prefix left by a cut: any 12 characters of the random start
    ['first 12 characters', value.slice(0, 12)],
  ];
  for (const [label, text] of [
    ['', bytes],
    [' of the JSON-escaped value', Buffer.from(escaped)],
  ] as const) {
    for (let offset = 0; offset < 3; offset++) {
      const shifted = Buffer.concat([Buffer.alloc(offset), text]);
      const first = Math.ceil((offset * 8) / 6);
      const end = Math.floor(((offset + text.length) * 8) / 6);
      forms.push([
        `base64${label} at offset ${offset}`,
        shifted.toString('base64').slice(first, end),
      ]);
      forms.push([
        `base64url${label} at offset ${offset}`,
        shifted.toString('base64url').slice(first, end),
      ]);
    }
  }
  return forms;
}

/**
 * Every string in a text: the text itself and, when it is JSON (an API answer, a log line, a
 * stored row, a JSON answer kept inside another), every string value in it, recursively —
 * so a value escaped twice is seen as its once-escaped and raw forms too.
 */
function stringsOf(text: string, out: string[] = [], depth = 0): string[] {
  out.push(text);
  if (depth > 4) return out;
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[') && !trimmed.startsWith('"')) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return out;
  }
  const visit = (value: unknown): void => {
    if (typeof value === 'string') stringsOf(value, out, depth + 1);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        out.push(key);
        visit(inner);
      }
    }
  };
  visit(parsed);
  return out;
}

/** A target that answers with its whole request: as JSON, as headers, and encoded. */
function startEchoTarget(): Promise<Target> {
  return startHttpTarget((request, response) => {
    const echoed = JSON.stringify({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body.toString('utf8'),
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-echo-url': request.url,
      'x-echo-request-uri': encodeURIComponent(echoed),
      'x-echo-request-base64': Buffer.from(echoed).toString('base64'),
    };
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value !== 'string' || name === 'content-length') continue;
      headers[`x-echo-${name}`] = value;
      headers[`x-echo-${name}-uri`] = encodeURIComponent(value);
      headers[`x-echo-${name}-form`] = new URLSearchParams({ v: value }).toString().slice(2);
      headers[`x-echo-${name}-base64`] = Buffer.from(value).toString('base64');
    }
    const custom = String(request.headers['x-custom'] ?? '');
    let body = JSON.stringify({
      request: JSON.parse(echoed),
      quoted: echoed,
      encoded: {
        uri: encodeURIComponent(custom),
        form: new URLSearchParams({ v: custom }).toString(),
        base64: Buffer.from(custom).toString('base64'),
        base64url: Buffer.from(`:${custom}`).toString('base64url'),
      },
    });
    // the secret across the edge of a delivery's 2,048-character excerpt
    if (request.url.includes('/pad')) body = `${'p'.repeat(2035)}${JSON.stringify(custom)}${body}`;
    const status = request.url.includes('/fail') ? 500 : 200;
    response.writeHead(status, headers).end(body);
  });
}

for (const kind of testStores()) {
  describe(`no secret value leaves in any form, on ${kind.name}`, () => {
    let api: TestApi;
    let viewerToken: string;
    const logLines: string[] = [];
    /** every answer the admin side got while setting up and calling */
    const adminAnswers: string[] = [];
    const secrets = {
      HEADER: secretLike('"s3cr+/ v@lue='),
      QUERY: secretLike('"q u+e/r=y@'),
      SIGNING: `whsec_${randomBytes(32).toString('base64')}`,
      HMAC: secretLike(' "hm@c/k+e=y'),
      REDIRECTED: secretLike('"re+di/ rect='),
    };
    const names = Object.fromEntries(
      Object.keys(secrets).map((key) => [key, uniqueName(`LEAK_${key}`)]),
    ) as Record<keyof typeof secrets, string>;
    const connectionIds: string[] = [];
    const deliveryIds: string[] = [];
    let otherOrigin: Target;

    before(async () => {
      const sink = new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      });
      const logger = pino(
        { level: 'trace', redact: { paths: redactedLogPaths, censor: '****' } },
        sink,
      );
      api = await startTestApi(kind, { logger, deliveryWorker: { pollIntervalMs: 50 } });
      viewerToken = (await addUser(api.services, 'viewer')).token;
      for (const key of Object.keys(secrets) as Array<keyof typeof secrets>) {
        await ok('POST', '/api/v1/secrets', { name: names[key], value: secrets[key] });
      }
      api.services.deliveryWorker.start();
    });
    after(() => api.close());

    async function call(method: string, path: string, body?: unknown) {
      const response = await api.request(method, path, body);
      adminAnswers.push(response.text, JSON.stringify([...response.headers]));
      return response;
    }

    async function ok(method: string, path: string, body?: unknown): Promise<any> {
      const response = await call(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }

    async function deployed(environment: Record<string, unknown>): Promise<string> {
      const created = await ok('POST', base, {
        name: uniqueName('Leak'),
        environments: { development: environment },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      connectionIds.push(created.id);
      return created.id as string;
    }

    async function finished(id: string): Promise<any> {
      return eventually(
        async () => {
          const delivery = await ok('GET', `/api/v1/deliveries/${id}`);
          assert.ok(
            ['succeeded', 'failed'].includes(delivery.status) && delivery.attemptLog.length > 0,
            `delivery ${id} is still ${delivery.status}`,
          );
          return delivery;
        },
        { timeoutMs: 15_000 },
      );
    }

    test('invoke, Test Connection and deliveries against targets that echo their requests', async () => {
      const echo = await startEchoTarget();
      otherOrigin = await startHttpTarget();
      const redirector = await startHttpTarget((_request, response) => {
        response.writeHead(307, { location: `${otherOrigin.origin}/landed` }).end();
      });
      const echoParams = {
        method: 'POST',
        url: `${echo.origin}/echo/{{param.p}}?k={{secret.${names.QUERY}}}&n=1`,
        headers: [
          { name: 'X-Custom', value: `{{secret.${names.HEADER}}}` },
          { name: 'X-Mixed', value: `pre {{secret.${names.QUERY}}} post` },
        ],
        signing: { scheme: 'standard-webhooks', secret: `{{secret.${names.SIGNING}}}` },
        retry: { maxAttempts: 1, waitSeconds: 1, backoff: 'fixed' },
      };
      const main = await deployed(echoParams);
      const hmac = await deployed({
        method: 'PUT',
        url: `${echo.origin}/hmac`,
        headers: [{ name: 'X-Custom', value: `{{secret.${names.HMAC}}}` }],
        signing: {
          scheme: 'hmac-sha256',
          secret: `{{secret.${names.HMAC}}}`,
          header: 'X-Signature',
        },
      });
      const redirected = await deployed({
        method: 'POST',
        url: `${redirector.origin}/start`,
        followRedirects: true,
        headers: [
          { name: 'X-Custom', value: `{{secret.${names.REDIRECTED}}}` },
          { name: 'X-Plain', value: 'plain' },
        ],
      });

      // invoke: an answer, a failure (notified and logged), and a caller trying to place a secret
      for (const p of ['ok', 'fail', 'pad']) {
        const invoked = await ok('POST', `${base}/${main}/invoke`, {
          environment: 'development',
          body: { p: '{{param.p}}', note: 'echo me' },
          params: { p },
        });
        assert.equal(invoked.outcome, p === 'fail' ? 'HTTP_5XX' : 'OK', invoked.message);
      }
      const placed = await call('POST', `${base}/${main}/invoke`, {
        environment: 'development',
        body: { leak: `{{secret.${names.SIGNING}}}`, also: `{{secret.${names.HEADER}}}` },
        params: { p: 'ok' },
      });
      assert.equal(placed.status, 400, placed.text);
      assert.equal(
        (await ok('POST', `${base}/${hmac}/invoke`, { environment: 'development' })).outcome,
        'OK',
      );
      const hop = await ok('POST', `${base}/${redirected}/invoke`, { environment: 'development' });
      assert.equal(hop.outcome, 'OK', hop.message);

      // Test Connection, saved and draft
      for (const id of [main, hmac, redirected]) {
        const tested = await ok('POST', `${base}/${id}/test`, {
          environment: 'development',
          params: { p: 'fail' },
        });
        assert.ok(tested.outcome, tested.message);
      }
      const draft = await ok('POST', `${base}/test`, {
        environment: 'development',
        connection: { name: uniqueName('Leak_Draft'), environments: { development: echoParams } },
        body: '{"draft":"{{param.p}}"}',
        params: { p: 'ok' },
      });
      assert.equal(draft.outcome, 'OK', draft.message);

      // durable deliveries: single, batch, and one dead-lettered; wait for the attempts
      for (const p of ['ok', 'fail', 'pad']) {
        const accepted = await ok('POST', `${base}/${main}/deliveries`, {
          environment: 'development',
          body: { p },
          params: { p },
        });
        deliveryIds.push(accepted.id);
      }
      const batch = await ok('POST', `${base}/${main}/deliveries/batch`, {
        environment: 'development',
        items: [
          { body: 'text body {{param.p}}', params: { p: 'ok' } },
          { body: { p: 'pad' }, params: { p: 'pad' } },
        ],
      });
      deliveryIds.push(...batch.items.map((item: { id: string }) => item.id));
      const hmacDelivery = await ok('POST', `${base}/${hmac}/deliveries`, {
        environment: 'development',
        body: { hmac: true },
      });
      deliveryIds.push(hmacDelivery.id);
      const results = await Promise.all(deliveryIds.map(finished));
      assert.deepEqual(
        results.map((delivery) => delivery.status),
        ['succeeded', 'failed', 'succeeded', 'succeeded', 'succeeded', 'succeeded'],
      );
      const padded = results[2].attemptLog[0].response;
      assert.equal(padded.truncated, true);
      assert.ok(padded.body.startsWith(`${'p'.repeat(2035)}"****`), padded.body.slice(2030, 2048));

      // the targets did get the secrets: the masking below is not vacuous
      const received = echo.requests.map((request) => JSON.stringify(request.headers)).join('\n');
      assert.ok(received.includes(JSON.stringify(secrets.HEADER).slice(1, -1)));
      assert.ok(echo.requests.some((request) => request.url.includes(secrets.QUERY.slice(0, 16))));
    });

    test('a viewer reads every GET of the API, and no secret is in it, nor in logs, exports or data files', async () => {
      const texts: Array<[string, string]> = adminAnswers.map((text) => ['admin answer', text]);
      const document = api.app.swagger() as { paths: Record<string, Record<string, unknown>> };
      const secretNames = Object.values(names);
      const idsFor = (path: string): string[] => {
        if (path.startsWith('/api/v1/connections/{id}')) return connectionIds;
        if (path.startsWith('/api/v1/environments/{id}')) return ['development', 'production'];
        if (path.startsWith('/api/v1/projects/{id}')) return ['default'];
        if (path.startsWith('/api/v1/secrets/{id}')) return secretNames;
        if (path.startsWith('/api/v1/deliveries/{id}')) return deliveryIds;
        return ['none'];
      };
      const viewed: Array<{ path: string; status: number }> = [];
      let zipEntries = 0;
      for (const [template, item] of Object.entries(document.paths)) {
        if (!('get' in item)) continue;
        for (const id of idsFor(template)) {
          const revisions = template.includes('{revision}') ? ['1', '2'] : ['1'];
          for (const revision of revisions) {
            const path = template
              .replace('{id}', encodeURIComponent(id))
              .replace('{revision}', revision)
              .replace('{name}', 'X-Custom');
            const response = await fetch(api.url + path, {
              headers: { authorization: `Bearer ${viewerToken}` },
            });
            const bytes = Buffer.from(await response.arrayBuffer());
            viewed.push({ path, status: response.status });
            texts.push([`GET ${path} headers`, JSON.stringify([...response.headers])]);
            if ((response.headers.get('content-type') ?? '').includes('zip')) {
              for (const entry of await readZip(bytes)) {
                zipEntries += 1;
                texts.push([`GET ${path} → ${entry.path}`, entry.content.toString('utf8')]);
              }
            } else {
              const text = bytes.toString('utf8');
              texts.push([`GET ${path}`, text]);
              // NDJSON (the audit export): each line is JSON of its own
              for (const line of text.split('\n'))
                if (line.startsWith('{')) texts.push([path, line]);
            }
          }
        }
      }
      // not vacuous: the viewer read the things that hold answers, and they are masked
      const okPaths = viewed.filter((view) => view.status === 200).map((view) => view.path);
      for (const expected of [
        `/api/v1/deliveries/${deliveryIds[0]}`,
        `/api/v1/connections/${connectionIds[0]}/export`,
        `${base}/${connectionIds[0]}/revisions/1`,
        '/api/v1/notifications',
        '/api/v1/audit',
        '/api/v1/audit/export',
        '/metrics',
      ]) {
        assert.ok(
          okPaths.includes(expected),
          `${expected}: ${JSON.stringify(viewed.filter((v) => v.path === expected))}`,
        );
      }
      assert.ok(okPaths.length >= 30, `only ${okPaths.length} reads answered 200`);
      assert.ok(zipEntries >= 2, 'the export was unzipped');
      assert.ok(
        texts.some(([, text]) => text.includes('****')),
        'masking happened',
      );

      // the server's log, at trace level
      await api.services.notifications.flush();
      assert.ok(logLines.some((line) => line.includes('outbound call failed')));
      for (const line of logLines) texts.push(['log line', line]);

      // every table as stored, but the sealed secrets; and the SQLite files byte for byte
      const db = api.services.store.db;
      const schema =
        kind.name === 'postgres'
          ? (await sql<{ name: string }>`select current_schema() as name`.execute(db)).rows[0]?.name
          : undefined;
      const tables = (await db.introspection.getTables()).filter(
        (table) => table.schema === schema && table.name !== 'secrets',
      );
      assert.ok(tables.some((table) => table.name === 'delivery_attempts'));
      for (const table of tables) {
        const rows = await db
          .selectFrom(table.name as 'connections')
          .selectAll()
          .execute();
        texts.push([`table ${table.name}`, JSON.stringify(rows)]);
      }
      const files: Array<[string, Buffer]> = [];
      if (kind.name === 'sqlite') {
        const list = await sql<{ file: string }>`PRAGMA database_list`.execute(db);
        const file = list.rows.find((row) => row.file)?.file;
        assert.ok(file);
        for (const path of [file, `${file}-wal`]) {
          if (existsSync(path)) files.push([path, readFileSync(path)]);
        }
        assert.ok(files.length > 0);
      }

      // what the other origin of the redirect received
      const landed: RecordedRequest[] = await otherOrigin.waitForRequests(2);
      for (const request of landed) {
        assert.equal(request.headers['x-plain'], 'plain');
        texts.push(['the redirect target', JSON.stringify(request.rawHeaders)]);
        texts.push(['the redirect target', request.body.toString('latin1')]);
      }

      const strings = texts.map(([where, text]) => [where, stringsOf(text)] as const);
      const leaks: string[] = [];
      for (const [key, value] of Object.entries(secrets)) {
        for (const [form, needle] of leakForms(value)) {
          for (const [where, found] of strings) {
            const hit = found.find((text) => text.includes(needle));
            if (hit !== undefined) {
              const at = hit.indexOf(needle);
              leaks.push(
                `${key} ${form} in ${where}: …${hit.slice(Math.max(0, at - 60), at + 80)}…`,
              );
              break;
            }
          }
          for (const [path, bytes] of files) {
            if (bytes.includes(Buffer.from(needle))) leaks.push(`${key} ${form} in ${path}`);
          }
        }
      }
      assert.deepEqual(leaks.slice(0, 20), []);
    });
  });
}
