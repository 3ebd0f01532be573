// The real `hookline` binary: a server spawned with `serve --port 0` on SQLite in a temp data
// directory, and every CLI command run as its own child process, as a user would.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  cleanEnv,
  repoRoot,
  runHookline,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/hookline-process.ts';
import { parseTable } from './helpers/cli-output.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-cli-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const file = join(root, name);
  writeFileSync(file, text);
  return file;
}

/** Whether `port` can be bound right now, i.e. nothing listens there. */
function canListenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

// Suites run side by side where their tests are independent: the file stays under ~30 s.
describe('hookline binary', { concurrency: true }, () => {
  describe('hookline CLI against a running server', { concurrency: true }, () => {
    const dataDir = join(root, 'data');
    let server: ServeProcess;
    let token: string;
    let env: NodeJS.ProcessEnv;

    /** Runs a command as the admin; no output may ever contain the token. */
    async function hookline(args: string[], extraEnv: Record<string, string> = {}) {
      const result = await runHookline(args, { env: { ...env, ...extraEnv }, cwd: root });
      assert.ok(!`${result.stdout}${result.stderr}`.includes(token), 'the token was printed');
      return result;
    }
    const ok = (result: CliResult) => {
      assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
      return result.stdout;
    };

    before(async () => {
      server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'warn'], {
        env: cleanEnv(),
        cwd: root,
      });
      token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
      env = cleanEnv({ HOOKLINE_URL: server.url, HOOKLINE_TOKEN: token });
    });
    after(async () => {
      await server.stop();
      assert.ok(!server.output().includes(token), 'the server printed the token');
    });

    // independent of each other: run side by side
    describe('access, usage errors and refusals', { concurrency: true }, () => {
      test('first start creates <data>/admin-token with mode 0600 and prints its path', () => {
        const file = join(dataDir, 'admin-token');
        assert.equal(statSync(file).mode & 0o777, 0o600);
        assert.match(token, /^hl_\S{40,}$/);
        assert.ok(server.readyLine.includes(`${file} (created now)`), server.readyLine);
      });

      test('environments list shows the three seeded environments, as a table and as JSON', async () => {
        const [table, asJson] = await Promise.all([
          hookline(['environments', 'list']),
          hookline(['environments', 'list', '--json']),
        ]);
        const { header, rows } = parseTable(ok(table));
        assert.deepEqual(header, ['ID', 'NAME', 'KIND', 'UPDATED']);
        assert.deepEqual(
          rows.map((cells) => cells.slice(0, 3)),
          [
            ['development', 'Development', 'development'],
            ['test', 'Test', 'test'],
            ['production', 'Production', 'production'],
          ],
        );
        const json = JSON.parse(ok(asJson));
        assert.deepEqual(
          json.items.map((e: { id: string }) => e.id),
          ['development', 'test', 'production'],
        );
        assert.equal(json.next, null);
      });

      test('without HOOKLINE_TOKEN the CLI uses the token in <HOOKLINE_DATA_DIR>/admin-token', async () => {
        const result = await runHookline(['projects', 'list'], {
          env: cleanEnv({ HOOKLINE_URL: server.url, HOOKLINE_DATA_DIR: dataDir }),
          cwd: root,
        });
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^default\s+Default/m);
      });

      test('a wrong token exits 1 with UNAUTHENTICATED', async () => {
        const result = await hookline(['environments', 'list'], {
          HOOKLINE_TOKEN: 'hl_not-the-token',
        });
        assert.equal(result.code, 1);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, /^error UNAUTHENTICATED: /);
      });

      test('--token before the command overrides HOOKLINE_TOKEN', async () => {
        const wrong = await hookline(['--token', 'hl_wrong', 'projects', 'list']);
        assert.equal(wrong.code, 1);
        assert.match(wrong.stderr, /UNAUTHENTICATED/);
      });

      test('a bad header value exits 1 and names the field path on stderr', async () => {
        const file = writeFile(
          'bad-header.json',
          JSON.stringify({
            name: 'Bad_Header',
            environments: {
              production: {
                method: 'POST',
                url: 'https://bad.example.com',
                headers: [{ name: 'X-Injected', value: 'a\r\nHost: evil' }],
              },
            },
          }),
        );
        const result = await hookline(['connections', 'create', '-f', file]);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /^error VALIDATION_FAILED: /);
        assert.match(
          result.stderr,
          /^ {2}environments\.production\.headers\[0\]\.value: header value must not contain CR, LF or NUL$/m,
        );
        const check = ok(await hookline(['connections', 'name-exists', 'Bad_Header']));
        assert.equal(check.trim(), 'available', 'nothing was saved');
      });

      test('a --header flag without a colon, or an unreadable -f file, is a usage error (exit 2)', async () => {
        const [noColon, missing] = await Promise.all([
          hookline([
            'connections',
            'create',
            '--name',
            'X',
            '--env',
            'test',
            '--url',
            'https://x.example.com',
            '--header',
            'NoColon',
          ]),
          hookline(['connections', 'create', '-f', join(root, 'nope.yaml')]),
        ]);
        assert.equal(noColon.code, 2);
        assert.match(noColon.stderr, /--header 'NoColon' must look like 'Name: value'/);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /cannot read .*nope\.yaml/);
      });

      test('an unknown flag exits 2 and names the flag', async () => {
        const result = await hookline(['connections', 'list', '--bogus']);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /unknown option '--bogus'/);
        assert.equal(result.stdout, '');
      });

      test('a server that is not running gives a clear message and exit 1', async () => {
        const url = `http://127.0.0.1:${await closedPort()}`;
        const result = await hookline(['connections', 'list'], { HOOKLINE_URL: url });
        assert.equal(result.code, 1);
        assert.equal(
          result.stderr.trim(),
          `hookline: cannot reach Hookline at ${url} — is \`hookline serve\` running?`,
        );
      });
    });

    // one story, in order: each test builds on the connections the earlier ones saved
    describe('connection lifecycle', { concurrency: 1 }, () => {
      test('projects create adds a project; the same id again exits 1 with PROJECT_EXISTS', async () => {
        assert.match(
          ok(await hookline(['projects', 'create', '--id', 'team-a', '--name', 'Team A'])),
          /created project team-a/,
        );
        const again = await hookline(['projects', 'create', '--id', 'team-a', '--name', 'Team A']);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /^error PROJECT_EXISTS: /);
        assert.match(ok(await hookline(['projects', 'list'])), /^team-a\s+Team A/m);
      });

      test('connections create -f a YAML file, then get --json and -o yaml read it back', async () => {
        const file = writeFile(
          'crm.yaml',
          [
            'name: CRM_Webhook',
            'description: ticket events',
            'environments:',
            '  production:',
            '    method: POST',
            '    url: https://crm.example.com/hooks',
            '    headers:',
            '      - name: Authorization',
            "        value: 'Bearer {{secret.CRM_TOKEN}}'",
            '  test:',
            '    method: PUT',
            '    url: https://crm-test.example.com/hooks',
            '    requestTimeoutMs: 5000',
          ].join('\n'),
        );
        const created = await hookline(['connections', 'create', '-f', file]);
        assert.match(
          ok(created),
          /^created connection CRM_Webhook \(con_\w+, project default, revision 1\)/,
        );
        assert.equal(created.stderr, '', 'no warnings for https with a secret reference');

        const json = JSON.parse(
          ok(await hookline(['connections', 'get', 'CRM_Webhook', '--json'])),
        );
        assert.equal(json.name, 'CRM_Webhook');
        assert.equal(json.description, 'ticket events');
        assert.equal(json.project, 'default');
        assert.equal(json.revision, 1);
        assert.deepEqual(json.environments.production.headers, [
          { name: 'Authorization', value: 'Bearer {{secret.CRM_TOKEN}}' },
        ]);
        assert.equal(json.environments.test.method, 'PUT');
        assert.equal(json.environments.test.requestTimeoutMs, 5000);

        const [asYaml, asTable] = await Promise.all([
          hookline(['connections', 'get', json.id, '-o', 'yaml']),
          hookline(['connections', 'get', 'CRM_Webhook']),
        ]);
        assert.deepEqual(parseYaml(ok(asYaml)), json);
        const human = ok(asTable);
        assert.match(human, /^Name:\s+CRM_Webhook$/m);
        assert.match(
          human,
          /^production\s+POST\s+https:\/\/crm\.example\.com\/hooks\s+Authorization$/m,
        );
        assert.ok(!human.includes('CRM_TOKEN'), 'human output shows header names, not values');
      });

      test('create from flags saves a plain-http production URL and warns about it on stderr', async () => {
        const result = await hookline([
          'connections',
          'create',
          '--name',
          'Legacy_Audit',
          '--project',
          'team-a',
          '--env',
          'production',
          '--url',
          'http://audit.internal.example/log',
          '--header',
          'X-Team: ops',
          '--description',
          'old audit sink',
        ]);
        assert.match(ok(result), /created connection Legacy_Audit .*project team-a/);
        assert.match(result.stderr, /^warning INSECURE_URL: environments\.production\.url: /m);
      });

      test('name-exists prints taken or available and exits 0 either way; --json gives {exists}', async () => {
        const [taken, available, json] = await Promise.all([
          hookline(['connections', 'name-exists', 'crm_webhook']),
          hookline(['connections', 'name-exists', 'Fresh_Name']),
          hookline(['connections', 'name-exists', 'Fresh_Name', '--json']),
        ]);
        assert.match(ok(taken), /^taken \(by con_\w+ in project default\)$/m);
        assert.equal(ok(available).trim(), 'available');
        assert.deepEqual(JSON.parse(ok(json)), { exists: false });
      });

      test('update by flags changes only the named fields and makes revision 2', async () => {
        const result = await hookline([
          'connections',
          'update',
          'CRM_Webhook',
          '--env',
          'production',
          '--header',
          'X-Team: billing',
          '--description',
          'ticket and invoice events',
        ]);
        assert.match(ok(result), /updated connection CRM_Webhook .*revision 2\)/);
        const [read, history] = await Promise.all([
          hookline(['connections', 'get', 'CRM_Webhook', '--json']),
          hookline(['connections', 'revisions', 'CRM_Webhook']),
        ]);
        const json = JSON.parse(ok(read));
        assert.equal(json.revision, 2);
        assert.equal(json.description, 'ticket and invoice events');
        assert.deepEqual(json.environments.production.headers, [
          { name: 'Authorization', value: 'Bearer {{secret.CRM_TOKEN}}' },
          { name: 'X-Team', value: 'billing' },
        ]);
        assert.equal(json.environments.test.requestTimeoutMs, 5000, 'other environments kept');

        const revisions = parseTable(ok(history));
        assert.deepEqual(revisions.header, ['REVISION', 'ACTION', 'CREATED', 'BY']);
        assert.deepEqual(
          revisions.rows.map((cells) => [cells[0], cells[1], cells[3]]),
          [
            ['2', 'update', 'admin'],
            ['1', 'create', 'admin'],
          ],
        );
      });

      test('update -f a stale `get -o yaml` document is refused with REVISION_CONFLICT', async () => {
        const stale = ok(await hookline(['connections', 'get', 'Legacy_Audit', '-o', 'yaml']));
        ok(await hookline(['connections', 'update', 'Legacy_Audit', '--description', 'newer']));
        const file = writeFile('stale.yaml', stale.replace('old audit sink', 'edited offline'));
        const result = await hookline(['connections', 'update', 'Legacy_Audit', '-f', file]);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /^error REVISION_CONFLICT: /);
      });

      test('connections list prints aligned columns: name, project or (global), enabled, environments, revision', async () => {
        ok(
          await hookline([
            'connections',
            'duplicate',
            'CRM_Webhook',
            '--name',
            'CRM_Global',
            '--global',
          ]),
        );
        ok(await hookline(['connections', 'disable', 'CRM_Global']));
        const [list, filtered] = await Promise.all([
          hookline(['connections', 'list']),
          hookline(['connections', 'list', '--project', 'team-a', '--enabled', 'true', '--json']),
        ]);
        const table = parseTable(ok(list));
        assert.deepEqual(table.header, [
          'NAME',
          'PROJECT',
          'ENABLED',
          'ENVIRONMENTS',
          'REVISION',
          'UPDATED',
        ]);
        const row = (name: string) => table.rows.find((cells) => cells[0] === name);
        assert.deepEqual(row('CRM_Webhook')?.slice(0, 5), [
          'CRM_Webhook',
          'default',
          'yes',
          'production,test',
          '2',
        ]);
        assert.deepEqual(row('CRM_Global')?.slice(0, 5), [
          'CRM_Global',
          '(global)',
          'no',
          'production,test',
          '1',
        ]);
        assert.match(row('CRM_Global')![5]!, /^\d{4}-\d\d-\d\d \d\d:\d\dZ$/);
        assert.deepEqual(row('Legacy_Audit')?.slice(1, 3), ['team-a', 'yes']);

        assert.deepEqual(
          JSON.parse(ok(filtered)).items.map((c: { name: string }) => c.name),
          ['Legacy_Audit'],
        );
      });

      test('rollback saves an earlier configuration as a new revision', async () => {
        const result = await hookline([
          'connections',
          'rollback',
          'CRM_Webhook',
          '--revision',
          '1',
        ]);
        assert.match(ok(result), /to the configuration of revision 1: now revision 3/);
        const json = JSON.parse(
          ok(await hookline(['connections', 'get', 'CRM_Webhook', '--json'])),
        );
        assert.equal(json.description, 'ticket events');
      });

      test('delete without --yes and without a terminal exits 2 and deletes nothing; --yes deletes', async () => {
        const refused = await hookline(['connections', 'delete', 'CRM_Global']);
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /pass --yes/);
        ok(await hookline(['connections', 'get', 'CRM_Global']));

        assert.match(
          ok(await hookline(['connections', 'delete', 'CRM_Global', '--yes'])),
          /deleted connection CRM_Global/,
        );
        const gone = await hookline(['connections', 'get', 'CRM_Global']);
        assert.equal(gone.code, 1);
        assert.match(gone.stderr, /^error NOT_FOUND: /);
      });
    });
  });

  describe('hookline serve and config', { concurrency: 1 }, () => {
    const bootstrapToken = 'hl_bootstrap-0123456789abcdefghijklmnopqrstuv';

    test('config prints the effective settings with HOOKLINE_BOOTSTRAP_TOKEN masked', async () => {
      const env = cleanEnv({ HOOKLINE_BOOTSTRAP_TOKEN: bootstrapToken, HOOKLINE_PORT: '9090' });
      const [table, json] = await Promise.all([
        runHookline(['config', '--data', join(root, 'cfg')], { env, cwd: root }),
        runHookline(['config', '--json', '--port', '7070'], { env, cwd: root }),
      ]);
      assert.equal(table.code, 0, table.stderr);
      assert.ok(!table.stdout.includes(bootstrapToken));
      assert.match(table.stdout, /^bootstrapToken\s+\*\*\*\*\s+HOOKLINE_BOOTSTRAP_TOKEN/m);
      assert.match(table.stdout, /^port\s+9090\s+HOOKLINE_PORT\s+--port$/m);

      assert.equal(json.code, 0, json.stderr);
      assert.ok(!json.stdout.includes(bootstrapToken));
      const shown = JSON.parse(json.stdout);
      assert.equal(shown.bootstrapToken, '****');
      assert.equal(shown.port, 7070, 'a flag overrides the environment');
    });

    test('serve with HOOKLINE_PORT=abc exits 2 naming HOOKLINE_PORT', async () => {
      const result = await runHookline(['serve', '--data', join(root, 'bad-port')], {
        env: cleanEnv({ HOOKLINE_PORT: 'abc' }),
        cwd: root,
      });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /HOOKLINE_PORT: .*"abc"/);
    });

    test('SIGTERM makes serve exit 0 and releases the port', async () => {
      const dataDir = join(root, 'sigterm');
      const server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'warn'], {
        env: cleanEnv({ HOOKLINE_BOOTSTRAP_TOKEN: bootstrapToken }),
        cwd: root,
      });
      assert.match(server.readyLine, /the admin token is HOOKLINE_BOOTSTRAP_TOKEN/);
      assert.equal(await canListenOn(server.port), false, 'serve holds the port while running');
      assert.equal(await server.stop('SIGTERM'), 0, server.output());
      assert.equal(await canListenOn(server.port), true, 'the port is free after shutdown');
      assert.ok(!server.output().includes(bootstrapToken));
    });
  });

  test('`hookline` runs by name with bin/ on PATH, as the README tour does', () => {
    const path = [join(repoRoot, 'bin'), dirname(process.execPath), process.env.PATH].join(':');
    const help = execFileSync('hookline', ['--help'], {
      cwd: root,
      env: cleanEnv({ PATH: path }),
      encoding: 'utf8',
    });
    assert.match(help, /^Usage: hookline /);
    assert.match(help, /connections/);
  });

  describe('bin/hookline.js on an old Node', { concurrency: 1 }, () => {
    const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((candidate) => {
      try {
        const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' });
        return Number(/^v(\d+)/.exec(version)?.[1]) < 24;
      } catch {
        return false;
      }
    });

    test(
      'exits 1 saying it needs Node.js 24',
      { skip: oldNode ? false : 'no Node older than 24 at /usr/bin/node or /usr/local/bin/node' },
      async () => {
        const result = await runHookline(['environments', 'list'], {
          env: cleanEnv(),
          cwd: root,
          node: oldNode,
        });
        assert.equal(result.code, 1);
        assert.match(
          result.stderr,
          /^Hookline needs Node\.js 24 or newer, but this is Node\.js 2\d\./,
        );
      },
    );
  });
});
