// The connections list as a workbench (issue 14, points 1, 2 and 6): a name opens the
// connection's overview; filters and search live in the URL (Back and reload keep them); a
// total count; Duplicate opens the copy; Disable asks first and offers Undo; several rows are
// disabled, exported and deleted at once, with a report per row.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { readZip } from '../../helpers/read-zip.ts';
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
  waitForCount,
} from './console-harness.ts';

describe('web console: the connections list at scale', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;

  before(async () => {
    server = await startConsoleServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Connections of this test's own (names from one unique prefix), through the API. */
  async function createConnections(
    prefix: string,
    count: number,
    extra: (i: number) => object = () => ({}),
  ): Promise<Array<{ id: string; name: string }>> {
    const stem = uniqueName(prefix);
    const made = [];
    for (let i = 0; i < count; i += 1) {
      const name = `${stem}_${i}`;
      const body = await server.ok('POST', '/connections', {
        name,
        environments: {
          test: { method: 'POST', url: `https://${name.toLowerCase()}.example.com/hook` },
        },
        ...extra(i),
      });
      made.push({ id: body.id as string, name });
    }
    return made;
  }

  async function openList(path = '/connections'): Promise<WatchedPage> {
    const watched = await openWatchedPage(browser);
    const admin = await server.createUser('admin', 'bulk_admin');
    await logIn(watched.page, server.url, admin.username, admin.password);
    if (path !== '/connections') await watched.page.goto(`${server.url}${path}`);
    return watched;
  }

  test('search by host and filters live in the URL: Back from the overview and reload keep them', async () => {
    // found by the host of its production URL, which is not in its name
    const [needle] = await createConnections('Url_Kept', 1, () => ({
      description: 'Tickets for the service desk',
      enabled: false,
      environments: {
        test: { method: 'POST', url: 'https://desk-test.example.net/api' },
        production: { method: 'POST', url: 'https://servicedesk-prod.example.net/api' },
      },
    }));
    assert.ok(needle);
    await createConnections('Url_Other', 2);
    const watched = await openList();
    const { page } = watched;
    try {
      // the total, before any filter
      const count = page.locator('.list-count');
      await count.filter({ hasText: /^\d+ connections?$/ }).waitFor();
      await page.getByLabel('Search by name').fill('SERVICEDESK-PROD');
      await page.getByLabel('State').selectOption('false');
      const rows = page.locator('tbody tr');
      await waitForCount(rows, 1);
      assert.equal(await rows.first().getAttribute('data-connection'), needle.name);
      await count.filter({ hasText: /^1 of \d+ connections match$/ }).waitFor();
      await page.waitForURL(/[?&]q=SERVICEDESK-PROD/);
      assert.match(page.url(), /[?&]state=false/);
      await watched.screenshot('bulk-filtered-by-host');

      // the name opens the overview; Back returns to the same filtered list
      await page.getByRole('link', { name: needle.name, exact: true }).click();
      await page.waitForURL(new RegExp(`/connections/${needle.id}$`));
      await page.getByRole('heading', { level: 1, name: needle.name }).waitFor();
      await page.goBack();
      await page.getByRole('heading', { name: 'Connections' }).waitFor();
      assert.equal(await page.getByLabel('Search by name').inputValue(), 'SERVICEDESK-PROD');
      assert.equal(await page.getByLabel('State').inputValue(), 'false');
      await waitForCount(rows, 1);
      assert.equal(await rows.first().getAttribute('data-connection'), needle.name);

      // a reload (or the link shared) shows the same
      await page.reload();
      assert.equal(await page.getByLabel('Search by name').inputValue(), 'SERVICEDESK-PROD');
      await waitForCount(rows, 1);
      assert.equal(await rows.first().getAttribute('data-connection'), needle.name);
      // the description is searched too
      await page.getByLabel('Search by name').fill('service desk');
      await waitForCount(rows, 1);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('three rows disabled at once show disabled; Undo enables them again', async () => {
    const made = await createConnections('Bulk_Three', 3);
    const [first] = made;
    assert.ok(first);
    const stem = first.name.replace(/_0$/, '');
    const watched = await openList(`/connections?q=${stem}`);
    const { page } = watched;
    try {
      const rows = page.locator('tbody tr');
      await waitForCount(rows, 3);
      await page.getByRole('checkbox', { name: /^Select all/ }).check();
      const bar = page.getByRole('toolbar', { name: 'Act on 3 connections selected' });
      await bar.waitFor();
      await watched.screenshot('bulk-selected');
      await bar.getByRole('button', { name: 'Disable' }).click();
      await page.getByRole('status').filter({ hasText: 'Disabled: 3 of 3 connections.' }).waitFor();
      for (const { name } of made) {
        await page
          .locator(`tr[data-connection="${name}"]`)
          .getByText('Disabled', { exact: true })
          .waitFor();
        assert.equal((await server.ok('GET', `/connections/${name}`)).enabled, false);
      }
      // the selection is cleared
      await bar.waitFor({ state: 'detached' });
      await watched.screenshot('bulk-disabled');
      await page.getByRole('button', { name: /^Undo/ }).click();
      await page.getByRole('status').filter({ hasText: 'Enabled again: 3 of 3' }).waitFor();
      for (const { name } of made) {
        await page
          .locator(`tr[data-connection="${name}"]`)
          .getByText('Enabled', { exact: true })
          .waitFor();
      }
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('bulk Export downloads one archive; bulk Delete reports the refused row by name', async () => {
    const made = await createConnections('Bulk_Mixed', 3);
    const [first, , last] = made;
    assert.ok(first && last);
    const stem = first.name.replace(/_0$/, '');
    const watched = await openList(`/connections?q=${stem}`);
    const { page } = watched;
    try {
      await waitForCount(page.locator('tbody tr'), 3);
      for (const { name } of made) await page.getByLabel(`Select ${name}`).check();
      const bar = page.getByRole('toolbar', { name: /selected$/ });
      const [archive] = await Promise.all([
        page.waitForEvent('download'),
        bar.getByRole('button', { name: 'Export' }).click(),
      ]);
      assert.match(
        archive.suggestedFilename(),
        /^\d{1,2} [A-Z][a-z]{2} \d{4}-connections-3-export\.zip$/,
      );
      const entries = await readZip(readFileSync(await archive.path()));
      assert.deepEqual(
        entries.map((entry) => entry.path.replace(/^.*-connection-(.*)-export\.zip$/, '$1')),
        ['metadata.json', ...made.map((m) => m.name)],
      );

      // one of them is deleted behind the page's back after it was chosen: the server
      // refuses its row (not found), the others go
      for (const { name } of made) await page.getByLabel(`Select ${name}`).check();
      await server.ok('DELETE', `/connections/${last.id}`);
      await bar.getByRole('button', { name: 'Delete…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete 3 connections?' });
      await dialog.getByRole('list', { name: 'Connections to delete' }).waitFor();
      await watched.screenshot('bulk-delete-dialog');
      await dialog.getByRole('button', { name: 'Delete 3 connections' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Deleted: 2 of 3 connections; 1 refused.' })
        .waitFor();
      const report = page.getByRole('list', { name: 'What was not done' });
      await report.getByText(last.name).waitFor();
      await watched.screenshot('bulk-delete-report');
      await eventually(async () =>
        assert.equal((await server.api('GET', `/connections/${first.id}`)).status, 404),
      );
    } finally {
      await watched.context.close();
    }
  });

  test('bulk Deploy to production reports per row: deployed, waiting for approval, refused', async () => {
    const production = (name: string) => ({
      method: 'POST',
      url: `https://${name.toLowerCase()}.example.com/hook`,
    });
    const stem = uniqueName('Bulk_Deploy');
    const plain = `${stem}_0`;
    const critical = `${stem}_1`;
    const testOnly = `${stem}_2`;
    await server.ok('POST', '/connections', {
      name: plain,
      environments: { production: production(plain) },
    });
    await server.ok('POST', '/connections', {
      name: critical,
      critical: true,
      environments: { production: production(critical) },
    });
    await server.ok('POST', '/connections', {
      name: testOnly,
      environments: { test: production(testOnly) },
    });
    const watched = await openList(`/connections?q=${stem}`);
    const { page } = watched;
    try {
      await waitForCount(page.locator('tbody tr'), 3);
      await page.getByRole('checkbox', { name: /^Select all/ }).check();
      await page.getByRole('button', { name: 'Deploy…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Deploy 3 connections' });
      await dialog.getByLabel('Environment').selectOption('production');
      // said before: which rows will be refused, and that production is live
      await dialog.getByText(`${testOnly} has no parameters for Production`).waitFor();
      await dialog.getByText(/production environment/).waitFor();
      await watched.screenshot('bulk-deploy-dialog');
      await dialog.getByRole('button', { name: 'Deploy to Production' }).click();
      await page
        .getByRole('status')
        .filter({
          hasText: 'Deployed to Production: 1 of 3 connections; 1 waiting for approval; 1 refused.',
        })
        .waitFor();
      const report = page.getByRole('list', { name: 'What was not done' });
      await report.locator('li[data-outcome="waiting"]').getByText(critical).waitFor();
      await report.locator('li[data-outcome="refused"]').getByText(testOnly).waitFor();
      await page.locator(`tr[data-connection="${plain}"]`).getByText('r1').waitFor();
      await watched.screenshot('bulk-deploy-report');
      const deployed = await server.ok('GET', `/connections/${plain}`);
      assert.equal(deployed.deployments.production.revision, 1);
      // the two refusals are the API answering (the browser logs their 4xx), nothing else
      const others = watched.problems.filter((p) => !/status of 4\d\d/.test(p));
      assert.deepEqual(others, []);
    } finally {
      await watched.context.close();
    }
  });

  test('Duplicate checks the name as it is typed and opens the copy', async () => {
    const [source, other] = await createConnections('Dup_Source', 2);
    assert.ok(source && other);
    const watched = await openList(`/connections?q=${source.name}`);
    const { page } = watched;
    try {
      await page.getByRole('button', { name: `Actions for ${source.name}` }).click();
      await page.getByRole('menuitem', { name: 'Duplicate' }).click();
      const dialog = page.getByRole('dialog', { name: `Duplicate ${source.name}` });
      const name = dialog.getByLabel('Name of the copy');
      await name.fill(other.name.toLowerCase());
      await dialog.getByText(/has this name/).waitFor();
      assert.equal(
        await dialog.getByRole('button', { name: 'Duplicate and open' }).isDisabled(),
        true,
      );
      const copyName = `${source.name}_copy`;
      await name.fill(copyName);
      await dialog.getByText('✓ available').waitFor();
      await watched.screenshot('bulk-duplicate-dialog');
      await dialog.getByRole('button', { name: 'Duplicate and open' }).click();
      await page.getByRole('heading', { level: 1, name: copyName }).waitFor();
      const copy = await server.ok('GET', `/connections/${copyName}`);
      assert.match(page.url(), new RegExp(`/connections/${copy.id}$`));
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('Disable from the ⋮ menu asks first, then offers Undo; Enable needs no confirmation', async () => {
    const [one] = await createConnections('Undo_Disable', 1);
    assert.ok(one);
    const watched = await openList(`/connections?q=${one.name}`);
    const { page } = watched;
    try {
      const row = page.locator(`tr[data-connection="${one.name}"]`);
      await page.getByRole('button', { name: `Actions for ${one.name}` }).click();
      await page.getByRole('menuitem', { name: 'Disable' }).click();
      const dialog = page.getByRole('dialog', { name: `Disable ${one.name}?` });
      await dialog.getByText('CONNECTION_DISABLED').waitFor();
      await watched.screenshot('bulk-disable-confirm');
      await dialog.getByRole('button', { name: 'Disable' }).click();
      await row.getByText('Disabled', { exact: true }).waitFor();
      await page
        .getByRole('status')
        .filter({ hasText: `Disabled ${one.name}.` })
        .waitFor();
      await watched.screenshot('bulk-disable-undo');
      await page.getByRole('button', { name: `Undo (enable ${one.name} again)` }).click();
      await row.getByText('Enabled', { exact: true }).waitFor();
      assert.equal((await server.ok('GET', `/connections/${one.id}`)).enabled, true);
      // disabled again, Enable acts at once
      await server.ok('POST', `/connections/${one.id}/disable`, {});
      await page.reload();
      await row.getByText('Disabled', { exact: true }).waitFor();
      await page.getByRole('button', { name: `Actions for ${one.name}` }).click();
      await page.getByRole('menuitem', { name: 'Enable' }).click();
      await row.getByText('Enabled', { exact: true }).waitFor();
      assert.equal(await page.getByRole('dialog').count(), 0);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('on a phone each row is a card: nothing scrolls sideways', async () => {
    const [one] = await createConnections('Phone_Card', 1, () => ({
      description: 'A connection with a long description to wrap on a narrow screen',
    }));
    assert.ok(one);
    const watched = await openWatchedPage(browser, { viewport: { width: 390, height: 844 } });
    const { page } = watched;
    try {
      const admin = await server.createUser('admin', 'phone_admin');
      await logIn(page, server.url, admin.username, admin.password);
      await page.goto(`${server.url}/connections?q=${one.name}`);
      const row = page.locator(`tr[data-connection="${one.name}"]`);
      await row.waitFor();
      const wrap = page.locator('.table-wrap');
      const widths = await wrap.evaluate((box: any) => ({
        scroll: box.scrollWidth as number,
        client: box.clientWidth as number,
        page: box.ownerDocument.documentElement.scrollWidth as number,
      }));
      assert.ok(widths.scroll <= widths.client + 1, JSON.stringify(widths));
      assert.ok(widths.page <= 390, JSON.stringify(widths));
      // the ⋮ button is on screen without scrolling
      const button = await page
        .getByRole('button', { name: `Actions for ${one.name}` })
        .boundingBox();
      assert.ok(button && button.x + button.width <= 390, JSON.stringify(button));
      await watched.screenshot('bulk-phone-cards');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });
});
