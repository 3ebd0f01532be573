// The connection editor as a workbench (issue 14), in a real Chromium against a real server:
// never stale (a change made through the API shows when the editor opens, a clean form follows
// the server, a dirty one is told what changed and a conflicting save shows the diff), the
// `<> Variable` picker in header values with a secret created on the spot, reference-only values
// readable while literal credentials stay masked, Delivery settings, problems on blur or save,
// Ctrl+S, and a sample body for Test Connection.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
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

/** What React Query reads again when the tab comes back: the same as a user returning to it. */
async function returnToTab(page: Page): Promise<void> {
  // evaluated through the DevTools protocol, not eval: the CSP does not apply
  await page.evaluate(() => {
    const document = (globalThis as any).document;
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
}

describe('web console: the editor as a workbench', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  let target: Target;

  /** A logged-in page of its own, as a new admin of its own, on the editor at `path`. */
  async function openEditor(path: string): Promise<WatchedPage> {
    const watched = await openWatchedPage(browser);
    const admin = await server.createUser('admin', 'bench_admin');
    await logIn(watched.page, server.url, admin.username, admin.password);
    await watched.page.goto(`${server.url}${path}`);
    await watched.page.getByRole('button', { name: 'Save and Deploy' }).waitFor();
    return watched;
  }

  /** A connection of the test's own: POST to the target in Development, one header. */
  async function createConnection(prefix: string): Promise<{ name: string; id: string }> {
    const name = uniqueName(prefix);
    const made = await server.ok('POST', '/connections', {
      name,
      description: 'first',
      environments: {
        development: {
          method: 'POST',
          url: `${target.origin}/hook`,
          headers: [{ name: 'Content-Type', value: 'application/json' }],
        },
      },
    });
    return { name, id: made.id };
  }

  /** PUT of the connection as it is now, with `change` merged in (a colleague's save). */
  async function replaceThroughApi(name: string, change: Record<string, unknown>) {
    const current = (await server.api('GET', `/connections/${name}`)).body;
    const { id, revision, createdAt, createdBy, updatedAt, updatedBy, warnings, deployments } =
      current;
    void [id, revision, createdAt, createdBy, updatedAt, updatedBy, warnings, deployments];
    const { enabled, critical, description, project, environments } = current;
    return server.ok('PUT', `/connections/${name}`, {
      name,
      enabled,
      critical,
      description,
      project,
      environments,
      ...change,
    });
  }

  before(async () => {
    server = await startConsoleServer();
    target = await startHttpTarget();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await target?.close();
    await server?.close();
  });

  test('never stale: an API change shows when the editor opens, a clean form follows, a conflicting save shows the diff', async () => {
    const { name, id } = await createConnection('Fresh_Hook');
    const watched = await openEditor(`/connections/${name}/edit`);
    const { page } = watched;
    try {
      const heading = page.getByRole('heading', { name: `Edit ${name}` });
      await heading.getByText('r1').waitFor();
      // the breadcrumb leads back to the overview
      const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
      assert.equal(
        await crumbs.getByRole('link', { name, exact: true }).getAttribute('href'),
        `/connections/${id}`,
      );
      await crumbs.getByText('Edit').waitFor();

      // away to the list; meanwhile a PUT and a PATCH through the API (revisions 2 and 3) …
      await crumbs.getByRole('link', { name: 'Connections' }).click();
      await page.waitForURL(/\/connections$/);
      await replaceThroughApi(name, { description: 'second' });
      await server.ok('PATCH', `/connections/${name}`, { description: 'changed through the API' });
      // … and back: the editor shows revision 3, not the copy it had read before
      await page.goBack();
      await heading.getByText('r3').waitFor();
      assert.equal(await page.getByLabel('Description').inputValue(), 'changed through the API');
      await page.getByText('All changes saved').waitFor();

      // while it is open and clean, a newer revision refills it
      await replaceThroughApi(name, { description: 'fourth' });
      await returnToTab(page);
      await heading.getByText('r4').waitFor();
      await eventually(async () =>
        assert.equal(await page.getByLabel('Description').inputValue(), 'fourth'),
      );
      await page.getByText(/saved revision 4 meanwhile: the form shows it now/).waitFor();

      // over unsaved changes, a newer revision is announced with what changed …
      await page.getByLabel('Description').fill('my change');
      await replaceThroughApi(name, { description: 'changed by a colleague' });
      await returnToTab(page);
      const told = page.getByRole('alert').filter({ hasText: 'Someone else saved' });
      await told.getByText('Your changes are not saved yet.').waitFor();
      const diff = told.getByLabel('What changed from revision 4 to revision 5');
      await diff.getByText('"description": "changed by a colleague",').waitFor();
      assert.equal(await page.getByLabel('Description').inputValue(), 'my change');
      await told.getByRole('button', { name: 'Keep editing' }).click();
      await told.waitFor({ state: 'detached' });

      // … and Save is refused (409) with the same diff and the ways out
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const refused = page.getByRole('alert').filter({ hasText: 'Nothing of yours was saved' });
      await refused.waitFor();
      assert.match((await refused.textContent()) ?? '', /revision 5; you started from revision 4/);
      await refused
        .getByLabel('What changed from revision 4 to revision 5')
        .getByText('"description": "fourth",')
        .waitFor();
      await watched.screenshot('editor-workbench-conflict-diff');
      await refused.getByRole('button', { name: /Load their version/ }).click();
      await heading.getByText('r5').waitFor();
      assert.equal(await page.getByLabel('Description').inputValue(), 'changed by a colleague');
      await page.getByText('All changes saved').waitFor();
      // the refused PUT (409) is the API working; Chromium logs it as a failed resource
      assert.deepEqual(
        watched.problems.filter((p) => !/409/.test(p)),
        [],
        watched.problems.join('\n'),
      );
    } finally {
      await watched.context.close();
    }
  });

  test('the picker inserts into header values and creates a variable and a secret in place; literal credentials stay masked, references do not; Ctrl+S saves', async () => {
    const { name } = await createConnection('Picker_Hook');
    const variable = uniqueName('tenant');
    const taken = uniqueName('taken_token');
    await server.ok('POST', '/variables', { name: variable, values: { development: 'acme' } });
    await server.ok('POST', '/secrets', { name: taken, value: 'an-existing-secret' });
    const watched = await openEditor(`/connections/${name}/edit`);
    const { page } = watched;
    try {
      // a variable into a header value
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 2 name').fill('X-Tenant');
      await page
        .getByRole('button', {
          name: 'Insert a variable, secret or parameter into the value of header 2',
        })
        .click();
      const picker = page.getByRole('dialog', { name: 'Insert a reference' });
      await picker.getByLabel('Variable', { exact: true }).selectOption(variable);
      await picker.getByText('In Development: acme').waitFor();
      await picker.getByRole('button', { name: 'Insert' }).click();
      const tenant = page.getByLabel('Header 2 value');
      await eventually(async () => assert.equal(await tenant.inputValue(), `{{var.${variable}}}`));

      // a variable created from the picker, a value per environment, without leaving
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 3 name').fill('X-Region');
      await page
        .getByRole('button', {
          name: 'Insert a variable, secret or parameter into the value of header 3',
        })
        .click();
      await picker.getByRole('button', { name: 'New variable…' }).click();
      const newVariable = page.getByRole('dialog', { name: 'New variable' });
      const region = uniqueName('region');
      await newVariable.getByLabel('Name of the new variable').fill(region);
      await newVariable.getByLabel('Value in Development').fill('eu-west');
      await newVariable.getByRole('button', { name: 'Create variable and insert' }).click();
      await newVariable.waitFor({ state: 'detached' });
      await eventually(async () =>
        assert.equal(await page.getByLabel('Header 3 value').inputValue(), `{{var.${region}}}`),
      );
      await page
        .getByRole('list', { name: 'References in header 3' })
        .getByText('= eu-west')
        .waitFor();
      const made = await server.ok('GET', `/variables/${region}`);
      assert.deepEqual(made.values, { development: 'eu-west' });

      // a literal credential is masked
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 4 name').fill('Authorization');
      const auth = page.getByLabel('Header 4 value');
      await auth.fill('abc123-a-literal-token');
      assert.equal(await auth.getAttribute('type'), 'password');
      await page.getByText('A literal credential is stored and exported').waitFor();

      // "Bearer " and a secret created from the picker, without leaving the form
      await auth.fill('Bearer ');
      await page
        .getByRole('button', {
          name: 'Insert a variable, secret or parameter into the value of header 4',
        })
        .click();
      await picker.getByRole('radio', { name: /^Secret/ }).check();
      await picker.getByRole('button', { name: 'New secret…' }).click();
      const create = page.getByRole('dialog', { name: 'New secret' });
      await create.getByLabel('Name of the new secret').fill(taken);
      await create.getByLabel('Value', { exact: true }).fill('short');
      await create.getByRole('button', { name: 'Create secret and insert' }).click();
      await create
        .locator('[id="create-value-error"]')
        .getByText('at least 8 characters: a shorter secret cannot be masked')
        .waitFor();
      await create.getByLabel('Value', { exact: true }).fill('a-long-enough-value');
      await create.getByRole('button', { name: 'Create secret and insert' }).click();
      // the server's refusal (the name is taken) is shown at the name
      await create
        .getByText('a secret with this name exists already: choose another name')
        .waitFor();
      assert.equal(
        await create.getByLabel('Name of the new secret').getAttribute('aria-invalid'),
        'true',
      );
      await watched.screenshot('editor-workbench-new-secret');
      const secret = uniqueName('crm_token');
      await create.getByLabel('Name of the new secret').fill(secret);
      await create.getByRole('button', { name: 'Create secret and insert' }).click();
      await create.waitFor({ state: 'detached' });
      await eventually(async () =>
        assert.equal(await auth.inputValue(), `Bearer {{secret.${secret}}}`),
      );
      // only references: readable while typed, nothing to show or hide
      assert.equal(await auth.getAttribute('type'), 'text');
      assert.equal(
        await page.getByRole('button', { name: 'Show the value of header 4' }).count(),
        0,
      );
      await page.getByRole('list', { name: 'References in header 4' }).getByText(secret).waitFor();
      assert.match(page.url(), new RegExp(`/connections/${name}/edit$`));
      const secrets = await server.ok('GET', '/secrets?limit=500');
      assert.ok(
        secrets.items.some((s: any) => s.name === secret && s.value === undefined),
        JSON.stringify(secrets.items.map((s: any) => s.name)),
      );
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls on the editor');
      await watched.screenshot('editor-workbench-header-references');

      // Ctrl+S saves (and the browser does not save the page)
      await page.getByLabel('Header 2 name').focus();
      await page.keyboard.press('Control+S');
      await page.getByText('Saved revision 2.').waitFor();
      const stored = (await server.api('GET', `/connections/${name}`)).body;
      assert.deepEqual(stored.environments.development.headers, [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'X-Tenant', value: `{{var.${variable}}}` },
        { name: 'X-Region', value: `{{var.${region}}}` },
        { name: 'Authorization', value: `Bearer {{secret.${secret}}}` },
      ]);
      // the refused create (409 SECRET_EXISTS) is the API working
      assert.deepEqual(
        watched.problems.filter((p) => !/409/.test(p)),
        [],
        watched.problems.join('\n'),
      );
    } finally {
      await watched.context.close();
    }
  });

  test('Delivery settings, the retry max age and a signing secret made in place are saved, read back and checked on blur; Test Connection sends the sample body', async () => {
    const { name } = await createConnection('Delivery_Hook');
    const watched = await openEditor(`/connections/${name}/edit`);
    const { page } = watched;
    try {
      await page.getByRole('tab', { name: 'Settings' }).click();
      const concurrency = page.getByLabel('Maximum concurrency');
      // out of range: said when the field is left, not while typing
      await concurrency.fill('2000');
      assert.equal(await concurrency.getAttribute('aria-invalid'), null);
      await page.keyboard.press('Tab');
      await page.getByText('a whole number from 1 to 1024').waitFor();
      assert.equal(await concurrency.getAttribute('aria-invalid'), 'true');
      await concurrency.fill('4');
      await eventually(async () =>
        assert.equal(await concurrency.getAttribute('aria-invalid'), null),
      );
      await page.getByLabel('FIFO: deliver in order').check();
      await page.getByLabel('Rate', { exact: true }).fill('2.5');
      await page.getByLabel('Retry failed attempts').check();
      await page.getByLabel('Maximum age').fill('3600');
      // the signing key's secret, created on the spot too
      await page.getByLabel('Signature', { exact: true }).selectOption('hmac-sha256');
      await page.getByRole('button', { name: 'New secret…' }).click();
      const signingKey = uniqueName('signing_key');
      const create = page.getByRole('dialog', { name: 'New secret' });
      await create.getByLabel('Name of the new secret').fill(signingKey);
      await create.getByLabel('Value', { exact: true }).fill('whsec-a-long-signing-key');
      await create.getByRole('button', { name: 'Create secret and insert' }).click();
      await create.waitFor({ state: 'detached' });
      await eventually(async () =>
        assert.equal(
          await page.getByLabel('Signing secret').inputValue(),
          `{{secret.${signingKey}}}`,
        ),
      );
      await watched.screenshot('editor-workbench-delivery-settings');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved revision 2.').waitFor();
      const params = (await server.api('GET', `/connections/${name}`)).body.environments
        .development;
      assert.deepEqual(params.delivery, { ordered: true, maxConcurrency: 4, ratePerSecond: 2.5 });
      assert.equal(params.retry.maxAgeSeconds, 3600);
      assert.deepEqual(params.signing, {
        scheme: 'hmac-sha256',
        secret: `{{secret.${signingKey}}}`,
        header: 'X-Signature-256',
      });

      // read back: a fresh page shows what the API has
      await page.reload();
      await page.getByRole('tab', { name: 'Settings' }).click();
      assert.equal(await page.getByLabel('FIFO: deliver in order').isChecked(), true);
      assert.equal(await page.getByLabel('Maximum concurrency').inputValue(), '4');
      assert.equal(await page.getByLabel('Rate', { exact: true }).inputValue(), '2.5');
      assert.equal(await page.getByLabel('Maximum age').inputValue(), '3600');

      // the sample body goes with Test Connection
      await page.locator('summary', { hasText: 'Sample request body' }).click();
      await page.getByLabel('Sample request body').fill('{"text":"hello from the editor"}');
      const before = target.requests.length;
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByRole('region', { name: /Connection works/ }).waitFor();
      assert.equal(target.requests.length, before + 1);
      // signed with the key made in place
      assert.match(String(target.requests.at(-1)!.headers['x-signature-256']), /\S/);
      assert.equal(
        target.requests.at(-1)!.body.toString('utf8'),
        '{"text":"hello from the editor"}',
      );
      await watched.screenshot('editor-workbench-sample-body');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('tabbing through an empty header row shows no problem until Ctrl+S tries to save', async () => {
    const name = uniqueName('Tab_Hook');
    const watched = await openEditor('/connections/new');
    const { page } = watched;
    try {
      const changes: string[] = [];
      page.on('request', (request) => {
        if (request.method() !== 'GET') changes.push(`${request.method()} ${request.url()}`);
      });
      await page.getByLabel('Name (required)', { exact: true }).fill(name);
      await page.getByLabel('Full URL (required)').fill(`${target.origin}/tabbed`);
      await page.getByRole('button', { name: 'Add header' }).click();
      await eventually(async () =>
        assert.equal(
          await page.evaluate<string>('document.activeElement && document.activeElement.id'),
          'f:environments.development.headers[0].name',
        ),
      );
      // name, value, its picker, remove: through the whole row and out of it
      for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
      await page.getByRole('button', { name: 'Add header' }).waitFor();
      assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
      assert.equal(await page.locator('.field-error').count(), 0);
      await watched.screenshot('editor-workbench-tabbed-row');

      await page.keyboard.press('Control+S');
      const summary = page.getByRole('alert').filter({ hasText: 'Not saved' });
      await summary.getByText('Development › Header 1 name').waitFor();
      await page.locator('[id="e:environments.development.headers[0].name"]').waitFor();
      assert.deepEqual(changes, []);

      await page.getByLabel('Header 1 name').fill('X-Trace-Id');
      await page.getByLabel('Header 1 value').fill('tab-1');
      await page.keyboard.press('Control+S');
      await page.waitForURL(/\/connections\/[^/]+\/edit$/);
      await page.getByText(`Created ${name} (revision 1).`).waitFor();
      const stored = (await server.api('GET', `/connections/${name}`)).body;
      assert.deepEqual(stored.environments.development.headers, [
        { name: 'X-Trace-Id', value: 'tab-1' },
      ]);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });
});
