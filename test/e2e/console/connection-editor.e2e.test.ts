// The connection editor in a real Chromium against a real server and a real target: creating
// with headers and the live name check, inline refusals before any request, Test Connection
// (green with timings, red with the hint), Save and Save and Deploy, a revision conflict, a
// critical deploy waiting for approval, the whole form from the keyboard, a phone-sized screen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestCertificate } from '../../helpers/test-certificates.ts';
import { refusedPort, startHttpTarget, type Target } from '../../helpers/target-servers.ts';
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

/** The value of each test's secret: long enough to be a secret that can be masked. */
const secretValue = 's3cr3t-crm-token-value';

/** The label, aria-label or text of the focused element (page functions are strings: no DOM lib here). */
const focusedName = `(() => {
  const el = document.activeElement;
  if (!el) return '';
  const label = el.labels && el.labels[0] ? el.labels[0].textContent : null;
  return (label || el.getAttribute('aria-label') || el.textContent || '').trim();
})()`;

/** Presses Tab (or Shift+Tab) until the focused control's name starts with `name`. */
async function tabTo(page: Page, name: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(key);
    const now = await page.evaluate<string>(focusedName);
    if (now.startsWith(name)) return;
  }
  throw new Error(`${key} never reached "${name}"`);
}

/** Waits until the focused control's name is `name` (focus moves once React has rendered). */
async function focusIs(page: Page, name: string): Promise<void> {
  await eventually(async () => assert.equal(await page.evaluate<string>(focusedName), name));
}

async function focusedAttribute(page: Page, attribute: string): Promise<string | null> {
  return page.evaluate<string | null>(
    `document.activeElement && document.activeElement.getAttribute(${JSON.stringify(attribute)})`,
  );
}

describe('web console: the connection editor', { skip: browserSkipReason() }, () => {
  let server: ConsoleServer;
  let browser: Browser;
  let target: Target;

  /**
   * A logged-in page of its own (a journey's dirty form cannot hold up the next one), as a
   * new admin of its own.
   */
  async function openEditor(
    path: string,
    viewport?: { width: number; height: number },
  ): Promise<WatchedPage> {
    const watched = await openWatchedPage(browser, viewport ? { viewport } : {});
    const admin = await server.createUser('admin', 'editor_admin');
    await logIn(watched.page, server.url, admin.username, admin.password);
    await watched.page.goto(`${server.url}${path}`);
    await watched.page.getByRole('button', { name: 'Save and Deploy' }).waitFor();
    return watched;
  }

  /** A variable (crm in Development) and a secret of the test's own. */
  async function createReferences(): Promise<{ variable: string; secret: string }> {
    const variable = uniqueName('crm_base');
    const secret = uniqueName('crm_token');
    await server.ok('POST', '/secrets', { name: secret, value: secretValue });
    await server.ok('POST', '/variables', { name: variable, values: { development: 'crm' } });
    return { variable, secret };
  }

  /**
   * A connection of the test's own, as the first journey saves it: PUT to the target's
   * /{{var.…}}/{{param.id}} in Development, with a JSON content type and a bearer secret.
   */
  async function createPartner(): Promise<string> {
    const name = uniqueName('Partner_CRM');
    const { variable, secret } = await createReferences();
    await server.ok('POST', '/connections', {
      name,
      description: 'CRM activity webhook',
      environments: {
        development: {
          method: 'PUT',
          url: `${target.origin}/{{var.${variable}}}/{{param.id}}`,
          headers: [
            { name: 'Content-Type', value: 'application/json' },
            { name: 'Authorization', value: `Bearer {{secret.${secret}}}` },
          ],
        },
      },
    });
    return name;
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

  test('creates a connection with two headers; the name check marks a taken name ✗ and a free one ✓', async () => {
    const taken = uniqueName('Taken_Hook');
    await server.ok('POST', '/connections', {
      name: taken,
      environments: { test: { method: 'POST', url: 'https://taken.example.com/hook' } },
    });
    const { variable, secret } = await createReferences();
    const partner = uniqueName('Partner_CRM');
    const watched = await openEditor('/connections/new');
    const { page } = watched;
    try {
      const name = page.getByLabel('Name (required)', { exact: true });
      const check = page.locator('[id="name-check"]');
      // names ignore case: taken_hook clashes with Taken_Hook
      await name.fill(taken.toLowerCase());
      await check.getByText('taken').waitFor();
      assert.equal(
        await name.getAttribute('aria-describedby').then((d) => d?.includes('name-check')),
        true,
      );
      await page.getByText('a connection in project default has this name').waitFor();
      await watched.screenshot('editor-name-taken');
      await name.fill(partner);
      await check.getByText('available').waitFor();
      assert.match((await check.textContent()) ?? '', /✓\s*available/);

      await page.getByLabel('Description').fill('CRM activity webhook');
      await page.getByText('20 / 1000').waitFor();
      // a new connection starts with parameters for the first environment (Development)
      await page.getByRole('tab', { name: /^Development/, selected: true }).waitFor();
      await page.getByLabel('HTTP method').selectOption('PUT');
      const url = page.getByLabel('Full URL (required)');
      await url.fill(`${target.origin}//{{param.id}}`);
      // `<> Variable` inserts a reference where the cursor is: after "origin/"
      const at = target.origin.length + 1;
      await url.evaluate((input: any, n: number) => input.setSelectionRange(n, n), at);
      await page.getByRole('button', { name: /^Insert a variable/ }).click();
      const picker = page.getByRole('dialog', { name: 'Insert a reference' });
      await picker.getByLabel('Variable', { exact: true }).selectOption(variable);
      await picker.getByText('In Development: crm').waitFor();
      await picker.getByRole('button', { name: 'Insert' }).click();
      await eventually(async () =>
        assert.equal(await url.inputValue(), `${target.origin}/{{var.${variable}}}/{{param.id}}`),
      );
      const chips = page.getByRole('list', { name: 'References in the Full URL' });
      await chips.getByText('= crm').waitFor();
      await chips.getByText('given by each call').waitFor();

      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 1 name').fill('Content-Type');
      await page.getByLabel('Header 1 value').fill('application/json');
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 2 name').fill('Authorization');
      const secretValue = page.getByLabel('Header 2 value');
      // a credential header is a password field, shown only on request
      assert.equal(await secretValue.getAttribute('type'), 'password');
      await secretValue.fill('a-literal-token-value');
      assert.equal(await secretValue.getAttribute('type'), 'password');
      await page.getByRole('button', { name: 'Show the value of header 2' }).click();
      await eventually(async () => assert.equal(await secretValue.getAttribute('type'), 'text'));
      await page.getByRole('button', { name: 'Hide the value of header 2' }).click();
      await eventually(async () =>
        assert.equal(await secretValue.getAttribute('type'), 'password'),
      );
      // a value that is only a reference holds no credential: it stays readable, no toggle
      await secretValue.fill(`Bearer {{secret.${secret}}}`);
      await eventually(async () => assert.equal(await secretValue.getAttribute('type'), 'text'));
      await page.getByRole('list', { name: 'References in header 2' }).getByText(secret).waitFor();
      assert.equal(
        await page.getByRole('button', { name: 'Show the value of header 2' }).count(),
        0,
      );
      await page.getByText('Unsaved changes').waitFor();
      await watched.screenshot('editor-create-filled');
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls on the editor');

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/\/connections\/[^/]+\/edit$/);
      await page.getByText(`Created ${partner} (revision 1).`).waitFor();
      await page.getByRole('heading', { name: `Edit ${partner}` }).waitFor();
      await page.getByText('All changes saved').waitFor();

      const stored = await server.api('GET', `/connections/${partner}`);
      assert.equal(stored.status, 200);
      assert.equal(stored.body.project, 'default');
      assert.equal(stored.body.description, 'CRM activity webhook');
      assert.equal(stored.body.enabled, true);
      assert.deepEqual(Object.keys(stored.body.environments), ['development']);
      const params = stored.body.environments.development;
      assert.equal(params.method, 'PUT');
      assert.equal(params.url, `${target.origin}/{{var.${variable}}}/{{param.id}}`);
      assert.deepEqual(params.headers, [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Authorization', value: `Bearer {{secret.${secret}}}` },
      ]);
      // the seconds shown are milliseconds stored
      assert.equal(params.connectTimeoutMs, 2000);
      assert.equal(params.requestTimeoutMs, 2000);
      assert.match(page.url(), new RegExp(`/connections/${stored.body.id}/edit$`));
      await watched.screenshot('editor-created');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('an empty header value is refused next to the field, and nothing is sent', async () => {
    const watched = await openEditor('/connections/new');
    const { page } = watched;
    try {
      const changes: string[] = [];
      page.on('request', (request) => {
        if (request.method() !== 'GET') changes.push(`${request.method()} ${request.url()}`);
      });
      await page.getByLabel('Name (required)', { exact: true }).fill(uniqueName('Empty_Value'));
      await page.getByLabel('Full URL (required)').fill(`${target.origin}/empty`);
      await page.getByRole('button', { name: 'Add header' }).click();
      await page.getByLabel('Header 1 name').fill('X-Trace-Id');
      await page.getByRole('button', { name: 'Save', exact: true }).click();

      const value = page.getByLabel('Header 1 value');
      await page
        .locator('[id="f:environments.development.headers[0].value"][aria-invalid="true"]')
        .waitFor();
      const errorId = (await value.getAttribute('aria-describedby'))?.split(' ')[0] ?? '';
      await page.locator(`[id="${errorId}"]`).getByText('✗ value is required').waitFor();
      assert.equal(await page.locator(`[id="${errorId}"]`).textContent(), '✗ value is required');
      // the summary at the top links to the field
      const summary = page.getByRole('alert').filter({ hasText: 'Not saved' });
      await summary.getByText('Development › Header 1 value').waitFor();
      await eventually(async () =>
        assert.equal(
          await focusedAttribute(page, 'id'),
          'f:environments.development.headers[0].value',
        ),
      );
      await watched.screenshot('editor-empty-header-value');
      assert.deepEqual(changes, []);

      // fixing the value clears the mark as the user types
      await value.fill('abc-123');
      await eventually(async () => assert.equal(await value.getAttribute('aria-invalid'), null));
      await summary.waitFor({ state: 'detached' });
      watched.assertNoProblems();

      // leaving with unsaved changes asks first: closing the tab …
      const asked = new Promise<string>((resolve) =>
        page.once('dialog', (dialog) => {
          resolve(dialog.type());
          void dialog.dismiss();
        }),
      );
      await page.close({ runBeforeUnload: true });
      assert.equal(await asked, 'beforeunload');
      assert.equal(page.isClosed(), false);
      // … and a link: No keeps the page, Yes leaves
      // (the router asks once the click has been handled, and the click waits for what it
      // started: the question is answered as it comes, not after the click returned)
      const answer = (yes: boolean) =>
        new Promise<string>((resolve) =>
          page.once('dialog', (dialog) => {
            resolve(dialog.message());
            void (yes ? dialog.accept() : dialog.dismiss());
          }),
        );
      const firstQuestion = answer(false);
      const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
      await crumbs.getByRole('link', { name: 'Connections' }).click();
      assert.match(await firstQuestion, /^Leave without saving\?/);
      assert.match(page.url(), /\/connections\/new$/);
      await page.getByRole('button', { name: 'Save', exact: true }).waitFor();
      const secondQuestion = answer(true);
      await crumbs.getByRole('link', { name: 'Connections' }).click();
      assert.match(await secondQuestion, /^Leave without saving\?/);
      await page.waitForURL(/\/connections$/);
      assert.deepEqual(changes, []);
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('Test Connection: green with timings against the target, red with the hint against a refused port', async () => {
    const partner = await createPartner();
    const watched = await openEditor(`/connections/${partner}/edit?test=1`);
    const { page } = watched;
    try {
      // ?test=1 (the list's ⋮ Test) puts the focus on Test Connection
      await focusIs(page, 'Test Connection');
      const before = target.requests.length;
      await page.keyboard.press('Enter');
      // the URL uses {{param.id}}: the test asks for its value first
      const ask = page.getByRole('dialog', { name: 'Values for the test' });
      await ask.waitFor();
      await focusIs(page, '{{param.id}}');
      await page.keyboard.type('7');
      await page.keyboard.press('Enter');
      const result = page.getByRole('region', { name: /Connection works/ });
      await result.waitFor();
      assert.match((await result.getByRole('heading').textContent()) ?? '', /HTTP 200/);
      const timings = result.getByRole('definition');
      assert.equal(await timings.count(), 5); // DNS, connect, TLS, first byte, total
      await result.getByText('Total').waitFor();
      assert.match((await result.textContent()) ?? '', /revision 1/);
      assert.equal(target.requests.length, before + 1);
      const sent = target.requests.at(-1)!;
      assert.equal(sent.method, 'PUT');
      assert.equal(sent.url, '/crm/7');
      assert.equal(sent.headers.authorization, `Bearer ${secretValue}`);
      await watched.screenshot('editor-test-ok');

      // the unsaved form is tested as a draft: a port where nothing listens
      const port = await refusedPort();
      await page.getByLabel('Full URL (required)').fill(`http://127.0.0.1:${port}/hook`);
      await page.getByRole('button', { name: 'Test Connection' }).click();
      const failed = page.getByRole('region', { name: /Test failed/ });
      await failed.waitFor();
      await failed.getByText('CONNECT_REFUSED').waitFor();
      await failed.getByText('What to check:').waitFor();
      assert.match((await failed.textContent()) ?? '', /the unsaved form/);
      await watched.screenshot('editor-test-refused');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('Save, then Save and Deploy: the environment runs the new revision', async () => {
    const partner = await createPartner();
    const watched = await openEditor(`/connections/${partner}/edit?deploy=1`);
    const { page } = watched;
    try {
      await focusIs(page, 'Save and Deploy');
      await page.getByText('Test and deploy use Development · not deployed there').waitFor();
      await page.getByLabel('Description').fill('CRM activity webhook, v2');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved revision 2.').waitFor();
      assert.equal((await server.api('GET', `/connections/${partner}`)).body.revision, 2);

      // Settings: timeouts in seconds, stored in milliseconds
      await page.getByRole('tab', { name: 'Settings' }).click();
      await page.getByLabel('Request timeout').fill('10');
      await page.getByLabel('Full URL (required)').fill(`${target.origin}/crm/v2/{{param.id}}`);
      await page.getByRole('button', { name: 'Save and Deploy' }).click();
      await page.getByText('Saved revision 3 and deployed it to Development.').waitFor();
      await page.getByText('Test and deploy use Development · runs r3').waitFor();
      await page.getByRole('tab', { name: /^Development.*runs r3/ }).waitFor();
      await watched.screenshot('editor-deployed');

      const stored = (await server.api('GET', `/connections/${partner}`)).body;
      assert.equal(stored.revision, 3);
      assert.equal(stored.deployments.development.revision, 3);
      assert.equal(stored.environments.development.requestTimeoutMs, 10000);
      // and the runtime uses it: an invoke reaches the new path
      const invoked = await server.api('POST', `/connections/${partner}/invoke`, {
        environment: 'development',
        params: { id: '42' },
      });
      assert.equal(invoked.status, 200, JSON.stringify(invoked.body));
      assert.equal(invoked.body.outcome, 'OK');
      assert.equal(invoked.body.connection.revision, 3);
      assert.equal(target.requests.at(-1)!.url, '/crm/v2/42');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('a revision saved by someone else meanwhile is shown as a conflict, and can be loaded', async () => {
    const partner = await createPartner();
    const watched = await openEditor(`/connections/${partner}/edit`);
    const { page } = watched;
    try {
      const current = (await server.api('GET', `/connections/${partner}`)).body;
      const { id, revision, createdAt, createdBy, updatedAt, updatedBy, warnings, ...rest } =
        current;
      void [id, revision, createdAt, createdBy, updatedAt, updatedBy, warnings];
      const theirs = await server.api('PUT', `/connections/${partner}`, {
        ...rest,
        description: 'changed by a colleague',
      });
      assert.equal(theirs.status, 200, JSON.stringify(theirs.body));
      await page.getByLabel('Description').fill('my change');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const conflict = page.getByRole('alert').filter({ hasText: 'Someone else saved' });
      await conflict.waitFor();
      assert.match((await conflict.textContent()) ?? '', /revision 2; you started from revision 1/);
      await watched.screenshot('editor-conflict');
      // the refused PUT (409) is the API working; Chromium logs it as a failed resource
      assert.deepEqual(
        watched.problems.filter((p) => !/409/.test(p)),
        [],
        watched.problems.join('\n'),
      );
      watched.problems.length = 0;
      await conflict.getByRole('button', { name: /Load their version/ }).click();
      await page
        .getByRole('heading', { name: `Edit ${partner}` })
        .getByText('r2')
        .waitFor();
      await eventually(async () =>
        assert.equal(await page.getByLabel('Description').inputValue(), 'changed by a colleague'),
      );
      await page.getByText('All changes saved').waitFor();
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('Save and Deploy of a critical connection to production waits for approval, with the http warning', async () => {
    const name = uniqueName('Audit_Critical');
    const watched = await openEditor('/connections/new');
    const { page } = watched;
    try {
      await page.getByLabel('Name (required)', { exact: true }).fill(name);
      await page.getByText('available').waitFor();
      await page.getByLabel('Critical').check();
      await page.getByRole('tab', { name: /^Production/ }).click();
      await page.getByRole('button', { name: 'Add parameters for Production' }).click();
      await page.getByLabel('Full URL (required)').fill('http://audit.example.com/events');
      await page.getByText('Plain http:// in a production environment').waitFor();
      // TLS verification stays on in production, and says why
      await page.getByRole('tab', { name: 'Settings' }).click();
      const verify = page.getByLabel("Verify the target's certificate");
      assert.equal(await verify.isChecked(), true);
      assert.equal(await verify.isDisabled(), true);
      await page
        .getByText('verification cannot be turned off in a production environment')
        .waitFor();
      // Development keeps an empty URL: remove its parameters
      await page.getByRole('tab', { name: /^Development/ }).click();
      await page.getByRole('button', { name: 'Remove parameters for Development' }).click();
      await page.getByRole('tab', { name: /^Development.*no parameters/ }).waitFor();
      await page.getByRole('tab', { name: /^Production/ }).click();
      await page.getByText('critical: a second admin approves').waitFor();

      await page.getByRole('button', { name: 'Save and Deploy' }).click();
      await page.waitForURL(/\/connections\/[^/]+\/edit$/);
      const waiting = page.getByText(/Deploying it to Production waits for approval \S+/);
      await waiting.waitFor();
      await page.getByRole('link', { name: 'Open Approvals' }).waitFor();
      await page.getByText('Saved with a warning:').waitFor();
      await watched.screenshot('editor-awaiting-approval');
      const stored = (await server.api('GET', `/connections/${name}`)).body;
      assert.equal(stored.critical, true);
      assert.equal(stored.deployments?.production, undefined);
      const approvals = await server.api('GET', '/approvals');
      assert.equal(approvals.status, 200);
      assert.ok(
        approvals.body.items.some(
          (a: any) => a.connectionId === stored.id && a.state === 'pending',
        ),
        JSON.stringify(approvals.body),
      );
      // the deploy's 409 APPROVAL_REQUIRED is the answer, not a failure
      assert.deepEqual(
        watched.problems.filter((p) => !/409/.test(p)),
        [],
        watched.problems.join('\n'),
      );
    } finally {
      await watched.context.close();
    }
  });

  test("the API's refusal of a field is shown next to that field and in the summary", async () => {
    const ca = createTestCertificate({ commonName: 'Partner Root CA', isCA: true });
    const certificate = uniqueName('Partner_CA');
    const made = await server.api('POST', '/certificates', { name: certificate, pem: ca.certPem });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const watched = await openEditor('/connections/new');
    const { page } = watched;
    try {
      await page.getByLabel('Name (required)', { exact: true }).fill(uniqueName('Uses_Partner_CA'));
      await page.getByLabel('Full URL (required)').fill('https://partner.example.com/hook');
      await page.getByRole('tab', { name: 'Settings' }).click();
      await page.getByLabel(certificate).check();
      // meanwhile the certificate goes: only the server can know
      assert.equal((await server.api('DELETE', `/certificates/${made.body.id}`)).status, 204);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Not saved' });
      await summary.getByText('Development › Extra CA certificates').waitFor();
      const next = page.locator('[id="e:environments.development.tls.caCertificates"]');
      await next.getByText(`unknown certificate '${certificate}'`).waitFor();
      assert.match(page.url(), /\/connections\/new$/);
      await watched.screenshot('editor-server-problem');
      // the 400 is the API's answer; Chromium logs it as a failed resource
      assert.deepEqual(
        watched.problems.filter((p) => !/400/.test(p)),
        [],
        watched.problems.join('\n'),
      );
      watched.problems.length = 0;
      // unticking it clears the mark (the field changed since the answer)
      await page.getByLabel(certificate).uncheck();
      await next.waitFor({ state: 'detached' });
      await summary.waitFor({ state: 'detached' });
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test("an editor's Save and Deploy to production is refused with a clear message, and nothing is saved", async () => {
    const editor = await server.createUser('editor', 'ed');
    const name = uniqueName('Prod_Only');
    const made = await server.api('POST', '/connections', {
      name,
      environments: { production: { method: 'POST', url: 'https://prod.example.com/hook' } },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const watched = await openWatchedPage(browser);
    const { page } = watched;
    try {
      await logIn(page, server.url, editor.username, editor.password);
      await page.goto(`${server.url}/connections/${name}/edit`);
      await page.getByRole('tab', { name: /^Production/ }).waitFor();
      await page.getByRole('tab', { name: /^Production/, selected: true }).waitFor();
      await page.getByText('deploying there needs an admin').waitFor();
      await page.getByLabel('Description').fill('an editor was here');
      await page.getByRole('button', { name: 'Save and Deploy' }).click();
      await page
        .getByText(
          'Nothing was saved. Deploying to Production (a production environment) needs an admin; you act as editor.',
        )
        .waitFor();
      await watched.screenshot('editor-forbidden-production');
      const stored = (await server.api('GET', `/connections/${name}`)).body;
      assert.equal(stored.revision, 1);
      assert.equal(stored.description, '');
      assert.deepEqual(
        watched.problems.filter((p) => !/403/.test(p)),
        [],
        watched.problems.join('\n'),
      );
    } finally {
      await watched.context.close();
    }
  });

  test('the whole form can be filled and saved with the keyboard only', async () => {
    const name = uniqueName('Keyboard_Hook');
    const { secret } = await createReferences();
    const watched = await openEditor('/connections/new');
    const { page } = watched;
    try {
      // from the top of the page: the skip link, then into the form
      await page.keyboard.press('Tab');
      await focusIs(page, 'Skip to content');
      await page.keyboard.press('Enter');
      await tabTo(page, 'Name');
      await page.keyboard.type(name);
      await page.keyboard.press('Tab');
      await focusIs(page, 'Description');
      await page.keyboard.type('Typed, never clicked');
      await tabTo(page, 'Enabled');
      await page.keyboard.press('Space');
      await eventually(async () =>
        assert.equal(await page.getByRole('switch', { name: 'Enabled' }).isChecked(), false),
      );
      await page.getByText('Passive: the configuration is kept').waitFor();
      await page.keyboard.press('Space');
      await eventually(async () =>
        assert.equal(await page.getByRole('switch', { name: 'Enabled' }).isChecked(), true),
      );

      // the environment tabs: one tab stop, arrows move
      await tabTo(page, 'Development');
      await eventually(async () => assert.equal(await focusedAttribute(page, 'role'), 'tab'));
      await tabTo(page, 'HTTP method');
      await page.keyboard.press('ArrowDown'); // POST → PUT
      await page.keyboard.press('Tab');
      await focusIs(page, 'Full URL (required)');
      await page.keyboard.type(`${target.origin}/keyboard`);
      await tabTo(page, '+ Add header');
      await page.keyboard.press('Enter');
      await focusIs(page, 'Header 1 name');
      await page.keyboard.type('X-Trace-Id');
      await page.keyboard.press('Escape'); // the suggestions list
      await page.keyboard.press('Tab');
      await page.keyboard.type('kb-1');
      await page.keyboard.press('Escape');
      await tabTo(page, '+ Add header');
      await page.keyboard.press('Space');
      await focusIs(page, 'Header 2 name');
      await page.keyboard.type('X-Api-Key');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Tab');
      await eventually(async () => assert.equal(await focusedAttribute(page, 'type'), 'password'));
      await page.keyboard.type('a-literal-key');
      await tabTo(page, 'Show the value of header 2');
      await page.keyboard.press('Enter'); // shows it, and gives the focus back to the value
      await eventually(async () => assert.equal(await focusedAttribute(page, 'type'), 'text'));
      // a reference instead: no credential of its own, so it stays readable
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(`{{secret.${secret}}}`);
      await eventually(async () => assert.equal(await focusedAttribute(page, 'type'), 'text'));

      // copy Development's parameters into Test
      await tabTo(page, 'Development', 'Shift+Tab');
      await page.keyboard.press('ArrowRight');
      await page.getByRole('tab', { name: /^Test/, selected: true }).waitFor();
      await tabTo(page, 'Copy from Development');
      await page.keyboard.press('Enter');
      await focusIs(page, 'Full URL (required)');
      await page.getByRole('tab', { name: /^Test.*not deployed/ }).waitFor();
      await watched.screenshot('editor-keyboard');

      // Enter in a field saves (the form's submit is Save)
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/connections\/[^/]+\/edit$/);
      await page.getByText(`Created ${name} (revision 1).`).waitFor();
      const stored = (await server.api('GET', `/connections/${name}`)).body;
      assert.equal(stored.description, 'Typed, never clicked');
      assert.equal(stored.enabled, true);
      assert.deepEqual(Object.keys(stored.environments).sort(), ['development', 'test']);
      for (const env of ['development', 'test']) {
        assert.equal(stored.environments[env].method, 'PUT');
        assert.equal(stored.environments[env].url, `${target.origin}/keyboard`);
        assert.deepEqual(stored.environments[env].headers, [
          { name: 'X-Trace-Id', value: 'kb-1' },
          { name: 'X-Api-Key', value: `{{secret.${secret}}}` },
        ]);
      }
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });

  test('on a phone-sized screen the editor fits the width and still works', async () => {
    const partner = await createPartner();
    const watched = await openEditor(`/connections/${partner}/edit`, { width: 390, height: 844 });
    const { page } = watched;
    try {
      const width = () => page.evaluate<number>('document.documentElement.scrollWidth');
      assert.ok((await width()) <= 390, `the page scrolls sideways: ${await width()} px wide`);
      await watched.screenshot('editor-phone');
      await page.getByRole('tab', { name: 'Settings' }).click();
      await page.getByLabel('Retry failed attempts').check();
      await page.getByLabel('Attempts at most').waitFor();
      assert.ok((await width()) <= 390, `settings scroll sideways: ${await width()} px wide`);
      await watched.screenshot('editor-phone-settings');
      assert.deepEqual(await unlabelledControls(page), [], 'unlabelled controls in Settings');
      await page.getByRole('button', { name: 'Test Connection' }).click();
      await page.getByLabel('{{param.id}}').fill('9');
      await page.getByRole('button', { name: 'Run the test' }).click();
      await page.getByRole('region', { name: /Connection works/ }).waitFor();
      assert.ok((await width()) <= 390, `the test result scrolls sideways: ${await width()} px`);
      await watched.screenshot('editor-phone-test');
      watched.assertNoProblems();
    } finally {
      await watched.context.close();
    }
  });
});
