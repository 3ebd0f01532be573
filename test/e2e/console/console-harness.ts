// What the console's browser tests share: the built console, a real server on SQLite in a temp
// data directory, Debian's Chromium driven by playwright-core, and a page that records every
// console error and failed request so a journey can assert there were none.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

export const screenshotDir = join(repoRoot, 'test-results', 'console');
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
  close(): Promise<void>;
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
  });
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  const adminPassword = readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
  return {
    server,
    url: server.url,
    dataDir,
    token,
    adminPassword,
    async api(method, path, body) {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
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
export async function waitForCount(locator: Locator, count: number, timeoutMs = 10_000) {
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
