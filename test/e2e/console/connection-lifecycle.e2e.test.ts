// The connection's own page in a real Chromium against a real server: from the list to the
// page, roll back with the re-typed name, deploy a chosen revision with its diff, promote to
// production (asked for explicitly), undeploy, a critical deploy waiting for approval, Disable
// with Undo, Test with a sample body and a test delivery against a real local target.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startHttpTarget, type Target } from '../../helpers/target-servers.ts';
import {
  browserSkipReason,
  eventually,
  launchChromium,
  logIn,
  openWatchedPage,
  startConsoleServer,
  type ConsoleServer,
  type WatchedPage,
  uniqueName,
  unlabelledControls,
} from './console-harness.ts';

describe('web console: a connection page’s lifecycle', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  let target: Target;

  before(async () => {
    server = await startConsoleServer();
    // a receiver like a Slack webhook: 400 to an empty body, 200 to anything else
    target = await startHttpTarget((request, response) => {
      if (request.body.length === 0) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('no_text');
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await target?.close();
    await server?.close();
  });

  interface Made {
    id: string;
    name: string;
  }

  /** A connection of this test's own: `test` calls the local target, `production` a host. */
  async function createConnection(prefix: string, extra: object = {}): Promise<Made> {
    const name = uniqueName(prefix);
    return server.ok('POST', '/connections', {
      name,
      environments: {
        test: { method: 'POST', url: `${target.origin}/hook` },
        production: { method: 'POST', url: `https://${name.toLowerCase()}.example.com/hook` },
      },
      ...extra,
    });
  }

  /** A second revision: a changed request timeout in test. */
  async function changeTimeout(made: Made): Promise<void> {
    await server.ok('PATCH', `/connections/${made.id}`, {
      environments: { test: { requestTimeoutMs: 5000 } },
    });
  }

  async function openAsAdmin(): Promise<WatchedPage> {
    const watched = await openWatchedPage(browser);
    const admin = await server.createUser('admin', 'life_admin');
    await logIn(watched.page, server.url, admin.username, admin.password);
    return watched;
  }

  async function openPage(watched: WatchedPage, made: Made): Promise<void> {
    await watched.page.goto(`${server.url}/connections/${made.id}`);
    await watched.page.getByRole('heading', { level: 1, name: made.name }).waitFor();
  }

  const runs = (watched: WatchedPage, environment: string) =>
    watched.page
      .getByRole('table', { name: 'Deployed now' })
      .locator(`tr[data-environment="${environment}"]`);

  test('list → the connection’s page → roll back with the re-typed name → the deployments table shows the new revision', async () => {
    const made = await createConnection('Rollback');
    await changeTimeout(made);
    await server.ok('POST', `/connections/${made.id}/deploy`, { environment: 'test' });
    const watched = await openAsAdmin();
    const { page } = watched;
    try {
      // the list: the connection is there
      await page.locator(`tr[data-connection="${made.name}"]`).waitFor();
      // …and its name opens its page
      await page
        .locator(`tr[data-connection="${made.name}"]`)
        .getByRole('link', { name: made.name, exact: true })
        .click();
      await page.getByRole('heading', { level: 1, name: made.name }).waitFor();
      await runs(watched, 'test').getByText('revision 2').waitFor();

      await page.getByRole('button', { name: 'Roll back to revision 1…' }).click();
      const dialog = page.getByRole('dialog', { name: `Roll back ${made.name} to revision 1?` });
      await dialog.getByText('as a new revision 3').waitFor();
      // what comes back: the timeout of revision 1
      const diff = dialog.getByLabel('Changes from revision 2 (latest) to revision 3');
      await diff.locator('.diff-line.added').filter({ hasText: '2000' }).first().waitFor();
      // deploying where it runs is offered, test checked
      const deployTest = dialog.getByRole('checkbox', { name: /^Test \(runs revision 2\)/ });
      assert.equal(await deployTest.isChecked(), true);
      const confirm = dialog.getByRole('button', { name: 'Roll back to revision 1' });
      assert.equal(await confirm.isDisabled(), true);
      await dialog.getByLabel(`Type ${made.name} to confirm`).fill(made.name);
      await watched.screenshot('lifecycle-rollback-dialog');
      await confirm.click();

      await page.getByRole('status').filter({ hasText: 'Rolled back: revision 3' }).waitFor();
      await runs(watched, 'test').getByText('revision 3', { exact: true }).waitFor();
      await watched.screenshot('lifecycle-rollback-deployed');
      const rolled = await server.ok('GET', `/connections/${made.id}`);
      assert.equal(rolled.revision, 3);
      assert.equal(rolled.deployments.test.revision, 3);
      assert.equal(rolled.environments.test.requestTimeoutMs, 2000);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('deploy a chosen revision with its diff, promote test → production after an explicit yes, then undeploy', async () => {
    const made = await createConnection('Promote');
    await changeTimeout(made);
    const watched = await openAsAdmin();
    const { page } = watched;
    try {
      await openPage(watched, made);
      // revision 1 to test: the dialog shows what test will run against nothing
      await page.getByRole('button', { name: 'Deploy revision 1…' }).click();
      let dialog = page.getByRole('dialog', { name: `Deploy a revision: ${made.name}` });
      await dialog.getByLabel('Environment').selectOption('test');
      const diff = dialog.getByLabel('What changes in Test');
      await diff
        .locator('.diff-line.added')
        .filter({ hasText: '"requestTimeoutMs": 2000' })
        .waitFor();
      await watched.screenshot('lifecycle-deploy-dialog');
      await dialog.getByRole('button', { name: 'Deploy revision 1 to Test' }).click();
      await page.getByRole('status').filter({ hasText: 'Deployed revision 1 to Test.' }).waitFor();
      await runs(watched, 'test')
        .getByText(/^revision 1( |$)/)
        .waitFor();

      // promote what test runs to production: a production target needs the explicit yes
      await page.getByRole('button', { name: 'Promote from Test…' }).click();
      dialog = page.getByRole('dialog', { name: `Promote to another environment: ${made.name}` });
      await dialog.getByLabel('To').selectOption('production');
      await dialog.getByLabel('What changes in Production').waitFor();
      const promote = dialog.getByRole('button', { name: 'Promote revision 1 to Production' });
      assert.equal(await promote.isDisabled(), true);
      await dialog.getByRole('checkbox', { name: /production environment: yes/ }).check();
      await watched.screenshot('lifecycle-promote-confirm');
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls in Promote');
      await promote.click();
      await runs(watched, 'production')
        .getByText(/^revision 1( |$)/)
        .waitFor();

      // undeploy from test: it says what stops, then the row says so
      await page.getByRole('button', { name: 'Undeploy from Test…' }).click();
      dialog = page.getByRole('dialog', { name: `Undeploy: ${made.name}` });
      await dialog.getByText('Test stops running revision 1').waitFor();
      await dialog.getByRole('button', { name: 'Undeploy from Test' }).click();
      await runs(watched, 'test').getByText('configured, not deployed').waitFor();
      const after = await server.ok('GET', `/connections/${made.id}`);
      assert.deepEqual(Object.keys(after.deployments), ['production']);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('a critical connection’s production deploy says it waits for approval, with the way to Approvals', async () => {
    const made = await createConnection('Critical', { critical: true });
    const watched = await openAsAdmin();
    const { page } = watched;
    try {
      await openPage(watched, made);
      await page.getByRole('button', { name: 'Deploy to Production…' }).click();
      const dialog = page.getByRole('dialog', { name: `Deploy a revision: ${made.name}` });
      await dialog.getByText('waits for a second admin').waitFor();
      await dialog.getByRole('checkbox', { name: /production environment: yes/ }).check();
      await dialog.getByRole('button', { name: 'Deploy revision 1 to Production' }).click();
      const waiting = page.getByRole('status').filter({ hasText: 'Waiting for approval' });
      await waiting.waitFor();
      await waiting.getByRole('link', { name: 'Open Approvals' }).waitFor();
      await watched.screenshot('lifecycle-waiting-for-approval');
      const approvals = await server.ok('GET', '/approvals?state=pending');
      assert.ok(approvals.items.some((a: { connectionId: string }) => a.connectionId === made.id));
      // the 409 APPROVAL_REQUIRED is the API answering, logged by the browser
      assert.ok(
        watched.problems.every((p) => p.includes('409')),
        watched.problems.join('\n'),
      );
    } finally {
      await watched.context.close();
    }
  });

  test('Disable asks first, then Undo enables it again', async () => {
    const made = await createConnection('Disable');
    const watched = await openAsAdmin();
    const { page } = watched;
    try {
      await openPage(watched, made);
      await page.getByRole('button', { name: 'Disable' }).click();
      const dialog = page.getByRole('dialog', { name: `Disable ${made.name}?` });
      await dialog.getByRole('button', { name: 'Disable' }).click();
      const said = page.getByRole('status').filter({ hasText: `Disabled ${made.name}` });
      await said.waitFor();
      await page.locator('.subtitle').getByText('Disabled', { exact: true }).waitFor();
      await watched.screenshot('lifecycle-disabled-undo');
      assert.equal((await server.ok('GET', `/connections/${made.id}`)).enabled, false);
      await said.getByRole('button', { name: 'Undo' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Undone: ${made.name} is enabled.` })
        .waitFor();
      await page.locator('.subtitle').getByText('Enabled', { exact: true }).waitFor();
      assert.equal((await server.ok('GET', `/connections/${made.id}`)).enabled, true);

      // Delete asks for the name, re-typed, then leaves for the list
      await page.getByRole('button', { name: 'Delete' }).click();
      const remove = page.getByRole('dialog', { name: `Delete ${made.name}?` });
      const confirm = remove.getByRole('button', { name: 'Delete' });
      assert.equal(await confirm.isDisabled(), true);
      await remove.getByLabel(`Type ${made.name} to confirm`).fill(made.name);
      await confirm.click();
      await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
      assert.equal((await server.api('GET', `/connections/${made.id}`)).status, 404);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('a viewer sees the changes disabled, each saying who may make it; Export stays open', async () => {
    const made = await createConnection('Viewer');
    await server.ok('POST', `/connections/${made.id}/deploy`, { environment: 'test' });
    const watched = await openWatchedPage(browser);
    const viewer = await server.createUser('viewer', 'life_viewer');
    await logIn(watched.page, server.url, viewer.username, viewer.password);
    const { page } = watched;
    try {
      await openPage(watched, made);
      for (const name of ['Edit', 'Test', 'Send a test delivery', 'Disable', 'Delete']) {
        const button = page.getByRole('button', { name, exact: true });
        assert.equal(await button.isDisabled(), true, name);
        assert.match((await button.getAttribute('title')) ?? '', /Editors and admins/, name);
      }
      for (const name of ['Deploy to Test…', 'Undeploy from Test…', 'Roll back to revision 1…']) {
        assert.equal(await page.getByRole('button', { name }).isDisabled(), true, name);
      }
      assert.equal(await page.getByRole('button', { name: 'Export' }).isDisabled(), false);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('Test with the sample body is green against a target that needs one; Send a test delivery shows the delivery', async () => {
    const made = await createConnection('Sample');
    await server.ok('POST', `/connections/${made.id}/deploy`, { environment: 'test' });
    const watched = await openAsAdmin();
    const { page } = watched;
    try {
      await openPage(watched, made);
      const before = target.requests.length;
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Test ${made.name}` });
      assert.match(await dialog.getByLabel('Sample body').inputValue(), /"text": "Test message/);
      await dialog.getByRole('button', { name: 'Run Test Connection' }).click();
      await dialog.locator('[data-outcome="OK"]').getByText('Connection works').waitFor();
      await watched.screenshot('lifecycle-test-green');
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls in Test');
      const tested = target.requests[before];
      assert.ok(tested && tested.body.toString().includes('Test message'), 'the sample body');

      await dialog.getByRole('radio', { name: /^Send a test delivery/ }).check();
      await dialog.getByRole('button', { name: 'Send the test delivery' }).click();
      const delivery = dialog.getByRole('status', { name: 'Test delivery' });
      await delivery.getByText('succeeded').waitFor();
      const id = await delivery.locator('code').textContent();
      assert.match(id ?? '', /^dlv_/);
      await watched.screenshot('lifecycle-test-delivery');
      await delivery.getByRole('link', { name: 'Open in Deliveries' }).click();
      await page.getByRole('heading', { level: 1, name: 'Deliveries' }).waitFor();
      await page.locator(`tr[data-delivery="${id}"]`).waitFor();
      const stored = await eventually(async () => {
        const answer = await server.ok('GET', `/deliveries/${id}`);
        assert.equal(answer.status, 'succeeded');
        return answer;
      });
      assert.equal(stored.environment, 'test');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });
});
