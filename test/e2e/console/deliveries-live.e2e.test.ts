// Live data on the deliveries, approvals and audit pages, in a real Chromium against a real
// server: a delivery replayed from the page turns failed without a reload (the list looks again
// while a row is pending or in flight); the bulk replay dialog states how many it will resend;
// the second admin sees the diff between the revision running in production and the one asked
// for; the audit log shows before/after as a diff and suggests the known actions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { auditActions } from '../../../src/contracts/audit-actions.ts';
import { closeAllTargets, startStatusTarget } from '../../helpers/target-servers.ts';
import {
  browserSkipReason,
  eventually,
  launchChromium,
  logIn,
  openWatchedPage,
  startConsoleServer,
  type ConsoleServer,
  type TestUser,
  type WatchedPage,
  uniqueName,
  unlabelledControls,
  waitForCount,
} from './console-harness.ts';

describe(
  'web console: live deliveries, approvals with context, audit diffs',
  { skip: browserSkipReason() },
  () => {
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

    async function openAs(role: 'editor' | 'admin'): Promise<WatchedPage & { user: TestUser }> {
      const watched = await openWatchedPage(browser);
      const user = await server.createUser(role, `live_${role}`);
      await logIn(watched.page, server.url, user.username, user.password);
      return { ...watched, user };
    }

    /** Polls the API until every delivery of `connection` has failed; answers them. */
    async function allFailed(connection: string, count: number) {
      return eventually(async () => {
        const listed = await server.ok('GET', `/deliveries?connection=${connection}`);
        assert.equal(listed.items.length, count);
        for (const delivery of listed.items) assert.equal(delivery.status, 'failed');
        return listed.items as Array<{ id: string; attempts: number }>;
      });
    }

    test('a replayed delivery turns failed without a reload, and the bulk replay states its count', async () => {
      // a local target that answers 500 at once; one attempt, so a try fails the delivery
      const target = await startStatusTarget(500, { 'content-type': 'text/plain' }, 'down');
      const name = uniqueName('live_replay');
      const made = await server.ok('POST', '/connections', {
        name,
        environments: {
          test: {
            method: 'POST',
            url: `${target.origin}/hook`,
            retry: { maxAttempts: 1, waitSeconds: 0 },
          },
        },
      });
      await server.ok('POST', `/connections/${made.id}/deploy`, { environment: 'test' });
      for (let i = 0; i < 2; i++) {
        await server.ok('POST', `/connections/${made.id}/deliveries`, {
          environment: 'test',
          body: { n: i },
        });
      }
      const [first] = await allFailed(made.id, 2);
      const id = first?.id as string;

      const watched = await openAs('editor');
      const { page } = watched;
      await page.goto(`${server.url}/deliveries?connection=${made.id}`);
      const table = page.getByRole('table', { name: 'Deliveries' });
      const row = table.locator(`tr[data-delivery="${id}"]`);
      await row.getByText('failed', { exact: true }).waitFor();
      assert.equal(await row.locator('td.num').innerText(), '1');

      await row.getByRole('button', { name: `Replay ${id}` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Replayed ${id}` })
        .waitFor();
      // no reload from here on: the row turns failed again by itself, with its second attempt
      await eventually(async () => {
        assert.equal(await row.locator('td.num').innerText(), '2');
        assert.equal(await row.getByText('failed', { exact: true }).count(), 1);
      });
      assert.equal(target.requests.length, 3);
      await watched.screenshot('deliveries-live-replayed');

      // the bulk replay says how many it will resend before anything is sent
      await page.getByRole('button', { name: 'Replay failed deliveries…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Replay failed deliveries?' });
      await dialog.getByText('2 failed deliveries of this connection will be sent again').waitFor();
      await watched.screenshot('deliveries-bulk-replay-count');
      assert.deepEqual(await unlabelledControls(page), []);
      assert.equal(target.requests.length, 3, 'counting sends nothing');
      await dialog.getByRole('button', { name: 'Replay failed deliveries' }).click();
      await page.getByRole('status').filter({ hasText: 'Done: 2 replayed.' }).waitFor();
      // and both rows settle by themselves again
      await waitForCount(table.locator('tr[data-delivery] td.num', { hasText: '3' }), 1);
      await eventually(async () => {
        assert.equal(await table.getByText('failed', { exact: true }).count(), 2);
      });
      watched.assertNoProblems();
      await watched.context.close();
    });

    test('the second admin sees the diff between the revision running in production and the one asked for', async () => {
      const name = uniqueName('live_critical');
      const made = await server.ok('POST', '/connections', {
        name,
        environments: { production: { method: 'POST', url: 'https://hooks.example.com/v1' } },
      });
      // revision 1 runs in production; then the connection becomes critical at revision 2
      await server.ok('POST', `/connections/${made.id}/deploy`, { environment: 'production' });
      await server.ok('PATCH', `/connections/${made.id}`, {
        critical: true,
        environments: { production: { url: 'https://hooks.example.com/v2' } },
      });
      const asker = await server.createUser('admin', 'live_asker');
      const asked = await asker.api('POST', `/connections/${made.id}/deploy`, {
        environment: 'production',
      });
      assert.equal(asked.body.error?.code, 'APPROVAL_REQUIRED', JSON.stringify(asked.body));
      const revision = 2;

      const watched = await openAs('admin');
      const { page } = watched;
      await page.goto(`${server.url}/approvals`);
      const pending = page.getByRole('table', { name: 'Pending approvals' });
      await pending.getByRole('link', { name }).waitFor();
      // the row tells what changes too, before any dialog
      await pending
        .getByRole('button', { name: /^What changes if approved: deploy revision 2/ })
        .click();
      await pending
        .getByLabel(`Changes from revision 1 (running in Production) to revision ${revision}`)
        .locator('.diff-line.added', { hasText: 'https://hooks.example.com/v2' })
        .waitFor();
      await pending
        .getByRole('button', { name: `Approve ${name} revision ${revision} to production` })
        .click();
      const dialog = page.getByRole('dialog', { name: /^Approve the deploy of revision/ });
      await dialog
        .getByText(`runs revision 1 now; approving replaces it with revision ${revision}`)
        .waitFor();
      const diff = dialog.getByLabel(
        `Changes from revision 1 (running in Production) to revision ${revision}`,
      );
      await diff
        .locator('.diff-line.removed', { hasText: 'https://hooks.example.com/v1' })
        .waitFor();
      await diff.locator('.diff-line.added', { hasText: 'https://hooks.example.com/v2' }).waitFor();
      await dialog.getByRole('link', { name }).waitFor();
      await watched.screenshot('approval-diff');
      assert.deepEqual(await unlabelledControls(page), []);
      await dialog.getByRole('button', { name: 'Approve and deploy' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^Approved:/ })
        .waitFor();
      const stored = await server.ok('GET', `/connections/${made.id}`);
      assert.equal(stored.deployments.production.revision, revision);
      watched.assertNoProblems();
      await watched.context.close();
    });

    test('the audit log shows before/after as a diff and suggests the known actions', async () => {
      const name = uniqueName('live_audited');
      const made = await server.ok('POST', '/connections', {
        name,
        description: 'first words',
        environments: { test: { method: 'POST', url: 'https://hooks.example.com/a' } },
      });
      await server.ok('PATCH', `/connections/${made.id}`, { description: 'second words' });

      const watched = await openAs('admin');
      const { page } = watched;
      await page.goto(`${server.url}/audit`);
      const action = page.locator('#audit-action');
      const listId = await action.getAttribute('list');
      const suggested = await page
        .locator(`datalist[id="${listId}"] option`)
        .evaluateAll((options) =>
          options.map((option) => (option as unknown as { value: string }).value),
        );
      assert.deepEqual(suggested, [...auditActions]);
      await action.fill('connection.update');
      // the suggestions' popup would take the next click
      await action.blur();
      const records = page.getByRole('table', { name: 'Audit records' });
      const record = records.locator('tr[data-audit="connection.update"]', { hasText: name });
      await record.getByRole('link', { name }).waitFor();
      assert.equal(
        await record.getByRole('link', { name }).getAttribute('href'),
        `/connections/${made.id}`,
      );
      await record.getByText('Before and after').click();
      const diff = record.getByLabel(`connection.update of ${name}: before and after`);
      await diff.locator('.diff-line.removed', { hasText: 'first words' }).waitFor();
      await diff.locator('.diff-line.added', { hasText: 'second words' }).waitFor();
      await watched.screenshot('audit-diff');
      assert.deepEqual(await unlabelledControls(page), []);
      watched.assertNoProblems();
      await watched.context.close();
    });
  },
);
