// The CLI's only way to Hookline: HTTP to /api/v1 with a bearer token (src/cli may not import
// api/, store/ or domains/; the eslint layer rule keeps it that way).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseContentDisposition } from 'content-disposition';
import type { Problem } from '../core/errors.ts';

export const defaultUrl = 'http://127.0.0.1:8080';
// one deadline per request: the API answers in milliseconds; 30 s only trips on a hung server
const requestTimeoutMs = 30_000;

/** The server said no: `{"error": {code, message, details}}`. Exit code 1. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** the field problems of a VALIDATION_FAILED answer */
  get problems(): Problem[] {
    const problems = this.details?.problems;
    return Array.isArray(problems) ? (problems as Problem[]) : [];
  }
}

/** No answer, or an answer that is not Hookline's (wrong URL, a proxy page). Exit code 1. */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

export interface ClientSettings {
  /** e.g. http://127.0.0.1:8080 (no trailing slash needed) */
  url: string;
  token: string | undefined;
  /** where the token was looked for when none was given, for the UNAUTHENTICATED hint */
  tokenFile: string | undefined;
}

/**
 * `--url`/`--token` flags, then HOOKLINE_URL/HOOKLINE_TOKEN, then the token file the server
 * writes on first start: `<HOOKLINE_DATA_DIR or ./data>/admin-token`.
 */
export function resolveClientSettings(
  flags: { url?: string; token?: string },
  env: Record<string, string | undefined>,
): ClientSettings {
  const url = flags.url ?? env.HOOKLINE_URL ?? defaultUrl;
  const token = flags.token ?? (env.HOOKLINE_TOKEN || undefined);
  if (token) return { url, token, tokenFile: undefined };
  const tokenFile = join(env.HOOKLINE_DATA_DIR || './data', 'admin-token');
  return { url, token: readTokenFile(tokenFile), tokenFile };
}

function readTokenFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** the revision read, sent as `If-Match: "N"` */
  ifMatch?: number;
  /** more request headers (e.g. Idempotency-Key) */
  headers?: Record<string, string>;
}

export interface ApiClient {
  readonly url: string;
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** every page of a list, following `next` as `?cursor=` */
  listAll<T>(path: string, query?: RequestOptions['query']): Promise<{ items: T[]; next: null }>;
  /** a GET that answers a file (an export), as bytes; an error answer throws as `request` does */
  download(path: string, options?: Pick<RequestOptions, 'query'>): Promise<Download>;
}

/** A file the API answered: its bytes and the name the server gave it. */
export interface Download {
  bytes: Buffer;
  contentType: string | undefined;
  /** Content-Disposition's filename (filename* when given); undefined when there is none */
  fileName: string | undefined;
}

export function createApiClient(settings: ClientSettings, userAgent: string): ApiClient {
  let base: URL;
  try {
    base = new URL(settings.url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new TypeError(`'${settings.url}' is not an http:// or https:// URL (HOOKLINE_URL/--url)`);
  }
  // a path prefix (Hookline behind a proxy at /hookline) is kept: paths are appended to it
  const prefix = base.pathname.replace(/\/+$/, '');
  const shownUrl = base.origin + prefix;

  async function request<T>(method: string, path: string, options: RequestOptions = {}) {
    const target = new URL(prefix + path, base.origin);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) target.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      ...options.headers,
      accept: 'application/json',
      'user-agent': userAgent,
    };
    if (settings.token) headers.authorization = `Bearer ${settings.token}`;
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }

    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      throw unreachable(shownUrl, error);
    }
    const text = await response.text();
    if (response.status === 204) return undefined as T;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.ok && parsed !== undefined) return parsed as T;
    throw failureOf(response.status, parsed, shownUrl);
  }

  async function download(path: string, options: Pick<RequestOptions, 'query'> = {}) {
    const target = new URL(prefix + path, base.origin);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) target.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      accept: '*/*',
      'user-agent': userAgent,
    };
    if (settings.token) headers.authorization = `Bearer ${settings.token}`;
    let response: Response;
    let bytes: Buffer;
    try {
      response = await fetch(target, { headers, signal: AbortSignal.timeout(requestTimeoutMs) });
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw unreachable(shownUrl, error);
    }
    const contentType = response.headers.get('content-type') ?? undefined;
    if (!response.ok || contentType?.startsWith('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      throw failureOf(response.status, parsed, shownUrl);
    }
    return {
      bytes,
      contentType,
      fileName: fileNameOf(response.headers.get('content-disposition')),
    };
  }

  return {
    url: shownUrl,
    request,
    download,
    async listAll<T>(path: string, query: RequestOptions['query'] = {}) {
      const items: T[] = [];
      let cursor: string | undefined;
      do {
        const page = await request<{ items: T[]; next: string | null }>('GET', path, {
          query: { ...query, cursor },
        });
        items.push(...page.items);
        cursor = page.next ?? undefined;
      } while (cursor);
      return { items, next: null };
    },
  };
}

/** An error answer `{"error": {…}}` as ApiError; anything else is not Hookline's. */
function failureOf(status: number, parsed: unknown, url: string): ApiError | UnreachableError {
  const error = (parsed as { error?: Record<string, unknown> } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(
      status,
      error.code,
      String(error.message ?? ''),
      error.details as Record<string, unknown> | undefined,
    );
  }
  return new UnreachableError(
    `unexpected answer from ${url} (HTTP ${status}): is HOOKLINE_URL a Hookline server?`,
  );
}

/** The file name of a Content-Disposition header, as the server sent it (not yet checked). */
function fileNameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  try {
    return parseContentDisposition(header).parameters.filename;
  } catch {
    return undefined;
  }
}

function unreachable(url: string, error: unknown): UnreachableError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const name = (error as Error).name;
  if (name === 'TimeoutError') {
    return new UnreachableError(`Hookline at ${url} did not answer within ${requestTimeoutMs} ms`);
  }
  if (cause?.code === 'ECONNREFUSED') {
    return new UnreachableError(`cannot reach Hookline at ${url} — is \`hookline serve\` running?`);
  }
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new UnreachableError(`cannot reach Hookline at ${url}: ${reason}`);
}
