// The delete dialog of secrets, variables and certificates (issue 14 §9) in a real Chromium
// against a real server: it lists the connections (linked to their page) and the environments
// (by name) that use the resource and refuses while any does; once no connection uses it —
// a new revision deployed, or the connection deleted — it confirms and deletes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestCertificate } from '../../helpers/test-certificates.ts';
import {
  browserSkipReason,
  launchChromium,
  logIn,
  openWatchedPage,
  startConsoleServer,
  uniqueName,
  type ConsoleServer,
  type WatchedPage,
} from './console-harness.ts';

describe('web console: usages in the delete dialogs', { skip: browserSkipReason() }, () => {
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

  /** A page of this test's own, logged in as a new admin, on `path`. */
  async function openAt(path: string): Promise<WatchedPage> {
    const watched = await openWatchedPage(browser);
    const admin = await server.createUser('admin', 'usages_admin');
    await logIn(watched.page, server.url, admin.username, admin.password);
    await watched.page.goto(`${server.url}${path}`);
    return watched;
  }

  /** Opens the Delete dialog of the row named `name`; answers the dialog. */
  async function openDelete(page: Page, what: string, name: string) {
    await page.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    return page.getByRole('dialog', { name: `Delete ${what} ${name}?` });
  }

  /** The dialog refuses: it names the connection (a link to its page) and the environments. */
  async function expectRefusal(page: Page, what: string, name: string, connection: any) {
    const dialog = await openDelete(page, what, name);
    const used = dialog.getByRole('list', { name: 'Connections that use it' });
    const link = used.getByRole('link', { name: connection.name });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `/connections/${connection.id}`);
    const row = used.locator(`[data-usage="${connection.name}"]`);
    assert.match((await row.textContent()) ?? '', /in Development$/);
    const remove = dialog.getByRole('button', { name: 'Delete' });
    assert.equal(await remove.isDisabled(), true);
    await dialog.getByText('It cannot be deleted while a connection uses it.').waitFor();
    return dialog;
  }

  /** Unused now: the dialog says so, Delete deletes, the status line says it, the row goes. */
  async function deleteUnused(watched: WatchedPage, what: string, name: string, attribute: string) {
    const { page } = watched;
    const dialog = await openDelete(page, what, name);
    await dialog.getByText(/No connection (uses|trusts)/).waitFor();
    await watched.screenshot(`usages-${what.replace(' ', '-')}-unused`);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText(`Deleted ${what} ${name}.`).waitFor();
    await page.locator(`[${attribute}="${name}"]`).waitFor({ state: 'detached' });
  }

  test('a secret a deployed connection uses cannot be deleted until a new revision without it is deployed', async () => {
    const secret = uniqueName('CRM_TOKEN');
    await server.ok('POST', '/secrets', { name: secret, value: 'a-long-secret-value-0123' });
    const name = uniqueName('Crm_Sync');
    const withSecret = {
      method: 'POST',
      url: 'https://crm.example.com/hook',
      headers: [{ name: 'Authorization', value: `Bearer {{secret.${secret}}}` }],
    };
    const connection = await server.ok('POST', '/connections', {
      name,
      environments: { development: withSecret },
    });
    await server.ok('POST', `/connections/${connection.id}/deploy`, {
      environment: 'development',
    });

    const watched = await openAt('/secrets');
    const { page, screenshot, assertNoProblems } = watched;
    const dialog = await expectRefusal(page, 'secret', secret, connection);
    await screenshot('usages-secret-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // revision 2 without the secret, deployed where revision 1 ran
    await server.ok('PUT', `/connections/${connection.id}?deploy=development`, {
      name,
      environments: { development: { method: 'POST', url: 'https://crm.example.com/hook' } },
    });
    assert.deepEqual((await server.ok('GET', `/secrets/${secret}/usages`)).items, []);
    await deleteUnused(watched, 'secret', secret, 'data-secret');
    await screenshot('usages-secret-deleted');
    assertNoProblems();
    await watched.context.close();
  });

  test('a variable a connection uses cannot be deleted until the connection is deleted', async () => {
    const variable = uniqueName('CRM_HOST');
    await server.ok('POST', '/variables', {
      name: variable,
      values: { development: 'crm.example.com' },
    });
    const connection = await server.ok('POST', '/connections', {
      name: uniqueName('Crm_Push'),
      environments: {
        development: { method: 'POST', url: `https://{{var.${variable}}}/hook` },
      },
    });

    const watched = await openAt('/variables');
    const { page, screenshot, assertNoProblems } = watched;
    const dialog = await expectRefusal(page, 'variable', variable, connection);
    await screenshot('usages-variable-refused');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await server.ok('DELETE', `/connections/${connection.id}`);
    await deleteUnused(watched, 'variable', variable, 'data-variable');
    assertNoProblems();
    await watched.context.close();
  });

  test("a certificate's delete dialog lists the connection that trusts it", async () => {
    const certificate = uniqueName('partner-ca');
    const ca = createTestCertificate({ commonName: 'Partner CA', isCA: true });
    await server.ok('POST', '/certificates', { name: certificate, pem: ca.certPem });
    const connection = await server.ok('POST', '/connections', {
      name: uniqueName('Partner_Api'),
      environments: {
        development: {
          method: 'POST',
          url: 'https://partner.example.com/hook',
          tls: { verify: true, caCertificates: [certificate], keyStore: null },
        },
      },
    });

    const watched = await openAt('/certificates');
    const { page, screenshot, assertNoProblems } = watched;
    const dialog = await expectRefusal(page, 'certificate', certificate, connection);
    await screenshot('usages-certificate-refused');
    // the link opens the connection's page
    await dialog.getByRole('link', { name: connection.name }).click();
    await page.waitForURL(`**/connections/${connection.id}`);
    assertNoProblems();
    await watched.context.close();
  });
});
