// Accepted means delivered, even through a crash: the real `hookline serve` accepts 2,000
// deliveries, is killed with SIGKILL in the middle of sending them, and is started again on
// the same store. Every accepted delivery must reach the target at least once; a repeat is
// allowed only for one that was in flight at the kill, and carries the same webhook-id. On
// SQLite (a file in a temp data directory) and on PostgreSQL (a database made for the test).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { closeAllTargets, startHttpTarget } from '../helpers/target-servers.ts';
import { cleanEnv, startServe, type ServeProcess } from './helpers/hookline-process.ts';

after(() => closeAllTargets());

const token = `hl_crash-test-${randomBytes(16).toString('hex')}`;
const signingKey = `whsec_${randomBytes(32).toString('base64')}`;
const total = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(server: ServeProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as any;
}

/** How many deliveries of the connection have `status` (the list, page by page). */
async function countWithStatus(
  server: ServeProcess,
  connectionId: string,
  status: string,
): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await api(
      server,
      'GET',
      `/api/v1/deliveries?connection=${connectionId}&status=${status}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    count += page.items.length;
    cursor = page.next;
  } while (cursor);
  return count;
}

interface StoreUnderTest {
  name: string;
  env(): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

function storesUnderTest(): StoreUnderTest[] {
  const sqlite: StoreUnderTest = {
    name: 'sqlite',
    env: async () => ({}),
    cleanup: async () => {},
  };
  const url = process.env.HOOKLINE_TEST_DATABASE_URL;
  if (!url) {
    if (process.env.CI === 'true') {
      throw new Error('CI=true but HOOKLINE_TEST_DATABASE_URL is not set');
    }
    return [sqlite];
  }
  const database = `hl_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const postgres: StoreUnderTest = {
    name: 'postgres',
    async env() {
      await admin(`CREATE DATABASE ${database}`);
      const databaseUrl = new URL(url);
      databaseUrl.pathname = `/${database}`;
      return { DATABASE_URL: databaseUrl.toString() };
    },
    cleanup: () => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
  return [sqlite, postgres];
}

for (const store of storesUnderTest()) {
  describe(`kill -9 in the middle of delivery on ${store.name}`, () => {
    // bounded: a worker that stops sending (or a server that ignores SIGTERM) fails the test
    // instead of holding CI
    test(
      `all ${total} accepted deliveries arrive; repeats only of those in flight, same webhook-id`,
      { timeout: 120_000 },
      async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'hookline-crash-'));
        let server: ServeProcess | undefined;
        try {
          /** webhook-id and arrival time of every request, by the delivery's number */
          const arrivals = new Map<number, Array<{ webhookId: string; at: number }>>();
          const target = await startHttpTarget(async (request, response) => {
            const n = Number(request.url.split('/').pop());
            const list = arrivals.get(n) ?? [];
            list.push({ webhookId: String(request.headers['webhook-id']), at: Date.now() });
            arrivals.set(n, list);
            // a little work at the target, so some attempts are in flight at the kill
            await sleep(3);
            response.writeHead(200).end();
          });
          const env = cleanEnv({
            HOOKLINE_BOOTSTRAP_TOKEN: token,
            HOOKLINE_DATA_DIR: dataDir,
            // a dead worker's claims run out after 2 s instead of 120 s
            HOOKLINE_DELIVERY_LEASE_SECONDS: '2',
            HOOKLINE_LOG_LEVEL: 'warn',
            ...(await store.env()),
          });
          server = await startServe(['--port', '0'], { env, cwd: dataDir });
          await api(server, 'POST', '/api/v1/secrets', {
            name: 'CRASH_SIGNING',
            value: signingKey,
          });
          const connection = await api(server, 'POST', '/api/v1/connections', {
            name: `crash_${store.name}`,
            environments: {
              development: {
                method: 'POST',
                url: `${target.origin}/events/{{param.n}}`,
                signing: { scheme: 'standard-webhooks', secret: '{{secret.CRASH_SIGNING}}' },
              },
            },
          });
          await api(server, 'POST', `/api/v1/connections/${connection.id}/deploy`, {
            environment: 'development',
          });

          const accepted: string[] = [];
          for (let from = 0; from < total; from += 1000) {
            const batch = await api(
              server,
              'POST',
              `/api/v1/connections/${connection.id}/deliveries/batch`,
              {
                environment: 'development',
                items: Array.from({ length: 1000 }, (_, i) => ({
                  body: { n: from + i },
                  params: { n: from + i },
                })),
              },
            );
            accepted.push(...batch.items.map((item: { id: string }) => item.id));
          }
          assert.equal(accepted.length, total);

          // kill it while it is sending: some delivered, most not yet
          const killDeadline = Date.now() + 30_000;
          while (arrivals.size < 300) {
            assert.ok(Date.now() < killDeadline, `only ${arrivals.size} arrived before the kill`);
            await sleep(2);
          }
          await server.stop('SIGKILL');
          const killedAt = Date.now();
          const arrivedBeforeKill = arrivals.size;
          assert.ok(arrivedBeforeKill < total, 'the kill came too late to test anything');

          server = await startServe(['--port', '0'], { env, cwd: dataDir });
          const deadline = Date.now() + 60_000;
          while (arrivals.size < total) {
            assert.ok(
              Date.now() < deadline,
              `${arrivals.size} of ${total} arrived after the restart`,
            );
            await sleep(50);
          }

          const repeated = [...arrivals].filter(([, list]) => list.length > 1);
          for (const [n, list] of repeated) {
            assert.equal(
              new Set(list.map((arrival) => arrival.webhookId)).size,
              1,
              `delivery ${n} was repeated with another webhook-id`,
            );
            assert.ok(
              (list[0]?.at ?? Infinity) <= killedAt + 50,
              `delivery ${n} was repeated but had not been sent before the kill`,
            );
          }
          // in flight at the kill: at most the worker's claimed batch (64)
          assert.ok(repeated.length <= 64, `${repeated.length} repeats`);

          // and the store says so too, once the last answers are recorded
          const recordedDeadline = Date.now() + 15_000;
          for (;;) {
            const succeeded = await countWithStatus(server, connection.id, 'succeeded');
            if (succeeded === total) break;
            assert.ok(
              Date.now() < recordedDeadline,
              `${succeeded} of ${total} recorded as succeeded`,
            );
            await sleep(100);
          }
          for (const status of ['pending', 'in_flight', 'failed', 'paused']) {
            assert.equal(await countWithStatus(server, connection.id, status), 0, status);
          }
        } finally {
          // SIGTERM must stop it (the worker finishes what it sends); SIGKILL only if it does not
          const stopped = server?.stop('SIGTERM');
          const timer = setTimeout(() => server?.child.kill('SIGKILL'), 15_000);
          const code = await stopped;
          clearTimeout(timer);
          assert.notEqual(code, null, 'hookline serve did not stop on SIGTERM within 15 s');
          rmSync(dataDir, { recursive: true, force: true });
          await store.cleanup();
        }
      },
    );
  });
}
