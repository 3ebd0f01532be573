// What the console's browser tests share: the built console, a real server on SQLite in a temp
// data directory, Debian's Chromium driven by playwright-core, and a page that records every
// console error and failed request so a journey can assert there were none.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { cleanEnv, repoRoot, startServe, type ServeProcess } from '../helpers/hookline-process.ts';
import { eventually as eventuallyHolds } from '../../helpers/eventually.ts';

export const screenshotDir = join(repoRoot, 'test-results', 'console');

/**
 * How long a browser step may wait for what it expects. Generous on purpose: a busy 2-core
 * machine runs the whole suite beside the browser; a step that is going to pass passes as
 * soon as its condition holds, so only a failure waits this long.
 */
export const stepTimeoutMs = 90_000;
const chromiumPath = process.env.HOOKLINE_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or undefined when they can: without Chromium they are
 * skipped (and say so in the summary) on a developer's machine, and fail in CI (CI=true).
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `no Chromium at ${chromiumPath}: apt-get install -y chromium (or set HOOKLINE_TEST_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  return reason;
}

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds web/dist when a source is newer than the last build (as `npm start` does). */
export function buildConsoleIfNeeded(): void {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-console.ts'), '--if-needed'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface ConsoleServer {
  server: ServeProcess;
  url: string;
  dataDir: string;
  /** the admin token (for setting up data through the API) */
  token: string;
  /** admin's one-time password from <data>/admin-password */
  adminPassword: string;
  /** a JSON call to the API as the admin token */
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** the same, failing the test unless the answer is a success; resolves to its body */
  ok<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /**
   * A new user (unique name from `prefix`) who has already chosen their own password, so a
   * test can log in as them without the first-login password change in the way.
   */
  createUser(role: 'viewer' | 'editor' | 'admin', prefix?: string): Promise<TestUser>;
  close(): Promise<void>;
}

export interface TestUser {
  username: string;
  password: string;
  /** a JSON call to the API as this user (their session, with its CSRF token) */
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function startConsoleServer(
  extraEnv: Record<string, string> = {},
): Promise<ConsoleServer> {
  buildConsoleIfNeeded();
  const root = mkdtempSync(join(tmpdir(), 'hookline-console-'));
  const dataDir = join(root, 'data');
  const server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'warn'], {
    env: cleanEnv(extraEnv),
    cwd: root,
    readyTimeoutMs: stepTimeoutMs,
  });
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const adminPassword = readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
  const call = async (method: string, path: string, body: unknown, headers: object) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { response, status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const { status, body: answer } = await call(method, path, body, {
      authorization: `Bearer ${token}`,
    });
    return { status, body: answer };
  };
  return {
    server,
    url: server.url,
    dataDir,
    token,
    adminPassword,
    api,
    async ok(method, path, body) {
      const answer = await api(method, path, body);
      assert.ok(
        answer.status < 300,
        `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
      return answer.body;
    },
    async createUser(role, prefix = role) {
      const username = uniqueName(prefix);
      const first = `first ${randomUUID()}`;
      const password = `own ${randomUUID()}`;
      const made = await api('POST', '/users', { username, role, password: first });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      // they log in once and choose their own password, as the console would make them
      const login = await call('POST', '/session', { username, password: first }, {});
      assert.equal(login.status, 200, JSON.stringify(login.body));
      const cookie = login.response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const changed = await call(
        'POST',
        '/users/me/password',
        { currentPassword: first, newPassword: password },
        { cookie, 'x-csrf-token': login.body.csrfToken },
      );
      assert.equal(changed.status, 204, JSON.stringify(changed.body));
      const session = { cookie, 'x-csrf-token': login.body.csrfToken };
      return {
        username,
        password,
        async api(method, path, body) {
          const { status, body: answer } = await call(method, path, body, session);
          return { status, body: answer };
        },
      };
    },
    async close() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

let named = 0;
/** A name no other test uses: `prefix_` and a counter and a random tail (names allow `_`). */
export function uniqueName(prefix: string): string {
  named += 1;
  return `${prefix}_${named}_${randomUUID().slice(0, 8)}`;
}

/**
 * Retries `check` (an assertion) until it passes, then returns what it returned; after
 * `timeoutMs` the last failure is thrown. For what a locator cannot wait for by itself
 * (an attribute, the focus, a count): the page may still be rendering.
 */
export function eventually<T>(check: () => T | Promise<T>, timeoutMs = stepTimeoutMs): Promise<T> {
  return eventuallyHolds(check, { timeoutMs, intervalMs: 50 });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
}

/** A page that keeps what went wrong: console errors, page errors, failed requests. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  problems: string[];
  /** fails the test if the page logged an error or a request failed */
  assertNoProblems(): void;
  screenshot(name: string): Promise<void>;
}

export async function openWatchedPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    acceptDownloads: options.acceptDownloads ?? true,
  });
  context.setDefaultTimeout(stepTimeoutMs);
  context.setDefaultNavigationTimeout(stepTimeoutMs);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // ERR_ABORTED is the browser cancelling on purpose: a navigation leaving a page whose
    // images were still loading, a download handed to the download manager
    const failure = request.failure()?.errorText ?? '';
    if (failure.includes('ERR_ABORTED')) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on('response', (response) => {
    // 4xx answers a journey provokes on purpose (a taken name, a refused test) are the API
    // working; a 5xx never is
    if (response.status() >= 500) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  mkdirSync(screenshotDir, { recursive: true });
  return {
    page,
    context,
    problems,
    assertNoProblems() {
      assert.deepEqual(problems, []);
    },
    async screenshot(name) {
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
    },
  };
}

/** Logs in through the login page (the first time: the one-time password). */
export async function logIn(
  page: Page,
  url: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Connections' }).waitFor();
}

/**
 * Waits until `locator` matches exactly `count` elements. (page.waitForFunction with a string
 * is an eval, which the console's CSP refuses — as it should.)
 */
export async function waitForCount(locator: Locator, count: number, timeoutMs = stepTimeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await locator.count();
    if (now === count) return;
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} matches, still ${now} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether `locator`'s element has the keyboard focus. */
export function hasFocus(locator: Locator): Promise<boolean> {
  // evaluated through the DevTools protocol, not eval: the CSP does not apply
  return locator.evaluate((element: any) => element === element.ownerDocument.activeElement);
}

/**
 * The form controls and buttons on the page that a screen reader could not name: no <label>,
 * no aria-label(ledby), no title, and (buttons) no text. Each is described by its tag, type,
 * id and name attribute so a failure says which.
 */
export function unlabelledControls(page: Page): Promise<string[]> {
  // evaluated through the DevTools protocol, not eval: the CSP does not apply
  return page.evaluate(() => {
    const document = (globalThis as any).document;
    const found: string[] = [];
    for (const element of document.querySelectorAll(
      'input:not([type=hidden]), select, textarea, button, [role=switch], [role=combobox]',
    )) {
      if (element.closest('[hidden], [aria-hidden=true]')) continue;
      const labelledBy = (element.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id: string) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
      const name =
        element.getAttribute('aria-label') ||
        labelledBy.trim() ||
        [...(element.labels ?? [])]
          .map((label: any) => label.textContent)
          .join(' ')
          .trim() ||
        element.getAttribute('title') ||
        (element.tagName === 'BUTTON' ? element.textContent.trim() : '');
      if (!name) {
        found.push(
          `${element.tagName.toLowerCase()}[type=${element.getAttribute('type')}][id=${element.id}][name=${element.getAttribute('name')}]`,
        );
      }
    }
    return found;
  });
}
