// The real `hookline` binary for durable delivery: a server spawned with `serve --port 0` on
// SQLite in a temp data directory, real targets on 127.0.0.1 answering 200, 422 or 500, and
// every CLI command its own child process — `send`, `deliveries list|show|replay` as a user
// runs them. Waits for the server's workers go through the API at ~50 ms, bounded.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import {
  closeAllTargets,
  startHttpTarget,
  startStatusTarget,
  type RecordedRequest,
  type Target,
} from '../helpers/target-servers.ts';
import {
  cleanEnv,
  runHookline,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/hookline-process.ts';
import { parseTable, field } from './helpers/cli-output.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-deliveries-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));
after(() => closeAllTargets());

/** The id of `accepted delivery dlv_… (pending)`. */
function acceptedId(stdout: string): string {
  const match =
    /^accepted delivery (dlv_[0-9a-z]{26}) \((pending|in_flight|succeeded|failed)\)$/m.exec(stdout);
  assert.ok(match, `no accepted line in:\n${stdout}`);
  return match[1]!;
}

/** Does `request` carry a valid standard-webhooks signature for `secret`? */
function isSignedWith(request: RecordedRequest, secret: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body.toString('utf8')}`;
  const expected = createHmac('sha256', key).update(signed).digest('base64');
  return String(request.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

describe('hookline send / deliveries list / show / replay', () => {
  const dataDir = join(root, 'data');
  const signingSecret = `whsec_${randomBytes(32).toString('base64')}`;
  let server: ServeProcess;
  let adminToken: string;
  let env: NodeJS.ProcessEnv;
  let accepting: Target;
  let refusing: Target;
  let bulk: Target;
  let down: Target;

  async function hookline(args: string[]): Promise<CliResult> {
    const result = await runHookline(args, { env, cwd: root });
    assert.ok(
      !`${result.stdout}${result.stderr}`.includes(signingSecret),
      `the signing secret was printed by ${args.join(' ')}`,
    );
    return result;
  }
  const ok = (result: CliResult) => {
    assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  /** The items of `hookline deliveries list …filters --json`. */
  async function listedJson(...filters: string[]): Promise<any[]> {
    return JSON.parse(ok(await hookline(['deliveries', 'list', ...filters, '--json']))).items;
  }
  async function createDeployed(name: string, development: Record<string, unknown>) {
    const file = join(root, `${name}.json`);
    writeFileSync(file, JSON.stringify({ name, environments: { development } }));
    ok(await hookline(['connections', 'create', '-f', file]));
    ok(await hookline(['connections', 'deploy', name, '--env', 'development']));
  }
  const signing = { scheme: 'standard-webhooks', secret: '{{secret.HOOK_SIGNING}}' };

  /** GET /api/v1/deliveries/{id}, for waiting on the workers without spawning a CLI. */
  async function getDelivery(id: string): Promise<any> {
    const response = await fetch(`${server.url}/api/v1/deliveries/${id}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    assert.equal(response.status, 200);
    return response.json();
  }
  /** Polls every ~50 ms until `done(delivery)`; fails after `timeoutMs`. */
  async function waitForDelivery(id: string, done: (delivery: any) => boolean, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const delivery = await getDelivery(id);
      if (done(delivery)) return delivery;
      if (Date.now() > deadline) {
        assert.fail(
          `delivery ${id} did not get there within ${timeoutMs} ms: ${JSON.stringify(delivery)}`,
        );
      }
      await sleep(50);
    }
  }

  before(async () => {
    accepting = await startHttpTarget();
    refusing = await startStatusTarget(422, { 'content-type': 'text/plain' }, 'unknown order');
    bulk = await startStatusTarget(422, { 'content-type': 'text/plain' }, 'no');
    down = await startStatusTarget(500, { 'content-type': 'text/plain' }, 'database down');
    server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'warn'], {
      env: cleanEnv(),
      cwd: root,
    });
    adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    env = cleanEnv({
      HOOKLINE_URL: server.url,
      HOOKLINE_TOKEN: adminToken,
      HOOK_SIGNING_VALUE: signingSecret,
    });
    ok(await hookline(['secrets', 'create', 'HOOK_SIGNING', '--from-env', 'HOOK_SIGNING_VALUE']));
    await createDeployed('Orders_Dlv', {
      method: 'POST',
      url: `${accepting.origin}/orders/{{param.id}}`,
      signing,
    });
    await createDeployed('Refused_Dlv', { method: 'POST', url: `${refusing.origin}/`, signing });
    await createDeployed('Bulk_Dlv', { method: 'POST', url: `${bulk.origin}/` });
    // retried in an hour: stays pending for the whole test (signed, so a POST is safe to repeat)
    await createDeployed('Down_Dlv', {
      method: 'POST',
      url: `${down.origin}/`,
      signing,
      retry: { maxAttempts: 3, waitSeconds: 3600, backoff: 'fixed' },
    });
  });
  after(async () => {
    await server?.stop();
    assert.ok(!server.output().includes(signingSecret), 'the server logged the signing secret');
  });

  test('send exits 0 once accepted, prints the id, and the target receives the call', async () => {
    const stdout = ok(
      await hookline([
        'send',
        'Orders_Dlv',
        '--env',
        'development',
        '--data',
        '{"order":7,"total":1.10,"big":12345678901234567890}',
        '--param',
        'id=7',
        '--header',
        'X-Caller: cli',
      ]),
    );
    const id = acceptedId(stdout);
    const [received] = await accepting.waitForRequests(1);
    assert.ok(received);
    assert.equal(received.url, '/orders/7');
    assert.equal(
      received.body.toString('utf8'),
      '{"order":7,"total":1.10,"big":12345678901234567890}',
      'numbers arrive exactly as written',
    );
    assert.equal(received.headers['x-caller'], 'cli');
    assert.ok(isSignedWith(received, signingSecret), 'signed with the standard-webhooks key');
    const delivery = await waitForDelivery(id, (d) => d.status === 'succeeded');
    assert.equal(received.headers['webhook-id'], delivery.messageId);

    const json = JSON.parse(
      ok(
        await hookline([
          'send',
          'Orders_Dlv',
          '--env',
          'development',
          '--data',
          '"plain text"',
          '--param',
          'id=8',
          '--json',
        ]),
      ),
    );
    assert.match(json.id, /^dlv_/);
    assert.equal(json.duplicate, false);
    const [, second] = await accepting.waitForRequests(2);
    assert.equal(second?.body.toString('utf8'), 'plain text', 'a JSON string is sent as its text');

    // a retried send with the same --idempotency-key is accepted once
    const keyed = ['send', 'Orders_Dlv', '--env', 'development', '--param', 'id=9'];
    const firstKeyed = ok(await hookline([...keyed, '--idempotency-key', 'order-9']));
    const againKeyed = ok(await hookline([...keyed, '--idempotency-key', 'order-9']));
    const keyedId = acceptedId(firstKeyed);
    assert.match(
      againKeyed,
      new RegExp(`already accepted with this Idempotency-Key: delivery ${keyedId}`),
    );
    await waitForDelivery(keyedId, (d) => d.status === 'succeeded');
    await sleep(200);
    assert.equal(
      accepting.requests.filter((request) => request.url === '/orders/9').length,
      1,
      'sent once',
    );
  });

  test('send --wait --data @file exits 0 when the target answers 200', async () => {
    const file = join(root, 'order.json');
    writeFileSync(file, JSON.stringify({ order: 9, items: [1, 2] }));
    const before = accepting.requests.length;
    const stdout = ok(
      await hookline([
        'send',
        'Orders_Dlv',
        '--env',
        'development',
        '--data',
        `@${file}`,
        '--param',
        'id=9',
        '--wait',
        '--timeout',
        '5',
      ]),
    );
    const id = acceptedId(stdout);
    assert.equal(field(stdout, 'Delivery'), id);
    assert.equal(field(stdout, 'Status'), 'succeeded');
    assert.equal(field(stdout, 'Attempts'), '1');
    assert.equal(field(stdout, 'Last outcome'), 'OK 200');
    const received = accepting.requests[before];
    assert.deepEqual(JSON.parse(received?.body.toString('utf8') ?? ''), {
      order: 9,
      items: [1, 2],
    });
  });

  test('send --wait exits 1 and prints the reason when the target answers 422', async () => {
    const result = await hookline([
      'send',
      'Refused_Dlv',
      '--env',
      'development',
      '--data',
      '{"order":10}',
      '--wait',
    ]);
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    const id = acceptedId(result.stdout);
    assert.equal(field(result.stdout, 'Status'), 'failed');
    assert.equal(field(result.stdout, 'Last outcome'), 'HTTP_4XX 422');
    assert.match(field(result.stdout, 'Reason') ?? '', /422/);
    assert.match(result.stderr, new RegExp(`^hookline: delivery ${id} failed: .*422`, 'm'));

    const json = await hookline([
      'send',
      'Refused_Dlv',
      '--env',
      'development',
      '--wait',
      '--json',
    ]);
    assert.equal(json.code, 1);
    const delivery = JSON.parse(json.stdout);
    assert.deepEqual(
      [delivery.status, delivery.lastOutcome, delivery.lastStatus],
      ['failed', 'HTTP_4XX', 422],
    );
    assert.equal(delivery.attemptLog.length, 1);
  });

  test('bad --data is a usage error (exit 2) and nothing is sent', async () => {
    const before = accepting.requests.length;
    const invalid = await hookline([
      'send',
      'Orders_Dlv',
      '--env',
      'development',
      '--data',
      '{order:',
    ]);
    assert.equal(invalid.code, 2, invalid.stderr);
    assert.match(invalid.stderr, /^hookline: --data is not valid JSON/m);

    const file = join(root, 'broken.json');
    writeFileSync(file, '{"order": 1,');
    const broken = await hookline([
      'send',
      'Orders_Dlv',
      '--env',
      'development',
      '--data',
      `@${file}`,
    ]);
    assert.equal(broken.code, 2, broken.stderr);
    assert.match(broken.stderr, /broken\.json is not valid JSON/);

    const missing = await hookline([
      'send',
      'Orders_Dlv',
      '--env',
      'development',
      '--data',
      `@${join(root, 'missing.json')}`,
    ]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /cannot read .*missing\.json/);

    const timeoutAlone = await hookline([
      'send',
      'Orders_Dlv',
      '--env',
      'development',
      '--timeout',
      '5',
    ]);
    assert.equal(timeoutAlone.code, 2);
    assert.match(timeoutAlone.stderr, /--timeout goes with --wait/);

    await sleep(200);
    assert.equal(accepting.requests.length, before);
  });

  test('send --wait gives up after --timeout with exit 3 while the delivery is retried', async () => {
    const startedMs = Date.now();
    const result = await hookline([
      'send',
      'Down_Dlv',
      '--env',
      'development',
      '--wait',
      '--timeout',
      '1',
    ]);
    assert.equal(result.code, 3, `${result.stdout}\n${result.stderr}`);
    assert.ok(Date.now() - startedMs < 5000);
    const id = acceptedId(result.stdout);
    assert.match(field(result.stdout, 'Status') ?? '', /^(pending|in_flight)$/);
    assert.match(
      result.stderr,
      new RegExp(`^hookline: delivery ${id} is still (pending|in_flight) after 1 s`, 'm'),
    );
  });

  test('deliveries list shows the rows, filtered by connection name and status', async () => {
    const failed = parseTable(
      ok(
        await hookline(['deliveries', 'list', '--connection', 'Refused_Dlv', '--status', 'failed']),
      ),
    );
    assert.deepEqual(failed.header, [
      'ID',
      'CONNECTION',
      'ENV',
      'STATUS',
      'ATTEMPTS',
      'LAST',
      'UPDATED',
    ]);
    assert.equal(failed.rows.length, 2);
    for (const row of failed.rows) {
      assert.match(row[0] ?? '', /^dlv_/);
      assert.deepEqual(row.slice(1, 6), [
        'Refused_Dlv',
        'development',
        'failed',
        '1',
        'HTTP_4XX 422',
      ]);
    }

    const succeeded = await listedJson('--status', 'succeeded', '--env', 'development');
    // the first test's three sends (order 7, 8 and the keyed 9, sent once) and --wait's
    assert.equal(succeeded.length, 4);
    assert.ok(succeeded.every((d: any) => d.connection.name === 'Orders_Dlv'));

    const none = await hookline(['deliveries', 'list', '--connection', 'No_Such_Dlv']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^error NOT_FOUND: /m);
  });

  test('deliveries show prints the fields and the attempts', async () => {
    const [failedOne] = await listedJson('--connection', 'Refused_Dlv', '--status', 'failed');
    const stdout = ok(await hookline(['deliveries', 'show', failedOne.id]));
    assert.equal(field(stdout, 'Id'), failedOne.id);
    assert.match(field(stdout, 'Connection') ?? '', /^Refused_Dlv \(con_/);
    assert.equal(field(stdout, 'Status'), 'failed');
    assert.equal(field(stdout, 'Message id'), failedOne.messageId);
    const attempts = parseTable(stdout.slice(stdout.indexOf('\nN ') + 1));
    assert.deepEqual(attempts.header, ['N', 'STARTED', 'OUTCOME', 'STATUS', 'MS', 'MESSAGE']);
    assert.equal(attempts.rows.length, 1);
    assert.deepEqual(attempts.rows[0]?.slice(0, 1), ['1']);
    assert.deepEqual(attempts.rows[0]?.slice(2, 4), ['HTTP_4XX', '422']);

    const json = JSON.parse(ok(await hookline(['deliveries', 'show', failedOne.id, '--json'])));
    assert.equal(json.attemptLog[0].response.body, 'unknown order');

    const missing = await hookline(['deliveries', 'show', 'dlv_00000000000000000000000000']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error NOT_FOUND: /m);
  });

  test('deliveries replay <id> sends a failed delivery again with the same webhook-id', async () => {
    const [failedOne] = await listedJson('--connection', 'Refused_Dlv', '--status', 'failed');
    const first = refusing.requests.find((r) => r.headers['webhook-id'] === failedOne.messageId);
    assert.ok(first, 'the first attempt was received');
    const before = refusing.requests.length;

    const stdout = ok(await hookline(['deliveries', 'replay', failedOne.id]));
    assert.match(
      stdout,
      new RegExp(
        `^replayed delivery ${failedOne.id}: pending \\(webhook-id ${failedOne.messageId}\\)$`,
        'm',
      ),
    );
    const again = (await refusing.waitForRequests(before + 1)).at(-1);
    assert.equal(again?.headers['webhook-id'], failedOne.messageId);
    assert.equal(again?.body.toString('utf8'), first.body.toString('utf8'));
    assert.ok(again && isSignedWith(again, signingSecret), 'signed again');
    const delivery = await waitForDelivery(failedOne.id, (d) => d.status === 'failed');
    assert.equal(delivery.attempts, 2);
  });

  test('deliveries replay --all --connection replays every failed one and reports the total', async () => {
    for (const order of [1, 2, 3]) {
      ok(
        await hookline([
          'send',
          'Bulk_Dlv',
          '--env',
          'development',
          '--data',
          `{"order":${order}}`,
        ]),
      );
    }
    await bulk.waitForRequests(3);
    const failedIds = async () => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const response = await fetch(`${server.url}/api/v1/deliveries?status=failed&limit=500`, {
          headers: { authorization: `Bearer ${adminToken}` },
        });
        const page = (await response.json()) as { items: any[] };
        const ids = page.items.filter((d) => d.connection.name === 'Bulk_Dlv').map((d) => d.id);
        if (ids.length === 3 || Date.now() > deadline) return ids.sort();
        await sleep(50);
      }
    };
    assert.equal((await failedIds()).length, 3);

    const result = await hookline(['deliveries', 'replay', '--all', '--connection', 'Bulk_Dlv']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'replayed 3 failed deliveries');
    assert.match(result.stderr, /^replayed 3…$/m);
    await bulk.waitForRequests(6);
    const ids = await failedIds();
    assert.equal(ids.length, 3, 'failed again, each once more');

    const json = JSON.parse(
      ok(await hookline(['deliveries', 'replay', '--all', '--connection', 'Bulk_Dlv', '--json'])),
    );
    assert.equal(json.replayed, 3);
    assert.deepEqual([...json.ids].sort(), ids);
    assert.equal(json.more, false);
    await bulk.waitForRequests(9);

    const nothing = ok(
      await hookline(['deliveries', 'replay', '--all', '--connection', 'Orders_Dlv']),
    );
    assert.equal(nothing.trim(), 'no failed deliveries to replay');
  });

  test('replaying a pending delivery answers DELIVERY_NOT_FINISHED with exit 1', async () => {
    const id = acceptedId(ok(await hookline(['send', 'Down_Dlv', '--env', 'development'])));
    const result = await hookline(['deliveries', 'replay', id]);
    assert.equal(result.code, 1, result.stdout);
    assert.match(
      result.stderr,
      new RegExp(`^error DELIVERY_NOT_FINISHED: delivery '${id}' is (pending|in_flight)`, 'm'),
    );
    assert.equal(result.stdout, '');
  });

  test('replay without an id or --all, or with both, is a usage error', async () => {
    const neither = await hookline(['deliveries', 'replay']);
    assert.equal(neither.code, 2);
    assert.match(neither.stderr, /pass a delivery id, or --all/);
    const both = await hookline([
      'deliveries',
      'replay',
      'dlv_00000000000000000000000000',
      '--all',
    ]);
    assert.equal(both.code, 2);
    const filterWithoutAll = await hookline([
      'deliveries',
      'replay',
      'dlv_00000000000000000000000000',
      '--connection',
      'Bulk_Dlv',
    ]);
    assert.equal(filterWithoutAll.code, 2);
    assert.match(filterWithoutAll.stderr, /--connection goes with --all/);
  });
});
