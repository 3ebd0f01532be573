// The real `hookline` binary on secrets and variables: a server spawned with `serve --port 0`
// on SQLite in a temp data directory, every CLI command its own child process. Nothing any
// process printed, and no file of the data directory, may hold a secret value in clear.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  binPath,
  cleanEnv,
  runHookline,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/hookline-process.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-secrets-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));

const fresh = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

/** Runs `hookline …args` with `input` on stdin (a pipe, not a terminal). */
function runWithStdin(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: root,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Every file under `dir`, read as text (the SQLite file, its WAL, the key and token files). */
function readTree(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    text += entry.isDirectory() ? readTree(path) : readFileSync(path).toString('latin1');
  }
  return text;
}

describe('hookline secrets and variables', { concurrency: 1 }, () => {
  const dataDir = join(root, 'data');
  const serverVariable = `HL_E2E_SERVER_SECRET_${process.pid}`;
  const serverValue = fresh('server-env');
  const values: string[] = [serverValue];
  const outputs: string[] = [];
  let server: ServeProcess;
  let env: NodeJS.ProcessEnv;

  async function hookline(
    args: string[],
    extra: { stdin?: string; env?: Record<string, string> } = {},
  ) {
    const runEnv = { ...env, ...extra.env };
    const result =
      extra.stdin === undefined
        ? await runHookline(args, { env: runEnv, cwd: root })
        : await runWithStdin(args, extra.stdin, runEnv);
    outputs.push(result.stdout, result.stderr);
    return result;
  }
  const ok = (result: CliResult) => {
    assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };

  before(async () => {
    server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'trace'], {
      env: cleanEnv({ [serverVariable]: serverValue }),
      cwd: root,
    });
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    env = cleanEnv({ HOOKLINE_URL: server.url, HOOKLINE_TOKEN: token });
  });
  after(async () => {
    if (server.child.exitCode === null) await server.stop();
    const everything = [...outputs, server.output(), readTree(dataDir)].join('\n');
    for (const value of values) {
      assert.ok(!everything.includes(value), `a secret value leaked: ${value.slice(0, 12)}…`);
    }
  });

  test('first start creates <data>/master-key (mode 0600) and logs only its key id', () => {
    const file = join(dataDir, 'master-key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const key = readFileSync(file, 'utf8').trim();
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.ok(!server.output().includes(key), 'the server printed the master key');
    assert.match(server.output(), /"keyId":"[0-9a-f]{8}".*secrets master key loaded/);
  });

  test('create --value-stdin stores a secret and prints its metadata, never the value', async () => {
    const value = fresh('sk_live');
    values.push(value);
    const created = ok(
      await hookline(['secrets', 'create', 'CRM_TOKEN', '--value-stdin', '--description', 'CRM'], {
        stdin: `${value}\n`,
      }),
    );
    assert.equal(created.trim(), 'created secret CRM_TOKEN (stored, version 1)');
    const status = JSON.parse(ok(await hookline(['secrets', 'status', 'crm_token', '--json'])));
    assert.deepEqual(status, {
      name: 'CRM_TOKEN',
      source: 'stored',
      version: 1,
      resolvable: true,
      problem: null,
    });
  });

  test('a value given on the command line is refused (exit 2) and not repeated', async () => {
    const value = fresh('argv');
    values.push(value);
    const result = await hookline(['secrets', 'create', 'ARGV_SECRET', '--value', value]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /never taken on the command line.*--value-stdin/);
    const none = await hookline(['secrets', 'create', 'NO_SOURCE']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /say where the value comes from/);
    const two = await hookline(['secrets', 'create', 'TWO', '--value-stdin', '--from-env', 'X'], {
      stdin: 'x',
    });
    assert.equal(two.code, 2);
    assert.match(two.stderr, /give only one of --value-stdin, --from-env/);
    const list = JSON.parse(ok(await hookline(['secrets', 'list', '--json'])));
    assert.deepEqual(
      list.items.map((s: { name: string }) => s.name),
      ['CRM_TOKEN'],
    );
  });

  test('--from-env and --from-file read the value on the client; --server-env leaves it to the server', async () => {
    const fromEnv = fresh('local-env');
    const fromFile = fresh('local-file');
    values.push(fromEnv, fromFile);
    const file = join(root, 'local-secret');
    writeFileSync(file, `${fromFile}\n`);
    ok(
      await hookline(['secrets', 'create', 'FROM_SHELL', '--from-env', 'MY_TOKEN'], {
        env: { MY_TOKEN: fromEnv },
      }),
    );
    ok(await hookline(['secrets', 'create', 'FROM_LOCAL_FILE', '--from-file', file]));
    const serverEnv = ok(
      await hookline(['secrets', 'create', 'ON_SERVER', '--server-env', serverVariable]),
    );
    assert.equal(serverEnv.trim(), `created secret ON_SERVER (env ${serverVariable}, version 1)`);
    const missing = await hookline([
      'secrets',
      'create',
      'NOT_ON_SERVER',
      '--server-env',
      'HL_E2E_UNSET_VAR',
    ]);
    assert.equal(missing.code, 0, missing.stderr);
    assert.match(
      missing.stderr,
      /warning SECRET_SOURCE_UNAVAILABLE: env: environment variable HL_E2E_UNSET_VAR is not set/,
    );

    const statuses = await Promise.all(
      ['FROM_SHELL', 'FROM_LOCAL_FILE', 'ON_SERVER', 'NOT_ON_SERVER'].map(async (name) =>
        JSON.parse(ok(await hookline(['secrets', 'status', name, '--json']))),
      ),
    );
    assert.deepEqual(
      statuses.map((s) => [s.name, s.source, s.resolvable]),
      [
        ['FROM_SHELL', 'stored', true],
        ['FROM_LOCAL_FILE', 'stored', true],
        ['ON_SERVER', 'env', true],
        ['NOT_ON_SERVER', 'env', false],
      ],
    );
    const unset = await hookline(['secrets', 'create', 'EMPTY', '--from-env', 'HL_E2E_NOT_SET']);
    assert.equal(unset.code, 2);
  });

  test('list shows where each value comes from as a table; get shows the metadata', async () => {
    const table = ok(await hookline(['secrets', 'list']));
    const lines = table.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+SOURCE\s+VERSION\s+UPDATED$/);
    assert.ok(
      lines.some((line) => /^ON_SERVER\s+env HL_E2E_SERVER_SECRET_\d+\s+1\s/.test(line)),
      table,
    );
    assert.ok(
      lines.some((line) => /^CRM_TOKEN\s+stored\s+1\s/.test(line)),
      table,
    );
    const shown = ok(await hookline(['secrets', 'get', 'CRM_TOKEN']));
    assert.match(shown, /^Source:\s+stored$/m);
    assert.match(shown, /^Key id:\s+[0-9a-f]{8}$/m);
    assert.match(shown, /^Description:\s+CRM$/m);
  });

  test('rotate gives a new value (version 2); delete needs --yes without a terminal', async () => {
    const next = fresh('rotated');
    values.push(next);
    const rotated = ok(
      await hookline(['secrets', 'rotate', 'CRM_TOKEN', '--value-stdin'], { stdin: next }),
    );
    assert.equal(rotated.trim(), 'rotated secret CRM_TOKEN (stored, version 2)');
    const refused = await hookline(['secrets', 'delete', 'FROM_SHELL']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes/);
    assert.equal(
      ok(await hookline(['secrets', 'delete', 'FROM_SHELL', '--yes'])).trim(),
      'deleted secret FROM_SHELL',
    );
    const gone = await hookline(['secrets', 'get', 'FROM_SHELL']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /NOT_FOUND/);
    const again = await hookline(['secrets', 'create', 'crm_token', '--value-stdin'], {
      stdin: 'another-long-value',
    });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /error SECRET_EXISTS/);
  });

  test('variables set creates, then changes values; get, list and delete', async () => {
    const created = ok(
      await hookline([
        'variables',
        'set',
        'API_BASE',
        'production=https://api.example.com/v1?a=b',
        'test=https://test.example.com',
      ]),
    );
    assert.equal(created.trim(), 'created variable API_BASE (values in: production, test)');
    const updated = ok(
      await hookline([
        'variables',
        'set',
        'api_base',
        'development=http://localhost:3000',
        '--unset',
        'test',
      ]),
    );
    assert.equal(updated.trim(), 'updated variable API_BASE (values in: development, production)');
    const shown = ok(await hookline(['variables', 'get', 'API_BASE']));
    assert.match(shown, /^production\s+https:\/\/api\.example\.com\/v1\?a=b$/m);
    assert.match(shown, /^development\s+http:\/\/localhost:3000$/m);
    const list = JSON.parse(ok(await hookline(['variables', 'list', '--json'])));
    assert.deepEqual(
      list.items.map((v: { name: string; values: object }) => [v.name, v.values]),
      [
        [
          'API_BASE',
          { development: 'http://localhost:3000', production: 'https://api.example.com/v1?a=b' },
        ],
      ],
    );
    const unknown = await hookline(['variables', 'set', 'API_BASE', 'staging=x']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /values\.staging: unknown environment 'staging'/);
    const badPair = await hookline(['variables', 'set', 'API_BASE', 'no-equals-sign']);
    assert.equal(badPair.code, 2);
    assert.equal(
      ok(await hookline(['variables', 'delete', 'API_BASE', '--yes'])).trim(),
      'deleted variable API_BASE',
    );
  });

  test('after a restart the key file still opens every stored secret; another key is named', async () => {
    await server.stop();
    const restarted = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'info'], {
      env: cleanEnv({ [serverVariable]: serverValue }),
      cwd: root,
    });
    try {
      const restartedEnv = { ...env, HOOKLINE_URL: restarted.url };
      const status = await runHookline(['secrets', 'status', 'CRM_TOKEN', '--json'], {
        env: restartedEnv,
        cwd: root,
      });
      outputs.push(status.stdout, status.stderr);
      assert.equal(JSON.parse(status.stdout).resolvable, true, status.stderr);
    } finally {
      await restarted.stop();
      outputs.push(restarted.output());
    }

    const otherKey = randomBytes(32).toString('hex');
    const other = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'info'], {
      env: cleanEnv({ HOOKLINE_MASTER_KEY: otherKey }),
      cwd: root,
    });
    try {
      const status = await runHookline(['secrets', 'status', 'CRM_TOKEN'], {
        env: { ...env, HOOKLINE_URL: other.url },
        cwd: root,
      });
      outputs.push(status.stdout, status.stderr);
      assert.match(
        status.stdout,
        /cannot be resolved: secret 'CRM_TOKEN' was encrypted with another master key/,
      );
      assert.match(other.output(), /stored secret\(s\) were encrypted with another master key/);
      assert.ok(!other.output().includes(otherKey), 'the server printed HOOKLINE_MASTER_KEY');
    } finally {
      await other.stop();
      outputs.push(other.output());
    }
  });

  test('serve refuses a key file others can read, and a malformed HOOKLINE_MASTER_KEY', async () => {
    const file = join(dataDir, 'master-key');
    chmodSync(file, 0o644);
    try {
      const result = await runHookline(['serve', '--port', '0', '--data', dataDir], {
        env: cleanEnv(),
        cwd: root,
      });
      outputs.push(result.stdout, result.stderr);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /master key file .* has mode 0644.*chmod 600/);
    } finally {
      chmodSync(file, 0o600);
    }
    const bad = 'definitely-not-a-key-0123456789';
    const result = await runHookline(['serve', '--port', '0', '--data', join(root, 'bad-key')], {
      env: cleanEnv({ HOOKLINE_MASTER_KEY: bad }),
      cwd: root,
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /HOOKLINE_MASTER_KEY: must be 32 bytes/);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(bad));
  });
});
