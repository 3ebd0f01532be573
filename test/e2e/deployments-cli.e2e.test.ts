// The real `hookline` binary on deployments: a server spawned with `serve --port 0` on SQLite
// in a temp data directory, and every CLI command its own child process, as a user would run
// `connections deploy`, `undeploy` and `deployments`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  cleanEnv,
  runHookline,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/hookline-process.ts';
import { parseTable } from './helpers/cli-output.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-deployments-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('hookline connections deploy / undeploy / deployments', () => {
  const dataDir = join(root, 'data');
  let server: ServeProcess;
  let env: NodeJS.ProcessEnv;

  const hookline = (args: string[]) => runHookline(args, { env, cwd: root });
  const ok = (result: CliResult) => {
    assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };

  before(async () => {
    server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'warn'], {
      env: cleanEnv(),
      cwd: root,
    });
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    env = cleanEnv({ HOOKLINE_URL: server.url, HOOKLINE_TOKEN: token });
    const file = join(root, 'crm.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'CRM_Deploy',
        environments: {
          production: { method: 'POST', url: 'https://crm.example.com/hooks' },
          test: { method: 'POST', url: 'https://crm-test.example.com/hooks' },
        },
      }),
    );
    ok(await hookline(['connections', 'create', '-f', file]));
    ok(await hookline(['connections', 'update', 'CRM_Deploy', '--description', 'second']));
  });
  after(async () => {
    await server.stop();
  });

  test('deploys the latest revision, a chosen one, and says when nothing changed', async () => {
    const latest = ok(
      await hookline(['connections', 'deploy', 'CRM_Deploy', '--env', 'production']),
    );
    assert.equal(latest.trim(), 'CRM_Deploy: deployed revision 2 to production');

    const chosen = JSON.parse(
      ok(
        await hookline([
          'connections',
          'deploy',
          'CRM_Deploy',
          '--env',
          'test',
          '--revision',
          '1',
          '--json',
        ]),
      ),
    );
    assert.deepEqual(
      [chosen.environment, chosen.revision, chosen.outcome],
      ['test', 1, 'deployed'],
    );

    const again = ok(
      await hookline(['connections', 'deploy', 'CRM_Deploy', '--env', 'production']),
    );
    assert.equal(again.trim(), 'CRM_Deploy: revision 2 is already deployed to production');
  });

  test('a refused deploy exits 1 with the field path; a bad flag exits 2', async () => {
    const [unknown, noRevision, zero, noEnv] = await Promise.all([
      hookline(['connections', 'deploy', 'CRM_Deploy', '--env', 'staging']),
      hookline(['connections', 'deploy', 'CRM_Deploy', '--env', 'production', '--revision', '9']),
      hookline(['connections', 'deploy', 'CRM_Deploy', '--env', 'production', '--revision', '0']),
      hookline(['connections', 'deploy', 'CRM_Deploy']),
    ]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error VALIDATION_FAILED: /);
    assert.match(unknown.stderr, /^ {2}environment: unknown environment 'staging'$/m);
    assert.equal(noRevision.code, 1);
    assert.match(noRevision.stderr, /^error NOT_FOUND: revision 'CRM_Deploy@9' was not found/);
    assert.equal(zero.code, 2, zero.stderr);
    assert.equal(noEnv.code, 2, noEnv.stderr);
    assert.match(noEnv.stderr, /--env/);
  });

  test('deployments shows what runs where and the history; undeploy takes one down', async () => {
    const undeployed = ok(
      await hookline(['connections', 'undeploy', 'CRM_Deploy', '--env', 'test']),
    );
    assert.equal(undeployed.trim(), 'CRM_Deploy: undeployed revision 1 from test');

    const [current, history] = ok(await hookline(['connections', 'deployments', 'CRM_Deploy']))
      .trimEnd()
      .split('\n\n');
    const now = parseTable(current ?? '');
    assert.deepEqual(now.header, ['ENVIRONMENT', 'REVISION', 'DEPLOYED', 'BY']);
    assert.deepEqual(
      now.rows.map((row) => [row[0], row[1], row[3]]),
      [['production', '2', 'admin']],
    );
    const past = parseTable(history ?? '');
    assert.deepEqual(past.header, [
      'WHEN',
      'ENVIRONMENT',
      'ACTION',
      'REVISION',
      'OUTCOME',
      'BY',
      'MESSAGE',
    ]);
    // of the test before's refusals, only the one by a deploy rule is history: 'staging' does
    // not exist, so that request left none
    const outcomes = past.rows.map((row) => `${row[1]} ${row[2]} ${row[3]} ${row[4]}`);
    assert.deepEqual(outcomes, [
      'test undeploy 1 undeployed',
      'production deploy 9 failed',
      'production deploy 2 unchanged',
      'test deploy 1 deployed',
      'production deploy 2 deployed',
    ]);

    const json = JSON.parse(
      ok(
        await hookline([
          'connections',
          'deployments',
          'CRM_Deploy',
          '--env',
          'production',
          '--json',
        ]),
      ),
    );
    assert.deepEqual(
      json.items.map((r: { outcome: string }) => r.outcome),
      ['failed', 'unchanged', 'deployed'],
    );
    assert.equal(json.next, null);
  });

  test('get -o yaml → update -f round-trips a deployed connection (deployments is read-only)', async () => {
    const file = join(root, 'crm.yaml');
    writeFileSync(file, ok(await hookline(['connections', 'get', 'CRM_Deploy', '-o', 'yaml'])));
    assert.match(readFileSync(file, 'utf8'), /^deployments:\n {2}production:\n {4}revision: 2$/m);
    const updated = ok(await hookline(['connections', 'update', 'CRM_Deploy', '-f', file]));
    assert.match(updated, /connection CRM_Deploy .* unchanged/);
  });
});
