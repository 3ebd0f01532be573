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
  hasFocus,
  launchChromium,
  logIn,
  openWatchedPage,
  startConsoleServer,
  type ConsoleServer,
  type WatchedPage,
  waitForCount,
  unlabelledControls,
} from './console-harness.ts';

const connectionCount = 1000;

describe('web console: login and the connections list', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  let watched: WatchedPage;

  before(async () => {
    server = await startConsoleServer();
    // 1,000 connections, 16 at a time, through the API
    const names = Array.from(
      { length: connectionCount },
      (_, i) => `Bulk_${String(i).padStart(4, '0')}`,
    );
    names[777] = 'Needle_Partner_CRM';
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
    watched = await openWatchedPage(browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a wrong password is refused on the page; the one-time password logs in and asks for a change', async () => {
    const { page } = watched;
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
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    await page.getByText('You are using a password someone else set').waitFor();
    assert.match(page.url(), /\/connections$/);
    await watched.screenshot('connections-list');
    assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls on the list');
    watched.assertNoProblems();
  });

  test('search finds one connection among 1,000', async () => {
    const { page } = watched;
    await page.getByLabel('Search by name').fill('needle');
    const rows = page.locator('tbody tr');
    await waitForCount(rows, 1);
    assert.equal(await rows.first().getAttribute('data-connection'), 'Needle_Partner_CRM');
    await watched.screenshot('search-among-1000');
    watched.assertNoProblems();
  });

  test('the ⋮ menu works from the keyboard: Disable shows the connection disabled', async () => {
    const { page } = watched;
    const menuButton = page.getByRole('button', { name: 'Actions for Needle_Partner_CRM' });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const disable = page.getByRole('menuitem', { name: 'Disable' });
    await page.keyboard.press('ArrowDown'); // Edit → Test
    await page.keyboard.press('ArrowDown'); // → Deploy
    await page.keyboard.press('ArrowDown'); // → Disable
    assert.equal(await hasFocus(disable), true);
    assert.deepEqual(await unlabelledControls(page), [], 'unlabelled items in the open menu');
    await page.keyboard.press('Enter');
    const row = page.locator('tr[data-connection="Needle_Partner_CRM"]');
    await row.getByText('Disabled', { exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Disabled Needle_Partner_CRM' }).waitFor();
    const stored = await server.api('GET', '/connections/Needle_Partner_CRM');
    assert.equal(stored.body.enabled, false);
    await watched.screenshot('disabled');
    watched.assertNoProblems();
  });

  test('Move to Global asks first, then the connection shows as Global', async () => {
    const { page } = watched;
    await page.getByRole('button', { name: 'Actions for Needle_Partner_CRM' }).click();
    await page.getByRole('menuitem', { name: 'Move to Global' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move Needle_Partner_CRM to Global?' });
    await dialog.waitFor();
    await watched.screenshot('move-to-global-dialog');
    await dialog.getByRole('button', { name: 'Move to Global' }).click();
    const row = page.locator('tr[data-connection="Needle_Partner_CRM"]');
    await row.getByText('Global', { exact: true }).waitFor();
    const stored = await server.api('GET', '/connections/Needle_Partner_CRM');
    assert.equal(stored.body.global, true);
    // the Project filter's "Global only" lists it, and nothing of the default project
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Project').selectOption('global');
    await waitForCount(page.locator('tbody tr'), 1);
    assert.equal(
      await page.locator('tbody tr').getAttribute('data-connection'),
      'Needle_Partner_CRM',
    );
    await page.getByLabel('Project').selectOption('all');
    watched.assertNoProblems();
  });

  test('a failing target shows a red dot, and the Health filter lists just it', async () => {
    const { page } = watched;
    const port = await refusedPort();
    const made = await server.api('POST', '/connections', {
      name: 'Down_Target',
      environments: { development: { method: 'POST', url: `http://127.0.0.1:${port}/x` } },
    });
    assert.equal(made.status, 201);
    await server.api('POST', `/connections/${made.body.id}/deploy`, { environment: 'development' });
    for (let i = 0; i < 3; i += 1) {
      const call = await server.api('POST', `/connections/${made.body.id}/invoke`, {
        environment: 'development',
      });
      assert.equal(call.body.outcome, 'CONNECT_REFUSED');
    }
    await page.getByLabel('Search by name').fill('');
    await page.reload();
    await page.getByLabel('Health').selectOption('failing');
    const row = page.locator('tbody tr');
    await waitForCount(row, 1);
    assert.equal(await row.getAttribute('data-connection'), 'Down_Target');
    const dot = row.locator('[data-health]');
    assert.equal(await dot.getAttribute('data-health'), 'failing');
    assert.match((await dot.getAttribute('aria-label')) ?? '', /3 of the last 3 calls failed/);
    await watched.screenshot('health-failing');
    // Delete says where it is in use and offers Disable or Export first
    await page.getByRole('button', { name: 'Actions for Down_Target' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Down_Target?' });
    await dialog.getByRole('list', { name: 'Deployed to' }).getByText('development').waitFor();
    await dialog.getByText('Disable', { exact: true }).waitFor();
    await watched.screenshot('delete-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await server.api('GET', '/connections/Down_Target')).status, 200);
    await page.getByLabel('Health').selectOption('');
    watched.assertNoProblems();
  });

  test('Export downloads the archive under the name the seed gives it', async () => {
    const { page } = watched;
    await page.getByLabel('Search by name').fill('Needle');
    await page.getByRole('button', { name: 'Actions for Needle_Partner_CRM' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Export' }).click(),
    ]);
    assert.match(
      download.suggestedFilename(),
      /^\d{1,2} [A-Z][a-z]{2} \d{4}-connection-Needle_Partner_CRM-export\.zip$/,
    );
    const saved = await download.path();
    assert.equal(readFileSync(saved).subarray(0, 2).toString('latin1'), 'PK', 'a zip archive');
    watched.assertNoProblems();
  });

  test('when the session ends, the next action leads to the login page and back', async () => {
    const { page, context } = watched;
    await page.goto(`${server.url}/connections?from=expiry`);
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
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
    // the one 401 that told the page the session ended is the browser's only complaint
    assert.equal(watched.problems.length, 1, watched.problems.join('\n'));
    assert.match(watched.problems[0]!, /401/);
    watched.problems.length = 0;
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    assert.match(page.url(), /\/connections\?from=expiry$/, 'back where it was');
    watched.assertNoProblems();
  });

  test('on a phone-sized screen the list and its menu still work', async () => {
    const phone = await openWatchedPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      await logIn(phone.page, server.url, 'admin', server.adminPassword);
      await phone.page.getByLabel('Search by name').fill('Needle');
      await phone.page.getByRole('button', { name: 'Actions for Needle_Partner_CRM' }).click();
      await phone.page.getByRole('menuitem', { name: 'Enable' }).waitFor();
      await phone.screenshot('phone-list');
      const width = await phone.page.evaluate(
        () => (globalThis as any).document.documentElement.scrollWidth as number,
      );
      assert.ok(width <= 390, `the page scrolls sideways: ${width} px wide`);
      phone.assertNoProblems();
    } finally {
      await phone.context.close();
    }
  });

  test('the first page load stays under 300 KB gzipped, and the build has no source maps', async () => {
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
    assert.ok(total < 300 * 1024, `${total} bytes gzipped`);
  });
});
