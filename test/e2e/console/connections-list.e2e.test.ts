// The web console in a real Chromium against a real server: logging in, the connections list
// among 1,000 (search, disable, move to global, export), keyboard use, a phone-sized screen,
// and what the first page load costs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { repoRoot } from '../helpers/hookline-process.ts';
import { refusedPort } from '../../helpers/target-servers.ts';
import {
  browserSkipReason,
  eventually,
  hasFocus,
  launchChromium,
  logIn,
  openWatchedPage,
  startConsoleServer,
  type ConsoleServer,
  type WatchedPage,
  uniqueName,
  waitForCount,
  unlabelledControls,
} from './console-harness.ts';

const connectionCount = 1000;

describe('web console: login and the connections list', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;

  // every test makes the connections and the user it needs (unique names), on its own page:
  // each one runs alone, or in any order; the 1,000 connections are the haystack they share
  before(async () => {
    server = await startConsoleServer();
    // 1,000 connections, 16 at a time, through the API
    const names = Array.from(
      { length: connectionCount },
      (_, i) => `Bulk_${String(i).padStart(4, '0')}`,
    );
    for (let start = 0; start < names.length; start += 16) {
      await Promise.all(
        names.slice(start, start + 16).map(async (name) => {
          const made = await server.api('POST', '/connections', {
            name,
            environments: {
              test: { method: 'POST', url: `https://${name.toLowerCase()}.example.com/hook` },
            },
          });
          assert.equal(made.status, 201, JSON.stringify(made.body));
        }),
      );
    }
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A connection of this test's own, through the API; its name. */
  async function createConnection(prefix: string, extra: object = {}): Promise<string> {
    const name = uniqueName(prefix);
    await server.ok('POST', '/connections', {
      name,
      environments: {
        test: { method: 'POST', url: `https://${name.toLowerCase()}.example.com/hook` },
      },
      ...extra,
    });
    return name;
  }

  /** A page of this test's own, logged in as a new admin, on the connections list. */
  async function openList(viewport?: { width: number; height: number }): Promise<WatchedPage> {
    const watched = await openWatchedPage(browser, viewport ? { viewport } : {});
    const admin = await server.createUser('admin', 'list_admin');
    await logIn(watched.page, server.url, admin.username, admin.password);
    return watched;
  }

  test('a wrong password is refused on the page; the one-time password leads to choosing your own, then to the list', async () => {
    const watched = await openWatchedPage(browser);
    const { page } = watched;
    try {
      await page.goto(`${server.url}/connections`);
      // not logged in: the login page, which returns there afterwards
      await page.getByLabel('User name').waitFor();
      assert.match(page.url(), /\/login$/);
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: 'wrong' }).waitFor();
      await watched.screenshot('login-refused');
      // the 401 of the refused login is the API answering, not a failure of the page
      watched.problems.length = 0;
      await page.getByLabel('Password').fill(server.adminPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      // the first start's one-time password is someone else's: choose your own first
      await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
      assert.match(page.url(), /\/change-password$/);
      await watched.screenshot('first-login-choose-password');
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls on the change');
      const chosen = `chosen ${uniqueName('pw')}`; // not containing the user name
      await page.getByLabel('Current password').fill(server.adminPassword);
      await page.getByLabel('New password', { exact: true }).fill(chosen);
      await page.getByLabel('New password again').fill(chosen);
      await page.getByRole('button', { name: 'Change password' }).click();
      // then on where it was going: the list
      await page.getByRole('heading', { name: 'Connections' }).waitFor();
      await page.waitForURL(/\/connections$/);
      await page.locator('tbody tr').first().waitFor();
      const me = (await server.ok('GET', '/users/admin')) as { mustChangePassword: boolean };
      assert.equal(me.mustChangePassword, false);
      await watched.screenshot('connections-list');
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls on the list');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('search finds one connection among 1,000', async () => {
    const needle = await createConnection('Needle_Partner_CRM');
    const watched = await openList();
    const { page } = watched;
    try {
      await page.getByLabel('Search by name').fill(needle.toLowerCase());
      const rows = page.locator('tbody tr');
      await waitForCount(rows, 1);
      assert.equal(await rows.first().getAttribute('data-connection'), needle);
      await watched.screenshot('search-among-1000');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('the ⋮ menu works from the keyboard: Disable shows the connection disabled', async () => {
    const name = await createConnection('Keyboard_Disable');
    const watched = await openList();
    const { page } = watched;
    try {
      await page.getByLabel('Search by name').fill(name);
      const menuButton = page.getByRole('button', { name: `Actions for ${name}` });
      await menuButton.focus();
      await page.keyboard.press('Enter');
      const disable = page.getByRole('menuitem', { name: 'Disable' });
      await disable.waitFor();
      await page.keyboard.press('ArrowDown'); // Open → Edit
      await page.keyboard.press('ArrowDown'); // → Duplicate
      await page.keyboard.press('ArrowDown'); // → Test
      await page.keyboard.press('ArrowDown'); // → Deploy
      await page.keyboard.press('ArrowDown'); // → Disable
      await eventually(async () => assert.equal(await hasFocus(disable), true));
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled items in the open menu');
      await page.keyboard.press('Enter');
      // Disable asks first (issue 14): the dialog's Disable, from the keyboard too
      const confirm = page
        .getByRole('dialog', { name: `Disable ${name}?` })
        .getByRole('button', { name: 'Disable' });
      await confirm.focus();
      await page.keyboard.press('Enter');
      const row = page.locator(`tr[data-connection="${name}"]`);
      await row.getByText('Disabled', { exact: true }).waitFor();
      await page
        .getByRole('status')
        .filter({ hasText: `Disabled ${name}` })
        .waitFor();
      const stored = await server.ok('GET', `/connections/${name}`);
      assert.equal(stored.enabled, false);
      await watched.screenshot('disabled');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('Move to Global asks first, then the connection shows as Global', async () => {
    const name = await createConnection('To_Global');
    const watched = await openList();
    const { page } = watched;
    try {
      await page.getByLabel('Search by name').fill(name);
      await page.getByRole('button', { name: `Actions for ${name}` }).click();
      await page.getByRole('menuitem', { name: 'Move to Global' }).click();
      const dialog = page.getByRole('dialog', { name: `Move ${name} to Global?` });
      await dialog.waitFor();
      await watched.screenshot('move-to-global-dialog');
      await dialog.getByRole('button', { name: 'Move to Global' }).click();
      const row = page.locator(`tr[data-connection="${name}"]`);
      await row.getByText('Global', { exact: true }).waitFor();
      const stored = await server.ok('GET', `/connections/${name}`);
      assert.equal(stored.global, true);
      // the Project filter's "Global only" lists it, and nothing of the default project
      await page.getByLabel('Search by name').fill('');
      await page.getByLabel('Project').selectOption('global');
      const rows = page.locator('tbody tr');
      await row.waitFor();
      await eventually(async () => {
        const count = await rows.count();
        assert.ok(count < connectionCount, `${count} rows: the filter is not applied yet`);
        for (const each of await rows.all()) {
          await each.getByText('Global', { exact: true }).waitFor({ timeout: 1000 });
        }
      });
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('a failing target shows a red dot, and the Health filter lists just it', async () => {
    const port = await refusedPort();
    const name = uniqueName('Down_Target');
    const made = await server.ok('POST', '/connections', {
      name,
      environments: { development: { method: 'POST', url: `http://127.0.0.1:${port}/x` } },
    });
    await server.ok('POST', `/connections/${made.id}/deploy`, { environment: 'development' });
    for (let i = 0; i < 3; i += 1) {
      const call = await server.api('POST', `/connections/${made.id}/invoke`, {
        environment: 'development',
      });
      assert.equal(call.body.outcome, 'CONNECT_REFUSED');
    }
    const watched = await openList();
    const { page } = watched;
    try {
      await page.getByLabel('Health').selectOption('failing');
      // no other connection in this server has failed
      const row = page.locator('tbody tr');
      await waitForCount(row, 1);
      assert.equal(await row.getAttribute('data-connection'), name);
      const dot = row.locator('[data-health]');
      assert.equal(await dot.getAttribute('data-health'), 'failing');
      assert.match((await dot.getAttribute('aria-label')) ?? '', /3 of the last 3 calls failed/);
      await watched.screenshot('health-failing');
      // Delete says where it is in use and offers Disable or Export first
      await page.getByRole('button', { name: `Actions for ${name}` }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
      const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
      await dialog.getByRole('list', { name: 'Deployed to' }).getByText('development').waitFor();
      await dialog.getByText('Disable', { exact: true }).waitFor();
      await watched.screenshot('delete-dialog');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal((await server.api('GET', `/connections/${name}`)).status, 200);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('Export downloads the archive under the name the seed gives it', async () => {
    const name = await createConnection('Exported');
    const watched = await openList();
    const { page } = watched;
    try {
      await page.getByLabel('Search by name').fill(name);
      await page.getByRole('button', { name: `Actions for ${name}` }).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('menuitem', { name: 'Export' }).click(),
      ]);
      assert.match(
        download.suggestedFilename(),
        new RegExp(`^\\d{1,2} [A-Z][a-z]{2} \\d{4}-connection-${name}-export\\.zip$`),
      );
      const saved = await download.path();
      assert.equal(readFileSync(saved).subarray(0, 2).toString('latin1'), 'PK', 'a zip archive');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('when the session ends, the next action leads to the login page and back', async () => {
    const watched = await openWatchedPage(browser);
    const { page, context } = watched;
    try {
      const user = await server.createUser('editor', 'expiring');
      await logIn(page, server.url, user.username, user.password);
      await page.goto(`${server.url}/connections?from=expiry`);
      await page.getByRole('heading', { name: 'Connections' }).waitFor();
      await page.locator('tbody tr').first().waitFor();
      // the session ends behind the page's back (as an idle timeout would)
      const cookie = (await context.cookies()).find((c) => c.name === 'hookline_session');
      assert.ok(cookie);
      const headers = { cookie: `hookline_session=${cookie.value}` };
      const session = (await (await fetch(`${server.url}/api/v1/session`, { headers })).json()) as {
        csrfToken: string;
      };
      const ended = await fetch(`${server.url}/api/v1/session`, {
        method: 'DELETE',
        headers: { ...headers, 'x-csrf-token': session.csrfToken },
      });
      assert.equal(ended.status, 204);
      await page.getByLabel('Search by name').fill('Bulk_0001');
      await page.getByText('Your session ended').waitFor();
      assert.match(page.url(), /\/login$/);
      await watched.screenshot('session-ended');
      // the 401s that told the page the session ended (the search, and the bell if it asked
      // meanwhile) are the browser's only complaints
      assert.ok(watched.problems.length >= 1, 'no 401 seen');
      for (const problem of watched.problems) assert.match(problem, /401/);
      watched.problems.length = 0;
      await page.getByLabel('User name').fill(user.username);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Connections' }).waitFor();
      // back where it was, the search included (it lives in the URL since issue 14)
      await page.waitForURL(/\/connections\?from=expiry&q=Bulk_0001$/);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('on a phone-sized screen the list and its menu still work', async () => {
    const name = await createConnection('Phone_Disabled', { enabled: false });
    const phone = await openList({ width: 390, height: 844 });
    try {
      await phone.page.getByLabel('Search by name').fill(name);
      const row = phone.page.locator(`tr[data-connection="${name}"]`);
      await row.getByText('Disabled', { exact: true }).waitFor();
      // the row is a card on a phone, its ⋮ button on the first line; should the table
      // still scroll sideways to reach it, the menu stays open under it
      await phone.page.getByRole('button', { name: `Actions for ${name}` }).click();
      const enable = phone.page.getByRole('menuitem', { name: 'Enable' });
      await enable.waitFor();
      // the scroll event of that sideways scroll may reach the page after the menu opened
      // (how late depends on the browser and the machine's load): it must not close the menu
      await phone.page.locator('.table-wrap').evaluate((wrap: any) => {
        const window = wrap.ownerDocument.defaultView;
        wrap.dispatchEvent(new window.Event('scroll'));
        // two frames: whatever the event changed has been drawn
        return new Promise((drawn) =>
          window.requestAnimationFrame(() => window.requestAnimationFrame(drawn)),
        );
      });
      await enable.waitFor();
      // and the menu hangs under its button (its top margin apart), right edges aligned
      const button = await phone.page
        .getByRole('button', { name: `Actions for ${name}` })
        .boundingBox();
      const list = await phone.page.getByRole('menu').boundingBox();
      assert.ok(button && list);
      const gap = list.y - (button.y + button.height);
      assert.ok(gap >= 0 && gap < 12, JSON.stringify({ button, list }));
      const offset = list.x + list.width - (button.x + button.width);
      assert.ok(Math.abs(offset) < 2, JSON.stringify({ button, list }));
      const width = await phone.page.evaluate(
        () => (globalThis as any).document.documentElement.scrollWidth as number,
      );
      assert.ok(width <= 390, `the page scrolls sideways: ${width} px wide`);
      await enable.click();
      await row.getByText('Enabled', { exact: true }).waitFor();
      assert.equal((await server.ok('GET', `/connections/${name}`)).enabled, true);
      // (a full-page screenshot resizes the window, which closes an open menu: taken last)
      await phone.screenshot('phone-list');
      phone.assertNoProblems();
    } finally {
      await phone.context.close();
    }
  });

  test('the first page load (login, layout, session, the list) stays within 150 KB gzipped, and the build has no source maps', async () => {
    const dist = join(repoRoot, 'web', 'dist');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(dist);
    assert.deepEqual(
      files.filter((file) => file.endsWith('.map')),
      [],
    );
    for (const file of files.filter((f) => /\.(js|css|html)$/.test(f))) {
      assert.doesNotMatch(readFileSync(file, 'utf8'), /sourceMappingURL/, file);
    }
    // what a browser fetches for the first page: the HTML and what it links to
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const linked = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(linked.length >= 2, html);
    let total = gzipSync(html).length;
    for (const asset of linked) total += gzipSync(readFileSync(join(dist, asset))).length;
    // the budget: the list page, login, layout and session load first, the rest lazily
    assert.ok(total <= 150 * 1024, `${total} bytes gzipped, over the 150 KB first-load budget`);
  });
});
