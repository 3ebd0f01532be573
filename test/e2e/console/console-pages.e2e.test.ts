// The console's pages beyond the connections list, in a real Chromium against a real server:
// every page renders; a variable and a secret are created through the pages (the secret's
// value never reaches the page again); a connection's page shows its deployments, revision
// diff, metrics, deliveries (replayed one by one and in bulk) and audit trail; a certificate
// is uploaded from a file; the bell counts a new failure; a second admin approves a critical
// deploy; a user whose password someone else set is taken to choose their own first; an admin
// creates a token that is shown once; a viewer finds what they may not change disabled; and the
// connection page fits a phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  certificateExpiringInDays,
  createTestCertificate,
  createTestPki,
} from '../../helpers/test-certificates.ts';
import {
  browserSkipReason,
  launchChromium,
  logIn,
  openWatchedPage,
  startConsoleServer,
  stepTimeoutMs,
  type ConsoleServer,
  type TestUser,
  type WatchedPage,
  uniqueName,
  unlabelledControls,
  waitForCount,
} from './console-harness.ts';

/**
 * Polls `read` until `accept` likes its answer (the console's CSP allows no eval, so
 * page.waitForFunction with a string cannot run there).
 */
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + stepTimeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last: ${String(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Nothing listens on port 1: every call there ends CONNECT_REFUSED at once. */
const refusedUrl = 'http://127.0.0.1:1/hook';
const secretValue = 'xoxb-never-shown-again-5f3a9c';

describe('web console: the pages', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;

  // every test makes what it needs through the API (unique names) and uses a page and a user
  // of its own: each one runs alone, or in any order
  before(async () => {
    server = await startConsoleServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A page of its own, logged in as a new user of `role` who chose their own password. */
  async function openAs(
    role: 'viewer' | 'editor' | 'admin',
    viewport?: { width: number; height: number },
  ): Promise<WatchedPage & { user: TestUser }> {
    const watched = await openWatchedPage(browser, viewport ? { viewport } : {});
    const user = await server.createUser(role, `pages_${role}`);
    await logIn(watched.page, server.url, user.username, user.password);
    return { ...watched, user };
  }

  /**
   * A critical connection whose test environment refuses every call, without retries, at
   * revision 2 (a header and a timeout changed: something for the diff), deployed to test,
   * with 3 deliveries that reached the dead letter and one refused call.
   */
  async function createAlerts(): Promise<{ id: string; name: string }> {
    const name = uniqueName('Slack_Alerts');
    const made = await server.ok('POST', '/connections', {
      name,
      description: 'Alerts to #ops',
      critical: true,
      environments: {
        test: { method: 'POST', url: refusedUrl, retry: { maxAttempts: 1, waitSeconds: 0 } },
        production: { method: 'POST', url: 'https://hooks.example.com/alerts' },
      },
    });
    await server.ok('PATCH', `/connections/${made.id}`, {
      environments: {
        test: { headers: [{ name: 'X-Team', value: 'ops' }], requestTimeoutMs: 5000 },
      },
    });
    await server.ok('POST', `/connections/${made.id}/deploy`, { environment: 'test' });
    for (let i = 0; i < 3; i++) {
      await server.ok('POST', `/connections/${made.id}/deliveries`, {
        environment: 'test',
        body: { text: `alert ${i}` },
      });
    }
    await server.ok('POST', `/connections/${made.id}/invoke`, { environment: 'test', body: {} });
    // the deliveries reach the dead letter after their one attempt
    await until(
      async () =>
        (await server.ok('GET', `/deliveries?status=failed&connection=${made.id}`)).items.length,
      (failed) => failed === 3,
    );
    return { id: made.id, name };
  }

  test('every page shows its heading and a table or an empty state', async () => {
    const pki = await createTestPki();
    const connection = await server.ok('POST', '/connections', {
      name: uniqueName('Listed'),
      environments: { test: { method: 'POST', url: refusedUrl } },
    });
    const keystore = uniqueName('Client_mTLS');
    await server.ok('POST', '/keystores', {
      name: keystore,
      format: 'pem',
      certificatePem: pki.client.certPem,
      privateKeyPem: pki.client.keyPem,
    });
    const watched = await openAs('admin');
    const { page } = watched;
    const other = await server.createUser('admin', 'alice');
    const pages: Array<[name: string, path: string, heading: string]> = [
      ['connection', `/connections/${connection.id}`, connection.name],
      ['deliveries', '/deliveries', 'Deliveries'],
      ['environments', '/environments', 'Environments'],
      ['variables', '/variables', 'Variables'],
      ['secrets', '/secrets', 'Secrets'],
      ['certificates', '/certificates', 'Certificates'],
      ['keystores', '/keystores', 'Key stores'],
      ['notifications', '/notifications', 'Notifications'],
      ['audit', '/audit', 'Audit log'],
      ['users', '/users', 'Users'],
      ['approvals', '/approvals', 'Approvals'],
      ['account', '/account', 'Your account'],
    ];
    for (const [name, path, heading] of pages) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.locator('main table, main .empty').first().waitFor();
      await until(
        () => page.locator('main .loading').count(),
        (loading) => loading === 0,
      );
      await watched.screenshot(`page-${name}`);
      assert.deepEqual(await unlabelledControls(page), [], `unlabelled controls on ${path}`);
    }
    // the ones with seeded data show it
    await page.goto(`${server.url}/keystores`);
    await page.locator(`tr[data-keystore="${keystore}"]`).waitFor();
    await page.goto(`${server.url}/users`);
    await page.locator(`tr[data-user="${other.username}"]`).waitFor();
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('the connection page shows deployments, a revision diff, metrics, deliveries and the audit trail', async () => {
    const alerts = await createAlerts();
    const watched = await openAs('admin');
    const { page } = watched;
    await page.goto(`${server.url}/connections/${alerts.id}`);
    await page.getByRole('heading', { level: 1, name: alerts.name }).waitFor();
    await page.getByText('critical', { exact: true }).waitFor();
    const edit = page.getByRole('link', { name: 'Edit' });
    assert.match(
      (await edit.getAttribute('href')) ?? '',
      new RegExp(`/connections/${alerts.id}/edit$`),
    );

    const deployed = page.getByRole('table', { name: 'Deployed now' });
    await deployed.locator('tr[data-environment="test"]').getByText('revision 2').waitFor();
    const history = page.getByRole('table', { name: 'Deployment history' });
    await history.getByText('deployed revision 2 to test').waitFor();

    // revision 1 → 2: the added header and the changed timeout, marked with + and -
    const diff = page.getByLabel('Changes from revision 1 to revision 2');
    await diff.waitFor();
    const added = await diff.locator('.diff-line.added').allTextContents();
    const removed = await diff.locator('.diff-line.removed').allTextContents();
    assert.ok(
      added.some((line) => line.startsWith('+') && line.includes('X-Team')),
      added.join('\n'),
    );
    assert.ok(
      removed.some((line) => line.startsWith('-') && line.includes('2000')),
      removed.join('\n'),
    );

    // metrics: an outcome chart with a text alternative naming the refused calls
    const outcomes = page.getByRole('img', { name: /^Outcomes in Test: CONNECT_REFUSED \d+/ });
    await outcomes.waitFor();
    await page.getByRole('img', { name: /^Latency now in Test: p50/ }).waitFor();
    // and over the last hour, minute by minute: every call so far failed
    const overTime = page.getByRole('img', { name: /^Calls in Test: \d+ calls in the last hour/ });
    const said = (await overTime.getAttribute('aria-label')) ?? '';
    const [, calls, failed] = /(\d+) calls in the last hour, (\d+) failed/.exec(said) ?? [];
    assert.ok(Number(calls) > 0 && calls === failed, said);
    await page
      .getByRole('img', { name: /^Latency in Test: \d+ of 60 points with calls/ })
      .waitFor();

    // deliveries: the attempts of one, then a replay
    const deliveries = page.getByRole('table', { name: 'Recent deliveries' });
    await waitForCount(deliveries.locator('tbody tr[data-delivery]'), 3);
    const first = deliveries.locator('tbody tr[data-delivery]').first();
    const deliveryId = await first.getAttribute('data-delivery');
    await first.getByRole('button', { name: deliveryId ?? '', exact: true }).click();
    await page
      .getByRole('list', { name: `Attempts of ${deliveryId}` })
      .getByText('CONNECT_REFUSED')
      .waitFor();
    await first.getByRole('button', { name: `Replay ${deliveryId}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Replayed ${deliveryId}` })
      .waitFor();

    // the audit trail of this connection
    const trail = page.getByRole('table', { name: 'Audit trail' });
    await trail.locator('tr[data-audit="connection.deploy"]').first().waitFor();
    await trail.locator('tr[data-audit="connection.deploy"] summary').first().click();
    await trail.getByText('"environment": "test"').first().waitFor();
    await watched.screenshot('connection-page-details');
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('the deliveries page filters and replays every failed one with progress', async () => {
    const alerts = await createAlerts();
    const watched = await openAs('editor');
    const { page } = watched;
    await page.goto(`${server.url}/deliveries?connection=${alerts.id}`);
    await page.getByRole('heading', { level: 1, name: 'Deliveries' }).waitFor();
    await until(
      () => page.getByRole('combobox', { name: 'Connection' }).inputValue(),
      (name) => name === alerts.name,
    );
    await page.getByLabel('Status').selectOption('failed');
    await page
      .getByRole('table', { name: 'Deliveries' })
      .locator('tbody tr[data-delivery]')
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Replay failed deliveries…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay failed deliveries?' });
    await dialog.getByText('of this connection').waitFor();
    await dialog.getByRole('button', { name: 'Replay failed deliveries' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Done: [1-9]\d* replayed/ })
      .waitFor();
    await watched.screenshot('deliveries-bulk-replay');
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('a variable is created through its page with a value per environment', async () => {
    const name = uniqueName('API_BASE');
    const watched = await openAs('editor');
    const { page } = watched;
    await page.goto(`${server.url}/variables`);
    await page.getByRole('button', { name: '+ Create' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a variable' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Description').fill('where the partner API lives');
    await dialog.getByLabel('Value in test').fill('https://test.partner.example');
    await dialog.getByLabel('Value in production').fill('https://api.partner.example');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const row = page.locator(`tr[data-variable="${name}"]`);
    await row.getByText('https://api.partner.example').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved variable ${name}` })
      .waitFor();
    const stored = await server.ok('GET', `/variables/${name}`);
    assert.deepEqual(stored.values, {
      test: 'https://test.partner.example',
      production: 'https://api.partner.example',
    });
    await watched.screenshot('variable-created');
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('a deployment whose variable changed says "Redeploy to apply" on the list and the connection page, until it is redeployed', async () => {
    const variable = uniqueName('HOOK_PATH');
    await server.ok('POST', '/variables', { name: variable, values: { test: 'first' } });
    const name = uniqueName('Pinned_Hook');
    const created = await server.ok('POST', '/connections', {
      name,
      environments: {
        test: { method: 'POST', url: `${refusedUrl}/{{var.${variable}}}` },
        development: { method: 'POST', url: refusedUrl },
      },
    });
    await server.ok('POST', `/connections/${created.id}/deploy`, { environment: 'test' });
    await server.ok('POST', `/connections/${created.id}/deploy`, { environment: 'development' });
    await server.ok('PATCH', `/variables/${variable}`, { values: { test: 'second' } });

    const watched = await openAs('editor');
    const { page } = watched;
    await page.goto(`${server.url}/connections/${created.id}`);
    const deployed = page.getByRole('table', { name: 'Deployed now' });
    const note = deployed.locator(`tr[data-environment="test"] [data-redeploy="${variable}"]`);
    await note.getByText(`Redeploy to apply: ${variable}`).waitFor();
    // the environment whose values did not change says nothing
    await deployed.locator('tr[data-environment="development"]').getByText('revision 1').waitFor();
    assert.equal(
      await deployed.locator('tr[data-environment="development"] [data-redeploy]').count(),
      0,
    );
    await watched.screenshot('connection-redeploy-to-apply');

    await page.goto(`${server.url}/connections`);
    await page.getByLabel('Search by name').fill(name);
    await page.locator(`[data-redeploy="${variable}"]`).first().waitFor();

    // redeployed: the new value applies, and the note is gone
    await server.ok('POST', `/connections/${created.id}/deploy`, { environment: 'test' });
    const after = await server.ok('GET', `/connections/${created.id}`);
    assert.deepEqual(after.deployments.test.variablesChanged, []);
    await page.goto(`${server.url}/connections/${created.id}`);
    await deployed.locator('tr[data-environment="test"]').getByText('revision 1').waitFor();
    assert.equal(await page.locator('[data-redeploy]').count(), 0);
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('a secret is created through its page and its value never appears in the page again', async () => {
    const name = uniqueName('SLACK_TOKEN');
    const watched = await openAs('editor');
    const { page } = watched;
    await page.goto(`${server.url}/secrets`);
    await page.getByRole('button', { name: '+ Create' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a secret' });
    await dialog.getByLabel('Name').fill(name);
    const value = dialog.getByLabel('Value');
    assert.equal(await value.getAttribute('type'), 'password');
    await value.fill(secretValue);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.locator(`tr[data-secret="${name}"]`).getByText('stored').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `Created secret ${name}` })
      .waitFor();
    assert.ok(!(await page.content()).includes(secretValue), 'the secret is in the page');
    const stored = await server.ok('GET', `/secrets/${name}`);
    assert.equal(stored.source, 'stored');
    assert.ok(!JSON.stringify(stored).includes(secretValue));
    // rotating it: the same write-only field, and the value is gone again afterwards
    await page.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Rotate' }).click();
    const rotate = page.getByRole('dialog', { name: `Rotate secret ${name}` });
    await rotate.getByLabel('New value').fill(`${secretValue}-2`);
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Rotated ${name}: version 2` })
      .waitFor();
    assert.ok(!(await page.content()).includes(secretValue), 'the secret is in the page');
    await watched.screenshot('secret-created');
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('a certificate is uploaded from a PEM file; one expiring within 30 days is marked', async () => {
    const expiring = uniqueName('Expiring_CA');
    await server.ok('POST', '/certificates', {
      name: expiring,
      description: 'renew me',
      pem: certificateExpiringInDays(10, 'Expiring CA').certPem,
    });
    const name = uniqueName('Partner_CA');
    const watched = await openAs('editor');
    const { page } = watched;
    const pem = certificateExpiringInDays(400, 'Partner Root CA').certPem;
    await page.goto(`${server.url}/certificates`);
    await page
      .locator(`tr[data-certificate="${expiring}"] [data-expiry="soon"]`)
      .getByText(/expires in \d+ days/)
      .waitFor();
    await page.getByRole('button', { name: '+ Upload' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload a certificate' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('PEM file').setInputFiles({
      name: 'partner-ca.pem',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(pem),
    });
    await until(
      () => dialog.getByLabel('PEM text').inputValue(),
      (text) => text.includes('BEGIN CERTIFICATE'),
    );
    await dialog.getByRole('button', { name: 'Upload' }).click();
    const row = page.locator(`tr[data-certificate="${name}"]`);
    await row.getByText('CN=Partner Root CA').waitFor();
    assert.equal(await row.locator('[data-expiry]').getAttribute('data-expiry'), 'fine');
    await watched.screenshot('certificate-uploaded');
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('a key store is uploaded from PEM files; its private key never appears in the page', async () => {
    const name = uniqueName('Partner_Client');
    const watched = await openAs('editor');
    const { page } = watched;
    const pair = createTestCertificate({ commonName: 'partner-client', usage: 'client' });
    await page.goto(`${server.url}/keystores`);
    await page.getByRole('button', { name: '+ Upload' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload a key store' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Certificate file (PEM)').setInputFiles({
      name: 'client.crt',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(pair.certPem),
    });
    await dialog.getByLabel('Private key file (PEM)').setInputFiles({
      name: 'client.key',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(pair.keyPem),
    });
    await dialog.getByText('client.key read').waitFor();
    await dialog.getByRole('button', { name: 'Upload' }).click();
    const row = page.locator(`tr[data-keystore="${name}"]`);
    await row.getByText('CN=partner-client').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved key store ${name}` })
      .waitFor();
    const keyBody = pair.keyPem.split('\n')[1] ?? '';
    assert.ok(keyBody.length > 20);
    assert.ok(!(await page.content()).includes(keyBody), 'the private key is in the page');
    await row.getByRole('button', { name, exact: true }).click();
    await page.getByText('No connection uses it.').waitFor();
    await watched.screenshot('keystore-uploaded');
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('the bell counts a failure that came after the notifications page was read', async () => {
    const watched = await openAs('editor');
    const { page } = watched;
    await page.goto(`${server.url}/notifications`);
    await page.getByRole('table', { name: 'Notifications' }).waitFor();
    // reading the page marks everything seen: the bell shows no count
    // the bell in the top bar (the sidebar has a Notifications link too)
    await page
      .getByRole('banner')
      .getByRole('link', { name: 'Notifications', exact: true })
      .waitFor();
    assert.equal(await page.getByTestId('bell-count').count(), 0);
    await page.goto(`${server.url}/environments`);
    await page.getByRole('heading', { level: 1, name: 'Environments' }).waitFor();
    const tested = await server.ok('POST', '/connections/test', {
      environment: 'test',
      connection: {
        name: uniqueName('Draft_Refused'),
        environments: { test: { method: 'GET', url: refusedUrl } },
      },
    });
    assert.equal(tested.outcome, 'CONNECT_REFUSED');
    // notifications are written about once a second; the bell asks every 10 s
    const count = page.getByTestId('bell-count');
    await count.waitFor();
    assert.match(await count.innerText(), /^[1-9]\d*$/);
    await page.getByRole('link', { name: /^Notifications: \d+ unread$/ }).waitFor();
    await watched.screenshot('bell-unread');
    // opening the page reads them
    await page.getByRole('link', { name: /^Notifications: \d+ unread$/ }).click();
    await page.getByRole('table', { name: 'Notifications' }).locator('tr.is-new').first().waitFor();
    await count.waitFor({ state: 'detached' });
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('a second admin approves the critical deploy the first one asked for', async () => {
    const name = uniqueName('Critical_Alerts');
    await server.ok('POST', '/connections', {
      name,
      critical: true,
      environments: { production: { method: 'POST', url: 'https://hooks.example.com/alerts' } },
    });
    // the admin who asked cannot approve it: the button says why
    const watched = await openAs('admin');
    const { page, user } = watched;
    const asked = await user.api('POST', `/connections/${name}/deploy`, {
      environment: 'production',
    });
    assert.equal(asked.body.error.code, 'APPROVAL_REQUIRED', JSON.stringify(asked.body));
    await page.goto(`${server.url}/approvals`);
    const pending = page.getByRole('table', { name: 'Pending approvals' });
    const ownApprove = pending.getByRole('button', {
      name: `Approve ${name} revision 1 to production`,
    });
    await ownApprove.waitFor();
    assert.equal(await ownApprove.isDisabled(), true);
    assert.match((await ownApprove.getAttribute('title')) ?? '', /another admin must approve/);
    watched.assertNoProblems();
    await watched.context.close();

    const alice = await openAs('admin');
    try {
      await alice.page.goto(`${server.url}/approvals`);
      const approve = alice.page
        .getByRole('table', { name: 'Pending approvals' })
        .getByRole('button', { name: `Approve ${name} revision 1 to production` });
      await approve.click();
      const dialog = alice.page.getByRole('dialog', {
        name: `Approve the deploy of revision 1 of ${name} to production?`,
      });
      await dialog.getByLabel('Comment').fill('checked the URL with ops');
      await dialog.getByRole('button', { name: 'Approve and deploy' }).click();
      await alice.page
        .getByRole('status')
        .filter({ hasText: /^Approved:/ })
        .waitFor();
      await approve.waitFor({ state: 'detached' });
      await alice.page
        .getByRole('table', { name: 'All approvals' })
        .getByText('checked the URL with ops')
        .waitFor();
      await alice.screenshot('approval-approved');
      const stored = await server.ok('GET', `/connections/${name}`);
      assert.equal(stored.deployments.production.revision, 1);
      assert.equal(stored.deployments.production.deployedBy, alice.user.username);
      alice.assertNoProblems();
    } finally {
      await alice.context.close();
    }
  });

  test('a user whose password an admin set is taken to the password change first, then on to the list', async () => {
    // an admin creates a user with a password: it is the admin's, not theirs
    const username = uniqueName('new_editor');
    const given = `given ${uniqueName('password')}`;
    const chosen = `chosen ${uniqueName('password')}`;
    await server.ok('POST', '/users', { username, role: 'editor', password: given });
    const watched = await openWatchedPage(browser);
    const { page } = watched;
    try {
      await page.goto(`${server.url}/connections`);
      await page.getByLabel('User name').fill(username);
      await page.getByLabel('Password').fill(given);
      await page.getByRole('button', { name: 'Log in' }).click();
      const heading = page.getByRole('heading', { name: 'Choose your own password' });
      await heading.waitFor();
      assert.match(page.url(), /\/change-password$/);
      await page.getByText('Someone else set the password of').waitFor();
      // nowhere else until it is changed: another page leads back here
      await page.goto(`${server.url}/deliveries`);
      await heading.waitFor();
      assert.match(page.url(), /\/change-password$/);
      assert.equal(await page.getByRole('navigation', { name: 'Sections' }).count(), 0);
      await watched.screenshot('choose-password');
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls on the change');
      // a wrong current password is refused on the page
      await page.getByLabel('Current password').fill('not my password at all');
      await page.getByLabel('New password', { exact: true }).fill(chosen);
      await page.getByLabel('New password again').fill(chosen);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('is not your current password').waitFor();
      assert.deepEqual(
        watched.problems.filter((p) => !/400/.test(p)),
        [],
        watched.problems.join('\n'),
      );
      watched.problems.length = 0;
      await page.getByLabel('Current password').fill(given);
      await page.getByLabel('New password', { exact: true }).fill(chosen);
      await page.getByLabel('New password again').fill(chosen);
      await page.getByRole('button', { name: 'Change password' }).click();
      // on to where they were going, and from there anywhere: the list
      await page.getByRole('heading', { level: 1, name: 'Deliveries' }).waitFor();
      await page.waitForURL(/\/deliveries$/);
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: 'Connections' })
        .click();
      await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
      await page.waitForURL(/\/connections$/);
      const stored = await server.ok('GET', `/users/${username}`);
      assert.equal(stored.mustChangePassword, false);
      // the chosen password is the one that logs in now
      const login = await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: chosen }),
      });
      assert.equal(login.status, 200);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test("when an admin sets a logged-in user's password, their next step leads through the login and the password change back to where they were going", async () => {
    const user = await server.createUser('editor', 'reset_me');
    const watched = await openWatchedPage(browser);
    const { page } = watched;
    try {
      await logIn(page, server.url, user.username, user.password);
      await page.goto(`${server.url}/variables`);
      await page.getByRole('heading', { level: 1, name: 'Variables' }).waitFor();
      // an admin sets a new password: the user's sessions end, and they must change it
      const reset = `reset ${uniqueName('password')}`;
      await server.ok('PATCH', `/users/${user.username}`, { password: reset });
      await page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('link', { name: 'Secrets' })
        .click();
      await page.getByText('Your session ended').waitFor();
      for (const problem of watched.problems) assert.match(problem, /401/);
      watched.problems.length = 0;
      await page.getByLabel('User name').fill(user.username);
      await page.getByLabel('Password').fill(reset);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
      const chosen = `chosen ${uniqueName('password')}`;
      await page.getByLabel('Current password').fill(reset);
      await page.getByLabel('New password', { exact: true }).fill(chosen);
      await page.getByLabel('New password again').fill(chosen);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('heading', { level: 1, name: 'Secrets' }).waitFor();
      await page.waitForURL(/\/secrets$/);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('an admin creates a token on their account page, shown once', async () => {
    const watched = await openAs('admin');
    const { page } = watched;
    await page.goto(`${server.url}/account`);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

    const tokenName = uniqueName('ci-deploy');
    await page.getByLabel('Token name').fill(tokenName);
    await page.getByLabel('Role').selectOption('editor');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await shown.waitFor();
    const token = await shown.innerText();
    await page.getByText('it is shown this once').waitFor();
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    await page.locator(`tr[data-token="${tokenName}"]`).getByText('editor').waitFor();
    await watched.screenshot('token-created');
    // the token works, as an editor
    const me = await fetch(`${server.url}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { role: string }).role, 'editor');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await shown.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(token), 'the token is still in the page');
    watched.assertNoProblems();
    await watched.context.close();
  });

  test('a viewer sees every page, with the changes they may not make disabled', async () => {
    const alerts = await createAlerts();
    const variable = uniqueName('API_BASE');
    await server.ok('POST', '/variables', {
      name: variable,
      values: { test: 'https://test.partner.example' },
    });
    const viewer = await openAs('viewer');
    try {
      const { page } = viewer;
      await page.goto(`${server.url}/connections/${alerts.id}`);
      await page.getByRole('heading', { level: 1, name: alerts.name }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Edit' }).isDisabled(), true);
      const replay = page.getByRole('table', { name: 'Recent deliveries' }).getByRole('button', {
        name: /^Replay /,
      });
      await replay.first().waitFor();
      for (const button of await replay.all()) assert.equal(await button.isDisabled(), true);
      for (const [path, heading] of [
        ['/deliveries', 'Deliveries'],
        ['/environments', 'Environments'],
        ['/variables', 'Variables'],
        ['/secrets', 'Secrets'],
        ['/certificates', 'Certificates'],
        ['/keystores', 'Key stores'],
        ['/notifications', 'Notifications'],
        ['/audit', 'Audit log'],
        ['/approvals', 'Approvals'],
        ['/account', 'Your account'],
        ['/users', 'Users'],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.locator('main table, main .empty').first().waitFor();
      }
      // no Users in the navigation, and the page says who may
      assert.equal(
        await page.getByRole('navigation', { name: 'Sections' }).getByText('Users').count(),
        0,
      );
      await page.getByText('Only admins manage users').waitFor();
      await page.goto(`${server.url}/variables`);
      await page.locator(`tr[data-variable="${variable}"]`).waitFor();
      assert.equal(await page.getByRole('button', { name: '+ Create' }).count(), 0);
      await page.getByRole('button', { name: `Actions for ${variable}` }).click();
      assert.equal(await page.getByRole('menuitem', { name: 'Edit' }).isDisabled(), true);
      assert.equal(await page.getByRole('menuitem', { name: 'Delete' }).isDisabled(), true);
      await page.keyboard.press('Escape');
      await page.goto(`${server.url}/deliveries`);
      await page.getByRole('table', { name: 'Deliveries' }).waitFor();
      assert.equal(
        await page.getByRole('button', { name: 'Replay failed deliveries…' }).isDisabled(),
        true,
      );
      await viewer.screenshot('viewer-deliveries');
      viewer.assertNoProblems();
    } finally {
      await viewer.context.close();
    }
  });

  test('on a phone-sized screen the connection page fits without sideways scrolling', async () => {
    const alerts = await createAlerts();
    const phone = await openAs('viewer', { width: 390, height: 844 });
    try {
      await phone.page.goto(`${server.url}/connections/${alerts.id}`);
      await phone.page.getByRole('heading', { level: 1, name: alerts.name }).waitFor();
      await phone.page.getByLabel(/^Changes from revision/).waitFor();
      await phone.page.getByRole('img', { name: /^Outcomes in Test/ }).waitFor();
      await phone.page.getByRole('table', { name: 'Audit trail' }).waitFor();
      await phone.screenshot('phone-connection-page');
      const width = await phone.page.evaluate<number>('document.documentElement.scrollWidth');
      assert.ok(width <= 390, `the page scrolls sideways: ${width} px wide`);
      phone.assertNoProblems();
    } finally {
      await phone.context.close();
    }
  });
});
