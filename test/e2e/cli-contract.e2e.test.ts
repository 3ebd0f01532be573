// Issue 13 §4 with the real `hookline` binary: `--json` errors are JSON on stdout with the
// exit codes of before, and `serve` on a busy port stops before it writes anything.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApi, testToken, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { cleanEnv, runHookline, type CliResult } from './helpers/hookline-process.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-cli-contract-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A TCP server on 127.0.0.1 holding a port the OS chose. */
async function holdPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

/** The `{"error": …}` document a failed `--json` command printed, and nothing else. */
function errorDocument(result: CliResult) {
  assert.equal(result.stderr, '', 'with --json the error goes to stdout only');
  const document = JSON.parse(result.stdout) as {
    error: { code: string; message: string; details?: Record<string, unknown> };
  };
  assert.deepEqual(Object.keys(document), ['error']);
  assert.equal(typeof document.error.message, 'string');
  return document.error;
}

describe('hookline binary: the API contract', { concurrency: true }, () => {
  describe('--json errors', { concurrency: true }, () => {
    // the CLI is the binary under test here; the server it talks to runs in this process
    let api: TestApi;
    let env: NodeJS.ProcessEnv;
    const hookline = (args: string[], extra: Record<string, string> = {}) =>
      runHookline(args, { env: { ...env, ...extra }, cwd: root });

    before(async () => {
      const sqlite = testStores().find((kind) => kind.name === 'sqlite');
      assert.ok(sqlite);
      api = await startTestApi(sqlite);
      env = cleanEnv({ HOOKLINE_URL: api.url, HOOKLINE_TOKEN: testToken });
    });
    after(() => api.close());

    test('an API error is the API answer on stdout, exit 1; without --json it stays on stderr', async () => {
      const json = await hookline(['connections', 'get', 'No_Such_Connection', '--json']);
      assert.equal(json.code, 1, json.stderr);
      const error = errorDocument(json);
      assert.equal(error.code, 'NOT_FOUND');
      assert.match(error.message, /No_Such_Connection/);

      const human = await hookline(['connections', 'get', 'No_Such_Connection']);
      assert.equal(human.code, 1);
      assert.equal(human.stdout, '');
      assert.match(human.stderr, /^error NOT_FOUND: /);
    });

    test('VALIDATION_FAILED keeps every problem in details; -o json is --json', async () => {
      const file = join(root, 'bad.json');
      writeFileSync(
        file,
        JSON.stringify({ name: 'Bad Name!', environments: { production: { method: 'POST' } } }),
      );
      const result = await hookline(['connections', 'create', '-f', file, '-o', 'json']);
      assert.equal(result.code, 1, result.stderr);
      const error = errorDocument(result);
      assert.equal(error.code, 'VALIDATION_FAILED');
      const paths = (error.details?.problems as { path: string }[]).map((p) => p.path).sort();
      assert.deepEqual(paths, ['environments.production.url', 'name']);
    });

    test('usage errors are USAGE on stdout, exit 2', async () => {
      const ours = await hookline([
        'send',
        'X',
        '--env',
        'development',
        '--timeout',
        '5',
        '--json',
      ]);
      assert.equal(ours.code, 2, ours.stderr);
      assert.equal(errorDocument(ours).code, 'USAGE');

      // refused by the argument parser before the command runs: it says so on stderr as well
      const parser = await hookline(['connections', 'get', '--json']);
      assert.equal(parser.code, 2);
      assert.equal(JSON.parse(parser.stdout).error.code, 'USAGE');
      assert.match(parser.stderr, /missing required argument/);
    });

    test('an unreachable server is UNREACHABLE, exit 1; a bad token is UNAUTHENTICATED', async () => {
      const { server: held, port } = await holdPort();
      await new Promise((resolve) => held.close(resolve));
      const down = await hookline(['environments', 'list', '--json'], {
        HOOKLINE_URL: `http://127.0.0.1:${port}`,
      });
      assert.equal(down.code, 1, down.stderr);
      assert.equal(errorDocument(down).code, 'UNREACHABLE');

      const wrongToken = await hookline(['environments', 'list', '--json'], {
        HOOKLINE_TOKEN: 'hl_not-a-token',
      });
      assert.equal(wrongToken.code, 1);
      assert.equal(errorDocument(wrongToken).code, 'UNAUTHENTICATED');
    });
  });

  test('serve on a busy port exits 1 naming the port, and creates no data directory', async () => {
    const { server: held, port } = await holdPort();
    try {
      const dataDir = join(root, 'never-created');
      const result = await runHookline(['serve', '--port', String(port), '--data', dataDir], {
        env: cleanEnv(),
        cwd: root,
      });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        new RegExp(`127\\.0\\.0\\.1:${port}: port ${port} is already in use`),
      );
      assert.equal(result.stdout, '', 'no ready line');
      assert.equal(existsSync(dataDir), false, 'the data directory was created');
    } finally {
      await new Promise((resolve) => held.close(resolve));
    }
  });
});
