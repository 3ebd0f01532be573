// The real `hookline` binary calling connections: a server spawned with `serve --port 0` on
// SQLite in a temp data directory, real target servers on 127.0.0.1, and every CLI command its
// own child process — `connections deploy`, `invoke`, `test` and `metrics` as a user runs them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  closeAllTargets,
  startHttpTarget,
  startHttpsTarget,
  startStatusTarget,
  type Target,
} from '../helpers/target-servers.ts';
import { createTestPki } from '../helpers/test-certificates.ts';
import {
  cleanEnv,
  runHookline,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/hookline-process.ts';
import { parseTable, field } from './helpers/cli-output.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-runtime-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));
after(() => closeAllTargets());

describe('hookline connections invoke / test / metrics', () => {
  const dataDir = join(root, 'data');
  const tokenValue = `cli-token-${randomBytes(16).toString('hex')}`;
  let server: ServeProcess;
  let env: NodeJS.ProcessEnv;
  let echo: Target;
  let failing: Target;
  let secure: Target;

  /** Runs a command; no output may ever contain the secret's value. */
  async function hookline(args: string[]): Promise<CliResult> {
    const result = await runHookline(args, { env, cwd: root });
    assert.ok(
      !`${result.stdout}${result.stderr}`.includes(tokenValue),
      `the secret was printed by ${args.join(' ')}`,
    );
    return result;
  }
  const ok = (result: CliResult) => {
    assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  async function createConnection(name: string, development: Record<string, unknown>) {
    const file = join(root, `${name}.json`);
    writeFileSync(file, JSON.stringify({ name, environments: { development } }));
    ok(await hookline(['connections', 'create', '-f', file]));
  }

  before(async () => {
    const pki = await createTestPki();
    // answers with the request it got, so an unmasked secret would come back to the CLI
    echo = await startHttpTarget((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          url: request.url,
          authorization: request.headers.authorization,
          body: request.body.toString('utf8'),
        }),
      );
    });
    failing = await startStatusTarget(500, { 'content-type': 'text/plain' }, 'database down');
    secure = await startHttpsTarget({ pki });
    server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'warn'], {
      env: cleanEnv(),
      cwd: root,
    });
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    env = cleanEnv({
      HOOKLINE_URL: server.url,
      HOOKLINE_TOKEN: adminToken,
      CLI_TOKEN_VALUE: tokenValue,
    });
    ok(await hookline(['secrets', 'create', 'CLI_TOKEN', '--from-env', 'CLI_TOKEN_VALUE']));
    await createConnection('Orders_Cli', {
      method: 'POST',
      url: `${echo.origin}/orders/{{param.id}}`,
      headers: [{ name: 'Authorization', value: 'Bearer {{secret.CLI_TOKEN}}' }],
    });
    await createConnection('Failing_Cli', { method: 'POST', url: `${failing.origin}/` });
    // development may skip verification; the peer certificate is still shown
    await createConnection('Secure_Cli', {
      method: 'GET',
      url: `${secure.origin}/`,
      tls: { verify: false },
    });
  });
  after(async () => {
    await server?.stop();
    // the failed calls were logged (at warn), without the secret
    assert.match(server.output(), /outbound call failed/);
    assert.ok(!server.output().includes(tokenValue), 'the server logged the secret');
  });

  test('invoke is refused before a deploy; after `connections deploy` it exits 0 and prints the outcome', async () => {
    const early = await hookline(['connections', 'invoke', 'Orders_Cli', '--env', 'development']);
    assert.equal(early.code, 1, early.stderr);
    assert.match(early.stderr, /^error CONNECTION_NOT_DEPLOYED: /m);
    assert.equal(echo.requests.length, 0);

    const deployed = ok(
      await hookline(['connections', 'deploy', 'Orders_Cli', '--env', 'development']),
    );
    assert.equal(deployed.trim(), 'Orders_Cli: deployed revision 1 to development');

    const stdout = ok(
      await hookline([
        'connections',
        'invoke',
        'Orders_Cli',
        '--env',
        'development',
        '--data',
        '{"a":1}',
        '--param',
        'id=7',
        '--header',
        'X-Caller: cli',
      ]),
    );
    assert.equal(field(stdout, 'Outcome'), 'OK');
    assert.equal(field(stdout, 'Status'), '200');
    assert.equal(field(stdout, 'URL'), `${echo.origin}/orders/7`);
    assert.equal(field(stdout, 'Revision'), '1');
    assert.match(field(stdout, 'Trace id') ?? '', /^[0-9a-f]{32}$/);
    assert.match(stdout, /"authorization":"Bearer \*\*\*\*"/, 'the echoed secret is masked');

    const [received] = await echo.waitForRequests(1);
    assert.ok(received);
    assert.equal(received.url, '/orders/7');
    assert.equal(received.body.toString('utf8'), '{"a":1}', 'the bytes given are the bytes sent');
    assert.equal(received.headers['content-type'], 'application/json');
    assert.equal(received.headers['x-caller'], 'cli');
    assert.equal(received.headers.authorization, `Bearer ${tokenValue}`);
  });

  test('a target answering 500: exit 1, the outcome and the hint printed', async () => {
    ok(await hookline(['connections', 'deploy', 'Failing_Cli', '--env', 'development']));
    const result = await hookline([
      'connections',
      'invoke',
      'Failing_Cli',
      '--env',
      'development',
      '--data',
      'plain text',
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(field(result.stdout, 'Outcome'), 'HTTP_5XX');
    assert.equal(field(result.stdout, 'Status'), '500');
    assert.match(field(result.stdout, 'Message') ?? '', /500/);
    assert.match(field(result.stdout, 'Hint') ?? '', /health/);
    assert.match(result.stdout, /database down/, 'the body is shown');
    assert.match(result.stderr, /HTTP_5XX/);
    const [received] = await failing.waitForRequests(1);
    assert.equal(received?.headers['content-type'], 'text/plain; charset=utf-8');

    const json = await hookline([
      'connections',
      'invoke',
      'Failing_Cli',
      '--env',
      'development',
      '--json',
    ]);
    assert.equal(json.code, 1);
    const answer = JSON.parse(json.stdout);
    assert.deepEqual([answer.outcome, answer.status], ['HTTP_5XX', 500]);
    assert.ok(answer.hint);
  });

  test('connections test prints timings and the TLS peer of an undeployed connection', async () => {
    const stdout = ok(
      await hookline(['connections', 'test', 'Secure_Cli', '--env', 'development']),
    );
    assert.equal(field(stdout, 'Outcome'), 'OK');
    assert.match(
      field(stdout, 'Timings') ?? '',
      /^dns (-|[\d.]+ ms), connect [\d.]+ ms, tls [\d.]+ ms, first byte [\d.]+ ms, total [\d.]+ ms$/,
    );
    assert.match(field(stdout, 'TLS peer') ?? '', /CN=127\.0\.0\.1.*issuer CN=Hookline Test CA/);

    const json = JSON.parse(
      ok(await hookline(['connections', 'test', 'Secure_Cli', '--env', 'development', '--json'])),
    );
    assert.equal(json.outcome, 'OK');
    assert.ok(json.timings.connectMs !== null && json.timings.tlsMs !== null);
    assert.match(json.tlsPeer.issuer, /Hookline Test CA/);
    assert.deepEqual(json.warnings, []);
    assert.equal(secure.requests.length, 2);
  });

  test('connections metrics prints a table per environment; --json parses', async () => {
    for (let i = 0; i < 2; i++) {
      ok(
        await hookline([
          'connections',
          'invoke',
          'Orders_Cli',
          '--env',
          'development',
          '--param',
          `id=${i}`,
        ]),
      );
    }
    const table = parseTable(ok(await hookline(['connections', 'metrics', 'Orders_Cli'])));
    assert.deepEqual(table.header, [
      'ENVIRONMENT',
      'CALLS',
      'OUTCOMES',
      'P50',
      'P95',
      'P99',
      'TIMEOUTS',
      'POOL',
    ]);
    assert.equal(table.rows.length, 1);
    const [row = []] = table.rows;
    assert.deepEqual(row.slice(0, 3), ['development', '3', 'OK 3']);
    for (const cell of row.slice(3, 6)) assert.match(cell, /^[\d.]+ ms$/);
    assert.equal(row[6], '0.0%');
    assert.match(row[7] ?? '', /^\d+ open, \d+ busy, \d+ waiting$/);

    const json = JSON.parse(ok(await hookline(['connections', 'metrics', 'Orders_Cli', '--json'])));
    assert.equal(json.connection.name, 'Orders_Cli');
    assert.deepEqual(json.environments[0].counts, { OK: 3 });

    const none = ok(await hookline(['connections', 'metrics', 'Secure_Cli']));
    assert.equal(none.trim(), 'no calls of Secure_Cli since the server started');
  });

  test('environments create and update set the egress policy; a bad CIDR exits 1 at its path', async () => {
    ok(
      await hookline([
        'environments',
        'create',
        '--id',
        'egress-cli',
        '--name',
        'Egress CLI',
        '--kind',
        'test',
        '--allow-cidrs',
        '10.1.0.0/16, 192.168.7.0/24',
        '--deny-private',
      ]),
    );
    const created = JSON.parse(ok(await hookline(['environments', 'get', 'egress-cli', '--json'])));
    assert.deepEqual(created.egress, {
      allowCidrs: ['10.1.0.0/16', '192.168.7.0/24'],
      denyCidrs: [],
      denyPrivate: true,
    });

    ok(
      await hookline([
        'environments',
        'update',
        'egress-cli',
        '--allow-cidrs',
        '',
        '--deny-cidrs',
        '203.0.113.0/24',
        '--no-deny-private',
      ]),
    );
    const shown = ok(await hookline(['environments', 'get', 'egress-cli']));
    assert.match(shown, /^Allowed CIDRs: +\(none\)$/m);
    assert.match(shown, /^Denied CIDRs: +203\.0\.113\.0\/24$/m);
    assert.match(shown, /^Private ranges: +allowed$/m);

    const bad = await hookline([
      'environments',
      'update',
      'egress-cli',
      '--deny-cidrs',
      '10.0.0.0/33',
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error VALIDATION_FAILED: /);
    assert.match(bad.stderr, /^ {2}egress\.denyCidrs\[0\]: /m);
    const after = JSON.parse(ok(await hookline(['environments', 'get', 'egress-cli', '--json'])));
    assert.deepEqual(after.egress.denyCidrs, ['203.0.113.0/24'], 'nothing was changed');
  });
});
