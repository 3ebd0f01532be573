// The one HTTP client of the public API, for the CLI (Node) and the web console (a browser):
// fetch only, no Node modules. It turns `{"error": {code, message, details}}` answers into
// ApiError and anything that is not Hookline's answer into UnreachableError.
import type { Problem } from '../core/errors.ts';

/** The server said no: `{"error": {code, message, details}}`. */
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

/** No answer, or an answer that is not Hookline's (wrong URL, a proxy page). */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** the revision read, sent as `If-Match: "N"` */
  ifMatch?: number;
  /** more request headers (e.g. Idempotency-Key) */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HttpApiOptions {
  /** e.g. http://127.0.0.1:8080, or the console's own origin; a path prefix is kept */
  url: string;
  /** a bearer token (the CLI); the console authenticates with its session cookie instead */
  token?: string;
  /** sent as User-Agent where the platform allows it (not in a browser) */
  userAgent?: string;
  /** headers for every change (POST, PUT, PATCH, DELETE): the console's X-CSRF-Token */
  changeHeaders?: () => Record<string, string>;
  /** one deadline per request; default 30 s (the API answers in ms: only a hung server trips it) */
  timeoutMs?: number;
  /** where the URL came from, for messages (the CLI: `HOOKLINE_URL`) */
  urlSetting?: string;
}

/** A file the API answered: its bytes and its Content-Disposition, unparsed. */
export interface Download {
  bytes: Uint8Array;
  contentType: string | undefined;
  contentDisposition: string | undefined;
}

export interface HttpApi {
  /** the server's address as messages show it */
  readonly url: string;
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** every page of a list, following `next` as `?cursor=` */
  listAll<T>(path: string, query?: Query): Promise<{ items: T[]; next: null }>;
  /** a GET that answers a file (an export); an error answer throws as `request` does */
  download(path: string, options?: Pick<RequestOptions, 'query'>): Promise<Download>;
}

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createHttpApi(options: HttpApiOptions): HttpApi {
  let base: URL;
  try {
    base = new URL(options.url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http');
  } catch {
    const from = options.urlSetting ? ` (${options.urlSetting})` : '';
    throw new TypeError(`'${options.url}' is not an http:// or https:// URL${from}`);
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const shownUrl = base.origin + prefix;
  const timeoutMs = options.timeoutMs ?? 30_000;

  const serverHint = options.urlSetting
    ? `is ${options.urlSetting.split('/')[0]} a Hookline server?`
    : 'is it a Hookline server?';

  function urlOf(path: string, query: Query | undefined): URL {
    const target = new URL(prefix + path, base.origin);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') target.searchParams.set(key, String(value));
    }
    return target;
  }

  function headersFor(accept: string, extra?: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...extra, accept };
    if (options.userAgent) headers['user-agent'] = options.userAgent;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    return headers;
  }

  /** An error answer `{"error": {…}}` as ApiError; anything else is not Hookline's. */
  function failureOf(status: number, parsed: unknown): ApiError | UnreachableError {
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
      `unexpected answer from ${shownUrl} (HTTP ${status}): ${serverHint}`,
    );
  }

  async function request<T>(method: string, path: string, call: RequestOptions = {}) {
    const target = urlOf(path, call.query);
    const headers = headersFor('application/json', call.headers);
    if (!readMethods.has(method)) Object.assign(headers, options.changeHeaders?.());
    if (call.ifMatch !== undefined) headers['if-match'] = `"${call.ifMatch}"`;
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers,
        body,
        signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError' && call.signal?.aborted) throw error;
      throw unreachable(shownUrl, timeoutMs, error);
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
    throw failureOf(response.status, parsed);
  }

  async function download(path: string, call: Pick<RequestOptions, 'query'> = {}) {
    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await fetch(urlOf(path, call.query), {
        headers: headersFor('*/*'),
        signal: AbortSignal.timeout(timeoutMs),
      });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw unreachable(shownUrl, timeoutMs, error);
    }
    const contentType = response.headers.get('content-type') ?? undefined;
    if (!response.ok || contentType?.startsWith('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        parsed = undefined;
      }
      throw failureOf(response.status, parsed);
    }
    return {
      bytes,
      contentType,
      contentDisposition: response.headers.get('content-disposition') ?? undefined,
    };
  }

  return {
    url: shownUrl,
    request,
    download,
    async listAll<T>(path: string, query: Query = {}) {
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

function unreachable(url: string, timeoutMs: number, error: unknown): UnreachableError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const name = (error as Error).name;
  if (name === 'TimeoutError') {
    return new UnreachableError(`Hookline at ${url} did not answer within ${timeoutMs} ms`);
  }
  if (cause?.code === 'ECONNREFUSED') {
    return new UnreachableError(`cannot reach Hookline at ${url} — is \`hookline serve\` running?`);
  }
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new UnreachableError(`cannot reach Hookline at ${url}: ${reason}`);
}
