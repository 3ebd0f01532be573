// The real `hookline` binary on `hookline export`: a server spawned with `serve --port 0` on
// SQLite in a temp data directory, and each CLI command its own child process, writing the
// archive where a user would find it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readZip } from '../helpers/read-zip.ts';
import {
  cleanEnv,
  runHookline,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/hookline-process.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-export-e2e-'));
after(() => rmSync(root, { recursive: true, force: true }));

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The name DESIGN §3 gives an export made at `at`: `13 Nov 2025-connection-<Name>-export.zip`. */
const expectedName = (name: string, at: Date) =>
  `${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()}-connection-${name}-export.zip`;

/** The archive's metadata.json. */
async function metadataOf(file: string): Promise<Record<string, any>> {
  const entries = await readZip(readFileSync(file));
  const metadata = entries.find((entry) => entry.path === 'metadata.json');
  assert.ok(metadata, `${file} holds metadata.json`);
  return JSON.parse(metadata.content.toString('utf8'));
}

describe('hookline export', () => {
  const dataDir = join(root, 'data');
  let server: ServeProcess;
  let env: NodeJS.ProcessEnv;

  const hookline = (args: string[], cwd: string) => runHookline(args, { env, cwd });
  const ok = (result: CliResult) => {
    assert.equal(result.code, 0, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  const workDir = (name: string) => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  before(async () => {
    server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'warn'], {
      env: cleanEnv(),
      cwd: root,
    });
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    env = cleanEnv({ HOOKLINE_URL: server.url, HOOKLINE_TOKEN: token });
    const file = join(root, 'webhook.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Production_Webhook',
        environments: {
          production: {
            method: 'POST',
            url: 'https://hooks.example.com/orders',
            headers: [{ name: 'Authorization', value: 'Bearer {{secret.WEBHOOK_TOKEN}}' }],
          },
        },
      }),
    );
    ok(await hookline(['connections', 'create', '-f', file], root));
  });
  after(async () => {
    await server.stop();
  });

  test('writes the archive under the server’s name in the current directory and prints it', async () => {
    const cwd = workDir('here');
    const started = new Date();
    const result = await hookline(['export', 'Production_Webhook'], cwd);
    const finished = new Date();
    const printed = ok(result).trim();
    // the day is the server's, in UTC: either end of a run across midnight is right
    const names = [
      expectedName('Production_Webhook', started),
      expectedName('Production_Webhook', finished),
    ];
    assert.ok(names.includes(printed), `printed ${printed}`);
    assert.deepEqual(readdirSync(cwd), [printed]);
    const metadata = await metadataOf(join(cwd, printed));
    assert.equal(metadata.connection.name, 'Production_Webhook');
    assert.equal(metadata.formatVersion, 1);
    assert.equal(result.stderr, '');
  });

  test('refuses to overwrite without --force (exit 2), and overwrites with it', async () => {
    const cwd = workDir('again');
    const first = ok(await hookline(['export', 'Production_Webhook'], cwd)).trim();
    const file = join(cwd, first);
    const before = readFileSync(file);
    const firstExport = (await metadataOf(file)).exportedAt;

    const refused = await hookline(['export', 'Production_Webhook'], cwd);
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr.trim(), `hookline: ${first} exists: add --force to overwrite it`);
    assert.deepEqual(readFileSync(file), before, 'the file was not touched');

    // exports a millisecond apart differ in exportedAt
    await new Promise((resolve) => setTimeout(resolve, 5));
    const forced = ok(await hookline(['export', 'Production_Webhook', '--force'], cwd)).trim();
    assert.equal(forced, first);
    const replaced = await metadataOf(file);
    assert.ok(replaced.exportedAt > firstExport, `${replaced.exportedAt} after ${firstExport}`);
    assert.deepEqual(readdirSync(cwd), [first], 'no temporary file is left behind');
  });

  test('-o writes into a directory under the server’s name, or to the file it names', async () => {
    const cwd = workDir('elsewhere');
    const into = workDir('elsewhere/archives');
    const inDir = ok(
      await hookline(['export', 'Production_Webhook', '-o', 'archives'], cwd),
    ).trim();
    assert.equal(inDir, join('archives', readdirSync(into)[0] as string));
    assert.match(inDir, /-connection-Production_Webhook-export\.zip$/);

    const named = ok(
      await hookline(['export', 'Production_Webhook', '--output', 'backup.zip'], cwd),
    ).trim();
    assert.equal(named, 'backup.zip');
    assert.equal((await metadataOf(join(cwd, 'backup.zip'))).connection.name, 'Production_Webhook');
    // a named file that exists is refused before anything is asked of the server
    const again = await hookline(['export', 'Production_Webhook', '-o', 'backup.zip'], cwd);
    assert.equal(again.code, 2);
    assert.equal(again.stderr.trim(), 'hookline: backup.zip exists: add --force to overwrite it');

    // a path ending in / is a directory, made when missing
    const made = ok(await hookline(['export', 'Production_Webhook', '-o', 'new/dir/'], cwd)).trim();
    assert.match(
      made,
      /^new\/dir\/\d{1,2} [A-Z][a-z]{2} \d{4}-connection-Production_Webhook-export\.zip$/,
    );
    assert.equal((await metadataOf(join(cwd, made))).connection.name, 'Production_Webhook');
  });

  test('an unknown connection is the server’s NOT_FOUND (exit 1), and no file is written', async () => {
    const cwd = workDir('unknown');
    const result = await hookline(['export', 'No_Such_Hook'], cwd);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error NOT_FOUND: connection 'No_Such_Hook' was not found/);
    assert.deepEqual(readdirSync(cwd), []);
  });
});
