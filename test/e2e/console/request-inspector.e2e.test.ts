// "See what was sent" (issue 14 §4, §10) in a real Chromium against a real server: a delivery's
// attempt shows the request as sent — method, URL, headers and body, the secret masked as its
// reference — and its Copy as curl command, run with HOOKLINE_SECRET_<NAME> set, makes the same
// call to the same local target; the connection page's Call it offers the deployed revision's
// request as curl (which reaches the target the same way) and a send snippet that, run, makes
// a delivery through Hookline.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { closeAllTargets, startHttpTarget, type Target } from '../../helpers/target-servers.ts';
import {
  browserSkipReason,
  launchChromium,
  logIn,
  openWatchedPage,
  screenshotDir,
  startConsoleServer,
  stepTimeoutMs,
  type ConsoleServer,
  type WatchedPage,
  uniqueName,
  unlabelledControls,
} from './console-harness.ts';

const run = promisify(execFile);

/** Runs a command as a user would paste it: /bin/sh, only PATH and `env` set. */
async function runInShell(command: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', command], {
    env: { PATH: '/usr/bin:/bin', ...env },
    timeout: stepTimeoutMs,
  });
  return stdout;
}

/** What a replay must repeat of a request: method, path and query, these headers, the body. */
const sameHeaders = ['x-api-key', 'x-plain', 'content-type', 'user-agent', 'traceparent'];

describe('web console: the request inspector', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;

  before(async () => {
    server = await startConsoleServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await closeAllTargets();
  });

  async function openAsEditor(): Promise<WatchedPage> {
    const watched = await openWatchedPage(browser);
    const user = await server.createUser('editor', 'inspector');
    await logIn(watched.page, server.url, user.username, user.password);
    return watched;
  }

  /** A secret and a connection to `target` that puts it in a header and the query, deployed. */
  async function deployedWithSecret(target: Target) {
    const secretName = uniqueName('inspector-key');
    const secretValue = `never-on-a-page-${crypto.randomUUID()}`;
    await server.ok('POST', '/secrets', { name: secretName, value: secretValue });
    const name = uniqueName('Inspected');
    const created = await server.ok('POST', '/connections', {
      name,
      environments: {
        development: {
          method: 'POST',
          url: `${target.origin}/orders/{{param.order}}?key={{secret.${secretName}}}`,
          headers: [
            { name: 'X-Api-Key', value: `{{secret.${secretName}}}` },
            { name: 'X-Plain', value: 'plain value' },
          ],
        },
      },
    });
    await server.ok('POST', `/connections/${created.id}/deploy`, { environment: 'development' });
    const placeholder = `HOOKLINE_SECRET_${secretName.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
    return { id: created.id as string, name, secretName, secretValue, placeholder };
  }

  test('an attempt shows the request as sent, masked, and its curl command makes the same call', async () => {
    const target = await startHttpTarget();
    const connection = await deployedWithSecret(target);
    const accepted = await server.ok('POST', `/connections/${connection.id}/deliveries`, {
      environment: 'development',
      body: { text: "it's here", n: 1 },
      params: { order: '42' },
    });
    const [original] = await target.waitForRequests(1, stepTimeoutMs);

    const watched = await openAsEditor();
    const { page } = watched;
    await watched.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: server.url,
    });
    await page.goto(`${server.url}/deliveries?connection=${connection.id}`);
    await page.getByRole('button', { name: accepted.id, exact: true }).click();
    const attempts = page.getByRole('list', { name: `Attempts of ${accepted.id}` });
    await attempts.getByText('Request', { exact: true }).click();
    const request = page.getByLabel('Request of attempt 1');
    await request.waitFor();
    const shown = await request.innerText();
    assert.ok(shown.includes(`X-Api-Key: {{secret.${connection.secretName}}}`), shown);
    assert.match(shown, /^POST http:\/\/127\.0\.0\.1:\d+\/orders\/42\?key=\{\{secret\./);
    assert.ok(shown.includes('X-Plain: plain value'), shown);
    assert.ok(shown.includes(`{"text":"it's here","n":1}`), shown);
    assert.ok(
      !(await page.content()).includes(connection.secretValue),
      'the secret is on the page',
    );

    const curl = await page.getByLabel('curl command of attempt 1').innerText();
    assert.ok(curl.includes(`$${connection.placeholder}`), curl);
    assert.ok(!curl.includes(connection.secretValue), curl);
    await page.getByRole('button', { name: 'Copy as curl (attempt 1)' }).click();
    await page.getByText('Copied.').waitFor();
    const copied = await page.evaluate(() => (globalThis as any).navigator.clipboard.readText());
    assert.equal(copied, curl);
    await watched.screenshot('request-inspector-attempt');

    await runInShell(`${curl} --silent --output /dev/null`, {
      [connection.placeholder]: connection.secretValue,
    });
    const [, replayed] = await target.waitForRequests(2, stepTimeoutMs);
    assert.equal(replayed?.method, original?.method);
    assert.equal(replayed?.url, original?.url);
    assert.equal(replayed?.headers['x-api-key'], connection.secretValue);
    for (const name of sameHeaders) {
      assert.equal(replayed?.headers[name], original?.headers[name], name);
    }
    assert.deepEqual(replayed?.body, original?.body);

    // replayed from the page with its attempts open: the detail and the row finish by themselves
    await page.getByRole('button', { name: `Replay ${accepted.id}` }).click();
    await attempts.getByText('Attempt 2', { exact: true }).waitFor();
    const row = page.locator(`tr[data-delivery="${accepted.id}"]`);
    await row.getByText('succeeded', { exact: true }).waitFor();
    await row.getByRole('cell', { name: '2', exact: true }).waitFor();
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('a freshly deployed connection offers Call it: its curl reaches the target, its send snippet makes a delivery', async () => {
    const target = await startHttpTarget();
    const connection = await deployedWithSecret(target);
    const watched = await openAsEditor();
    const { page } = watched;
    await page.goto(`${server.url}/connections/${connection.id}`);
    const section = page.getByRole('region', { name: 'Call it' });
    await section.getByText('Deployed, and not called yet').waitFor();
    const curl = await section.getByLabel('curl command of Development').innerText();
    assert.ok(
      !(await page.content()).includes(connection.secretValue),
      'the secret is on the page',
    );
    assert.ok(curl.includes('$HOOKLINE_PARAM_ORDER'), curl);
    const cli = await section.getByLabel('CLI (Development)').innerText();
    assert.ok(cli.startsWith(`hookline send '${connection.name}' --env 'development'`), cli);
    assert.deepEqual(await unlabelledControls(page), []);
    await watched.screenshot('request-inspector-call-it');

    // the deployed request, straight to the target
    await runInShell(`${curl} --silent --output /dev/null`, {
      [connection.placeholder]: connection.secretValue,
      HOOKLINE_PARAM_ORDER: '7',
    });
    const [direct] = await target.waitForRequests(1, stepTimeoutMs);
    assert.equal(direct?.method, 'POST');
    assert.equal(direct?.url, `/orders/7?key=${connection.secretValue}`);
    assert.equal(direct?.headers['x-api-key'], connection.secretValue);
    assert.equal(direct?.headers['x-plain'], 'plain value');

    // the send snippet, through Hookline: a delivery the worker sends to the same target
    const send = await section.getByLabel('curl through Hookline (Development)').innerText();
    const answer = await runInShell(`${send} --silent`, {
      HOOKLINE_URL: server.url,
      HOOKLINE_TOKEN: server.token,
    });
    assert.match(JSON.parse(answer).id, /^dlv_/);
    const [, delivered] = await target.waitForRequests(2, stepTimeoutMs);
    assert.equal(delivered?.headers['x-api-key'], connection.secretValue);
    assert.deepEqual(JSON.parse(delivered!.body.toString('utf8')), { text: 'Hello from Hookline' });

    // on a phone the commands wrap inside the panel
    await page.setViewportSize({ width: 390, height: 844 });
    await section.screenshot({ path: join(screenshotDir, 'request-inspector-call-it-phone.png') });
    watched.assertNoProblems();
    await watched.context.close();
  });
});
