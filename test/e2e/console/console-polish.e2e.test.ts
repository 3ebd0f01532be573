// What users notice across the console: dark mode that follows the system (and stays
// readable), the keyboard shortcuts, the login hint that names the server's real data directory
// (only while it is useful), a phone's navigation that shows it scrolls, and local dates.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
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
} from './console-harness.ts';

/** "rgb(26, 31, 39)" → [26, 31, 39] (alpha, if any, is not needed: the colours are opaque). */
function rgb(css: string): [number, number, number] {
  const parts = css.match(/[\d.]+/g)?.map(Number) ?? [];
  assert.ok(parts.length >= 3, `not a colour: ${css}`);
  return [parts[0]!, parts[1]!, parts[2]!];
}

/** WCAG 2 relative luminance of an sRGB colour. */
function luminance([r, g, b]: [number, number, number]): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(rgb(a)), luminance(rgb(b))].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The computed colours that make a page readable: the page, a table's paper, their inks. */
function pageColours(page: Page) {
  return page.evaluate(() => {
    const document = (globalThis as any).document;
    const style = (element: any, pseudo?: string) =>
      (globalThis as any).getComputedStyle(element, pseudo);
    const main = document.querySelector('main');
    const table = document.querySelector('.table-wrap');
    const soft = document.querySelector('.hint, .muted, .row-note');
    return {
      page: style(document.documentElement).backgroundColor as string,
      text: style(main).color as string,
      paper: table ? (style(table).backgroundColor as string) : null,
      soft: soft ? (style(soft).color as string) : null,
      link: style(document.querySelector('main a:not(.button)') ?? main).color as string,
    };
  });
}

describe('web console: polish users notice', { skip: browserSkipReason() }, () => {
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

  /** A page of this test's own, as a new admin, on the connections list. */
  async function openAsAdmin(
    options: { viewport?: { width: number; height: number } } = {},
  ): Promise<WatchedPage & { username: string }> {
    const watched = await openWatchedPage(browser, options);
    const admin = await server.createUser('admin', 'polish_admin');
    await logIn(watched.page, server.url, admin.username, admin.password);
    return { ...watched, username: admin.username };
  }

  async function createConnection(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    await server.ok('POST', '/connections', {
      name,
      environments: {
        test: { method: 'POST', url: `https://${name.toLowerCase()}.example.com/hook` },
      },
    });
    return name;
  }

  test('in a dark system theme the console is dark, and its text keeps a 4.5:1 contrast', async () => {
    const name = await createConnection('Dark_Mode');
    const watched = await openAsAdmin();
    const { page } = watched;
    try {
      await page.goto(`${server.url}/connections?q=${name}`);
      await page.getByRole('link', { name }).or(page.getByText(name)).first().waitFor();
      const light = await pageColours(page);
      assert.ok(luminance(rgb(light.page)) > 0.8, `light page: ${light.page}`);
      assert.ok(contrast(light.text, light.page) >= 4.5, JSON.stringify(light));
      await watched.screenshot('polish-list-light');

      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await eventually(async () => {
        const now = await pageColours(page);
        assert.ok(luminance(rgb(now.page)) < 0.05, `dark page background: ${now.page}`);
        return now;
      });
      assert.ok(luminance(rgb(dark.text)) > 0.6, `light text in the dark: ${dark.text}`);
      for (const [ink, ground, what] of [
        [dark.text, dark.page, 'body text on the page'],
        [dark.text, dark.paper, 'body text on a table'],
        [dark.soft, dark.paper, 'quiet text on a table'],
        [dark.link, dark.page, 'links'],
      ] as const) {
        if (!ink || !ground) continue;
        const ratio = contrast(ink, ground);
        assert.ok(ratio >= 4.5, `${what}: ${ink} on ${ground} is ${ratio.toFixed(2)}:1`);
      }
      await watched.screenshot('polish-list-dark');

      // a dialog is dark too (the native <dialog> would otherwise stay white)
      await page.getByRole('heading', { level: 1, name: 'Connections' }).click();
      await page.keyboard.press('?');
      const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await dialog.waitFor();
      const dialogColours = await dialog.evaluate((element: any) => {
        const style = (globalThis as any).getComputedStyle(element);
        return { ground: style.backgroundColor as string, ink: style.color as string };
      });
      assert.ok(luminance(rgb(dialogColours.ground)) < 0.05, JSON.stringify(dialogColours));
      assert.ok(contrast(dialogColours.ink, dialogColours.ground) >= 4.5);
      await watched.screenshot('polish-shortcuts-dark');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      // environments by their names, in the dark as well
      await page.goto(`${server.url}/environments`);
      const environments = page.getByRole('table', { name: 'Environments' });
      await environments.getByRole('rowheader', { name: 'Development' }).waitFor();
      await watched.screenshot('polish-environments-dark');
      // the connection's page (charts, badges) and the editor (chips, switches) in the dark
      await page.goto(`${server.url}/connections/${name}`);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await watched.screenshot('polish-connection-dark');
      await page.goto(`${server.url}/connections/${name}/edit`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByLabel('Description').waitFor();
      await watched.screenshot('polish-editor-dark');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('? lists the shortcuts, / goes to the search field, neither fires while typing', async () => {
    const watched = await openAsAdmin();
    const { page } = watched;
    try {
      const heading = page.getByRole('heading', { level: 1, name: 'Connections' });
      // the keyboard on the page, not in a field
      await heading.click();
      await page.keyboard.press('?');
      const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await dialog.waitFor();
      const rows = await dialog.getByRole('row').allInnerTexts();
      for (const expected of [/^\/\s/, /Ctrl\s*\+\s*S/, /^\?\s/, /^Esc\s/]) {
        assert.ok(
          rows.some((row) => expected.test(row.trim())),
          `${expected} in ${rows.join(' | ')}`,
        );
      }
      assert.match(rows.join('\n'), /Save, in the connection editor/);
      await watched.screenshot('polish-shortcuts');
      // Esc closes it, and the shortcut works again afterwards
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      await page.keyboard.press('/');
      const search = page.locator('main [data-shortcut="search"], main input[type="search"]');
      await eventually(async () => assert.ok(await hasFocus(search.first()), 'search has focus'));
      // typing a ? or a / in the field is typing, not a shortcut
      await page.keyboard.type('a/b?');
      assert.equal(await search.first().inputValue(), 'a/b?');
      assert.equal(await dialog.count(), 0);

      // the button in the top bar opens the same list
      await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test("the login page names the server's one-time password file until the first admin chose a password", async () => {
    const watched = await openWatchedPage(browser);
    const { page } = watched;
    const file = join(server.dataDir, 'admin-password');
    try {
      await page.goto(`${server.url}/login`);
      const hint = page.getByTestId('login-hint');
      await hint.getByText(file, { exact: true }).waitFor();
      await watched.screenshot('polish-login-first-start');

      // the first admin logs in with it and chooses their own
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Password').fill(server.adminPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Choose your own password' }).waitFor();
      const chosen = `chosen ${uniqueName('password')}`;
      await page.getByLabel('Current password').fill(server.adminPassword);
      await page.getByLabel('New password', { exact: true }).fill(chosen);
      await page.getByLabel('New password again').fill(chosen);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
      await page.getByRole('button', { name: 'Log out' }).click();

      // afterwards the path is not public: the page says how an admin resets a password
      await page.getByLabel('User name').waitFor();
      await hint.getByText('hookline users set-password').waitFor();
      const said = await hint.innerText();
      assert.ok(!said.includes(server.dataDir), said);
      assert.ok(!(await page.content()).includes(server.dataDir), 'no data directory in the page');
      await watched.screenshot('polish-login-later');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('on a phone the navigation shows that it scrolls and keeps the current page in view', async () => {
    const watched = await openAsAdmin({ viewport: { width: 390, height: 844 } });
    const { page } = watched;
    try {
      const nav = page.getByRole('navigation', { name: 'Sections' });
      const holder = page.locator('.sidebar-holder');
      // at the start: more to the right, shown by the cue
      await eventually(async () => {
        assert.equal(await holder.getAttribute('data-more-end'), '');
        assert.equal(await holder.getAttribute('data-more-start'), null);
      });
      const cue = await holder.evaluate((element: any) => {
        const style = (globalThis as any).getComputedStyle(element, '::after');
        return { content: style.content as string, width: style.width as string };
      });
      assert.equal(cue.content, '"›"');
      assert.notEqual(cue.width, '0px');
      await watched.screenshot('polish-phone-nav-start');

      // a page far along the row: its link is scrolled into view, and the cue shows both ways
      await page.goto(`${server.url}/audit`);
      const current = nav.getByRole('link', { name: 'Audit log' });
      await page.getByRole('heading', { level: 1, name: /Audit/ }).waitFor();
      await eventually(async () => {
        const [navBox, linkBox] = [await nav.boundingBox(), await current.boundingBox()];
        assert.ok(navBox && linkBox);
        assert.ok(
          linkBox.x >= navBox.x && linkBox.x + linkBox.width <= navBox.x + navBox.width,
          `Audit log at ${linkBox.x}..${linkBox.x + linkBox.width}, nav ${navBox.width} wide`,
        );
        assert.equal(await holder.getAttribute('data-more-start'), '');
      });
      // the page itself never scrolls sideways
      const overflow = await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await watched.screenshot('polish-phone-nav-audit');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test("a date reads in the browser's locale and zone, with the exact UTC time in its title", async () => {
    const watched = await openAsAdmin();
    const { page } = watched;
    try {
      const tokenName = uniqueName('polish_token');
      await page.goto(`${server.url}/account`);
      await page.getByLabel('Token name').fill(tokenName);
      await page.getByRole('button', { name: 'Create token' }).click();
      const row = page.locator(`tr[data-token="${tokenName}"]`);
      const time = row.locator('time').first();
      await time.waitFor();
      const iso = await time.getAttribute('datetime');
      assert.ok(iso);
      assert.equal(await time.getAttribute('title'), iso);
      const expected = await page.evaluate(
        (value: string) =>
          new Intl.DateTimeFormat(undefined, {
            year: 'numeric',
            month: 'short',
            day: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          }).format(new Date(value)),
        iso,
      );
      assert.equal(await time.innerText(), expected);
      assert.doesNotMatch(await time.innerText(), /\d{4}-\d\d-\d\dT/);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });
});
