import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type Dispatcher } from 'undici';
import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import type { OutcomeCode } from '../../contracts/outcomes.ts';
import {
  classifyError,
  classifyStatus,
  isRetryable,
  type ReachedTarget,
} from '../classify-outcome.ts';
import { checkUrlHost, EgressBlockedError } from '../egress/index.ts';
import { hintFor } from '../outcome-hints.ts';
import { TemplateUnresolvedError, type TemplateValues } from '../render/index.ts';
import { createMessageId } from '../signing/index.ts';
import { createTraceparent } from '../trace-context.ts';
import { createAgentRegistry } from './agent-registry.ts';
import { createDispatchMetrics } from './dispatch-metrics.ts';
import {
  prepareTarget,
  type DeployedTarget,
  type EngineLimits,
  type ParsedTargetUrl,
  type PreparedTarget,
  type TargetSources,
} from './prepare-target.ts';
import { encodeBodyForDisplay, readResponseBody } from './read-response.ts';
import { RequestTimeoutError, startRequestDeadline } from './request-deadline.ts';
import { PoolExhaustedError } from './pool-exhausted-error.ts';
import { computeRetryWaitMs, parseRetryAfterMs } from './retry-wait.ts';
import { createConnector, type ConnectRecord, type TlsPeerSummary } from './timed-connector.ts';

export type { DeployedTarget, TargetSources, TlsMaterial } from './prepare-target.ts';

export interface EngineOptions extends EngineLimits {
  maxQueuedPerPool: number;
  /** pools unused this long are closed */
  idleCloseMs: number;
  /** how much of a response body a result carries (1 MiB) */
  previewBytes: number;
  /** a synchronous invoke stops retrying when the next wait would pass this */
  syncRetryBudgetMs: number;
  /** also send the trace id in this header (e.g. X-Trace-Id); null: traceparent only */
  traceIdHeader: string | null;
  maxRedirects: number;
  userAgent: string;
}

export const defaultEngineOptions: EngineOptions = {
  defaultPoolSize: 24,
  maxResponseBytes: 10 * 1024 * 1024,
  maxQueuedPerPool: 1000,
  idleCloseMs: 5 * 60_000,
  previewBytes: 1024 * 1024,
  syncRetryBudgetMs: 10_000,
  traceIdHeader: null,
  maxRedirects: 5,
  userAgent: 'Hookline',
};

/** One call: the body, `{{param.*}}` values and extra headers the caller gives. */
export interface CallInput {
  body?: unknown;
  params?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** an incoming W3C traceparent to continue */
  traceparent?: string;
}

export interface Timings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  totalMs: number;
}

export interface CallResult {
  outcome: OutcomeCode;
  status: number | null;
  headers: Record<string, string>;
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  truncated: boolean;
  sizeBytes: number;
  timings: Timings;
  attempts: number;
  retryable: boolean;
  message: string | null;
  hint: string | null;
  traceId: string;
  connection: { id: string; name: string; revision: number };
  environment: string;
  url: string;
  tlsPeer: TlsPeerSummary | null;
}

/** A failed call, for notifications and logs: no bodies, no header values. */
export interface FailureEvent {
  connectionId: string;
  connection: string;
  environment: string;
  outcome: OutcomeCode;
  status: number | null;
  message: string | null;
}

interface TryResult {
  outcome: OutcomeCode;
  status: number | null;
  headers: Record<string, string>;
  bodyBytes: Buffer;
  truncated: boolean;
  sizeBytes: number;
  firstByteMs: number | null;
  reachedTarget: ReachedTarget;
  message: string | null;
  retryAfterMs: number | undefined;
  connect: ConnectRecord | null;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const maskedValue = '****';

/**
 * The dispatch engine (DESIGN §2): used by invoke, Test Connection, and later by deliveries
 * and flows. It renders, signs and sends one call of a deployed target through the target's
 * keep-alive pool within its deadlines, follows redirects only when configured (every hop
 * checked by the egress guard), retries only where it is safe, classifies the outcome and
 * counts it. A target that says no is an outcome value, never an exception.
 */
export function createDispatchEngine(deps: {
  sources: TargetSources;
  options?: Partial<EngineOptions>;
  onFailure?: (event: FailureEvent) => void;
  random?: () => number;
}) {
  const options: EngineOptions = { ...defaultEngineOptions, ...deps.options };
  const registry = createAgentRegistry({
    maxQueuedPerPool: options.maxQueuedPerPool,
    idleCloseMs: options.idleCloseMs,
  });
  const metrics = createDispatchMetrics({ poolStats: () => registry.stats() });
  /** prepared per deployed revision; a promise, so concurrent first calls prepare once */
  const prepared = new Map<string, Promise<PreparedTarget>>();
  const idleSweep = setInterval(() => registry.closeIdle(), Math.min(options.idleCloseMs, 60_000));
  idleSweep.unref();

  const keyOf = (target: DeployedTarget) =>
    `${target.connectionId}\u0000${target.environmentId}\u0000${target.revision}`;

  function prepare(target: DeployedTarget): Promise<PreparedTarget> {
    const key = keyOf(target);
    let entry = prepared.get(key);
    if (!entry) {
      entry = prepareTarget(target, deps.sources, options);
      prepared.set(key, entry);
      entry.catch(() => prepared.delete(key));
    }
    return entry;
  }

  function valuesFor(target: PreparedTarget, call: CallInput, mask: boolean): TemplateValues {
    const params = call.params ?? {};
    return {
      variable: (name) => target.variables.get(name),
      secret: (name) =>
        mask ? (target.secrets.has(name) ? maskedValue : undefined) : target.secrets.get(name),
      param: (name) => {
        const value = params[name];
        return value === undefined ? undefined : String(value);
      },
    };
  }

  async function sendOnce(
    target: PreparedTarget,
    method: string,
    parsed: ParsedTargetUrl,
    headers: string[],
    body: Buffer | undefined,
    fresh: boolean,
  ): Promise<TryResult> {
    const { url, refused } = parsed;
    if (refused) {
      const error = new EgressBlockedError(
        url.hostname,
        url.hostname,
        refused.reason,
        refused.range,
      );
      return failedTry(error, null, null);
    }
    const deadline = startRequestDeadline(target.target.params.requestTimeoutMs);
    const connect: ConnectRecord | null = fresh
      ? { timings: { dnsMs: null, connectMs: null, tlsMs: null }, tlsPeer: null }
      : null;
    const startedAt = performance.now();
    let firstByteMs: number | null = null;
    const exchange = async (dispatcher: Dispatcher): Promise<TryResult> => {
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        signal: deadline.signal,
      });
      firstByteMs = performance.now() - startedAt;
      const read = await readResponseBody(response.body, options.previewBytes);
      const responseHeaders = flattenHeaders(response.headers);
      const outcome = classifyStatus(response.statusCode);
      return {
        outcome,
        status: response.statusCode,
        headers: responseHeaders,
        bodyBytes: read.bytes,
        truncated: read.truncated,
        sizeBytes: read.sizeBytes,
        firstByteMs,
        reachedTarget: 'yes',
        message: outcome === 'OK' ? null : `the target answered ${response.statusCode}`,
        retryAfterMs:
          response.statusCode === 429 || response.statusCode === 503
            ? parseRetryAfterMs(responseHeaders['retry-after'])
            : undefined,
        connect,
      };
    };
    try {
      if (fresh && connect) {
        const client = new Client(url.origin, {
          ...clientLimits(target),
          connect: createConnector(
            target.poolSettings.connect,
            target.poolSettings.connectTimeoutMs,
            connect,
          ),
        });
        try {
          return await exchange(client);
        } finally {
          client.destroy().catch(() => undefined);
        }
      }
      const entry = registry.acquire(target.target, () => target.poolSettings);
      return await registry.run(entry, exchange);
    } catch (error) {
      return failedTry(deadline.expired ? deadline.signal.reason : error, firstByteMs, connect);
    } finally {
      deadline.clear();
    }
  }

  function clientLimits(target: PreparedTarget) {
    const settings = target.poolSettings;
    return {
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      bodyTimeout: settings.bodyTimeoutMs,
      maxResponseSize: settings.maxResponseBytes,
      allowH2: false,
    };
  }

  /** One try, following redirects when the target's parameters allow it. */
  async function tryWithRedirects(
    target: PreparedTarget,
    request: {
      method: string;
      url: string;
      headers: Array<[string, string]>;
      body: Buffer | undefined;
    },
    fresh: boolean,
  ): Promise<TryResult & { url: URL }> {
    let parsed = parseTargetUrl(target, request.url);
    let url = parsed.url;
    let method = request.method;
    let headers = request.headers;
    let body = request.body;
    for (let hop = 0; ; hop += 1) {
      const result = await sendOnce(target, method, parsed, flat(headers), body, fresh);
      const location = result.headers.location;
      if (
        !target.target.params.followRedirects ||
        result.status === null ||
        !redirectStatuses.has(result.status) ||
        location === undefined
      ) {
        return { ...result, url };
      }
      if (hop >= options.maxRedirects) {
        return {
          ...result,
          url,
          outcome: 'HTTP_4XX',
          message: `more than ${options.maxRedirects} redirects`,
        };
      }
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return { ...result, url, message: `redirect to a ${next.protocol} URL not followed` };
      }
      // like fetch: a 303, or a 301/302 after POST, continues as GET without a body
      if (
        result.status === 303 ||
        ((result.status === 301 || result.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        headers = headers.filter(([name]) => !/^content-/i.test(name));
      }
      // credentials stay with the origin they were configured for
      if (next.origin !== url.origin) {
        headers = headers.filter(([name]) => !isSensitiveHeaderName(name));
      }
      url = next;
      parsed = parseTargetUrl(target, next.href);
    }
  }

  /** Renders, signs and sends one call; retries as DESIGN §2 step 6 allows when `retry`. */
  async function call(
    target: DeployedTarget,
    input: CallInput,
    mode: { fresh: boolean; retry: boolean; countInMetrics: boolean },
  ): Promise<CallResult> {
    const startedAt = performance.now();
    const trace = createTraceparent(input.traceparent);
    const base = {
      traceId: trace.traceId,
      connection: { id: target.connectionId, name: target.name, revision: target.revision },
      environment: target.environmentId,
    };
    const params = target.params;
    // Test Connection prepares afresh (a draft has no stable key; a test should see today's
    // secrets and certificates); invoke uses what was prepared for the deployed revision
    let ready: PreparedTarget;
    try {
      ready = mode.fresh
        ? await prepareTarget(target, deps.sources, options)
        : await prepare(target);
    } catch (error) {
      if (!isTlsMaterialError(error)) throw error;
      // a certificate or key store the connection names is gone or unreadable: nothing was
      // sent, and repeating would fail the same way until the configuration is fixed
      const result = toCallResult(
        {
          ...failedTry(error, null, null),
          outcome: 'TLS_FAILED',
          reachedTarget: 'no',
          message: error.message,
        },
        base,
        params.url,
        1,
        false,
        startedAt,
        [],
      );
      record(target, result, mode.countInMetrics);
      return result;
    }

    let rendered: { url: string; headers: Array<[string, string]>; body: Buffer | undefined };
    let displayUrl: string;
    try {
      if (ready.signingError) throw ready.signingError;
      rendered = ready.request.render(valuesFor(ready, input, false), input.body);
      displayUrl = ready.urlHasSecrets
        ? ready.request.render(valuesFor(ready, input, true), undefined).url
        : rendered.url;
    } catch (error) {
      const failed = failedTry(error, null, null);
      const result = toCallResult(
        failed,
        base,
        params.url,
        1,
        false,
        startedAt,
        ready.maskedSecrets,
      );
      record(target, result, mode.countInMetrics);
      return result;
    }

    const headers = composeHeaders(ready, rendered.headers, input, rendered.body, trace);
    const messageId = createMessageId();
    const hasIdempotencyKey =
      params.signing.scheme === 'standard-webhooks' ||
      headers.some(([name]) => name.toLowerCase() === 'idempotency-key');
    const maxAttempts = mode.retry ? (params.retry?.maxAttempts ?? 1) : 1;

    let attempt = 0;
    let last: TryResult & { url: URL };
    for (;;) {
      attempt += 1;
      // the signature's headers are ours: a caller's header of the same name would split
      // the idempotency key and break verification
      const signed = ready.signer
        ? [
            ...headers.filter(([name]) => !ready.signingHeaderNames.has(name.toLowerCase())),
            ...ready.signer.sign({
              messageId,
              timestampSeconds: Math.floor(Date.now() / 1000),
              body: rendered.body,
            }),
          ]
        : headers;
      const tryStartedAt = performance.now();
      last = await tryWithRedirects(
        ready,
        { method: params.method, url: rendered.url, headers: signed, body: rendered.body },
        mode.fresh,
      );
      if (mode.countInMetrics) {
        metrics.record(
          target.connectionId,
          target.name,
          target.environmentId,
          last.outcome,
          performance.now() - tryStartedAt,
        );
      }
      if (last.outcome === 'OK' || attempt >= maxAttempts) break;
      const retryable = isRetryable({
        outcome: last.outcome,
        reachedTarget: last.reachedTarget,
        method: params.method,
        hasIdempotencyKey,
        status: last.status ?? undefined,
      });
      if (!retryable || !params.retry) break;
      const waitMs = last.retryAfterMs ?? computeRetryWaitMs(params.retry, attempt, deps.random);
      if (performance.now() - startedAt + waitMs > options.syncRetryBudgetMs) break;
      await sleep(waitMs);
    }

    const retryable =
      last.outcome !== 'OK' &&
      isRetryable({
        outcome: last.outcome,
        reachedTarget: last.reachedTarget,
        method: params.method,
        hasIdempotencyKey,
        status: last.status ?? undefined,
      });
    const result = toCallResult(
      last,
      base,
      displayUrl,
      attempt,
      retryable,
      startedAt,
      ready.maskedSecrets,
    );
    if (result.outcome !== 'OK') notify(target, result);
    return result;
  }

  /**
   * Configured headers, the call's own, Content-Type and User-Agent when neither set them,
   * and the trace headers. Without call headers (the common case) no map is built: the
   * configured names are known from the prepared target.
   */
  function composeHeaders(
    ready: PreparedTarget,
    configured: Array<[string, string]>,
    input: CallInput,
    body: Buffer | undefined,
    trace: { traceparent: string; traceId: string },
  ): Array<[string, string]> {
    const callHeaders = input.headers ? Object.entries(input.headers) : [];
    let headers: Array<[string, string]>;
    let names: ReadonlySet<string>;
    if (callHeaders.length === 0) {
      headers = [...configured];
      names = ready.headerNames;
    } else {
      const byName = new Map<string, [string, string]>();
      for (const pair of configured) byName.set(pair[0].toLowerCase(), pair);
      for (const [name, value] of callHeaders) byName.set(name.toLowerCase(), [name, value]);
      headers = [...byName.values()];
      names = new Set(byName.keys());
    }
    if (body !== undefined && !names.has('content-type')) {
      headers.push(['Content-Type', contentTypeOf(input.body)]);
    }
    if (!names.has('user-agent')) headers.push(['User-Agent', options.userAgent]);
    // ours win over configured or call headers of the same names
    const traceIdName = options.traceIdHeader?.toLowerCase();
    if (names.has('traceparent') || (traceIdName !== undefined && names.has(traceIdName))) {
      headers = headers.filter(([name]) => {
        const lower = name.toLowerCase();
        return lower !== 'traceparent' && lower !== traceIdName;
      });
    }
    headers.push(['traceparent', trace.traceparent]);
    if (options.traceIdHeader) headers.push([options.traceIdHeader, trace.traceId]);
    return headers;
  }

  function toCallResult(
    result: TryResult,
    base: Pick<CallResult, 'traceId' | 'connection' | 'environment'>,
    url: string,
    attempts: number,
    retryable: boolean,
    startedAt: number,
    secrets: PreparedTarget['maskedSecrets'],
  ): CallResult {
    const contentType = result.headers['content-type'];
    const shown = encodeBodyForDisplay(maskSecretBytes(result.bodyBytes, secrets), contentType);
    return {
      ...base,
      outcome: result.outcome,
      status: result.status,
      headers: maskHeaders(result.headers, secrets),
      body: shown.body,
      bodyEncoding: shown.bodyEncoding,
      truncated: result.truncated,
      sizeBytes: result.sizeBytes,
      timings: {
        dnsMs: round(result.connect?.timings.dnsMs ?? null),
        connectMs: round(result.connect?.timings.connectMs ?? null),
        tlsMs: round(result.connect?.timings.tlsMs ?? null),
        firstByteMs: round(result.firstByteMs),
        totalMs: round(performance.now() - startedAt) ?? 0,
      },
      attempts,
      retryable,
      // a message may quote a rendered host (EGRESS_BLOCKED), which may hold a secret
      message: result.message === null ? null : maskSecretText(result.message, secrets),
      hint: hintFor(result.outcome, result.status ?? undefined) ?? null,
      url,
      tlsPeer: result.connect?.tlsPeer ?? null,
    };
  }

  function record(target: DeployedTarget, result: CallResult, countInMetrics: boolean): void {
    if (countInMetrics) {
      metrics.record(
        target.connectionId,
        target.name,
        target.environmentId,
        result.outcome,
        result.timings.totalMs,
      );
    }
    if (result.outcome !== 'OK') notify(target, result);
  }

  function notify(target: DeployedTarget, result: CallResult): void {
    deps.onFailure?.({
      connectionId: target.connectionId,
      connection: target.name,
      environment: target.environmentId,
      outcome: result.outcome,
      status: result.status,
      message: result.message,
    });
  }

  return {
    /** A synchronous call of a deployed target through its pool, with safe retries. */
    invoke: (target: DeployedTarget, input: CallInput) =>
      call(target, input, { fresh: false, retry: true, countInMetrics: true }),

    /**
     * Test Connection: one real try on a fresh connection (so DNS, connect and TLS are timed
     * and the peer certificate is seen), no retries, not through the pool, not counted in
     * the metrics (they describe real traffic); a failure is still notified.
     */
    test: (target: DeployedTarget, input: CallInput) =>
      call(target, input, { fresh: true, retry: false, countInMetrics: false }),

    /** After a deploy, undeploy, disable or delete: drop what was prepared, drain old pools. */
    retireConnection(
      connectionId: string,
      keep?: (key: { environmentId: string; revision: number }) => boolean,
    ) {
      for (const key of prepared.keys()) {
        const [id, environmentId, revision] = key.split('\u0000');
        if (
          id === connectionId &&
          !keep?.({ environmentId: environmentId as string, revision: Number(revision) })
        ) {
          prepared.delete(key);
        }
      }
      registry.retireConnection(connectionId, keep);
    },

    /**
     * A secret, variable, certificate or environment policy changed: prepare every target
     * again on its next call. Pools are retired too, since TLS material and the egress
     * guard are part of them.
     */
    invalidateAll() {
      const ids = new Set([...prepared.keys()].map((key) => key.split('\u0000')[0] as string));
      prepared.clear();
      for (const id of ids) registry.retireConnection(id);
    },

    metrics,
    poolStats: () => registry.stats(),

    async close() {
      clearInterval(idleSweep);
      prepared.clear();
      await registry.close();
    },
  };
}

export type DispatchEngine = ReturnType<typeof createDispatchEngine>;

/**
 * Errors of our own whose messages are written for users and carry no secret: they name
 * the missing reference, the refused host, the timeout — more useful than a generic line.
 */
function isOwnError(error: unknown): error is Error {
  return (
    error instanceof TemplateUnresolvedError ||
    error instanceof EgressBlockedError ||
    error instanceof RequestTimeoutError ||
    error instanceof PoolExhaustedError
  );
}

/** Hosts kept per prepared target: a connection calls one host, or a few. */
const maxHostDecisions = 64;

/**
 * The rendered URL parsed, with the egress decision for an IP-literal host, cached per host
 * (params usually vary the path, not the host, so the URL itself is parsed every call).
 */
function parseTargetUrl(target: PreparedTarget, text: string): ParsedTargetUrl {
  const url = new URL(text);
  let refused = target.hostDecisions.get(url.hostname);
  if (refused === undefined) {
    refused = refusalOf(url, target);
    if (target.hostDecisions.size >= maxHostDecisions) target.hostDecisions.clear();
    target.hostDecisions.set(url.hostname, refused);
  }
  return { url, refused };
}

/** The egress refusal of an IP-literal host (names are checked at connect time). */
function refusalOf(url: URL, target: PreparedTarget): ParsedTargetUrl['refused'] {
  const decision = checkUrlHost(url, target.policy);
  return decision && !decision.allowed ? { reason: decision.reason, range: decision.range } : null;
}

/** TLS material the target needs but that cannot be loaded (keystores domain, by its code). */
function isTlsMaterialError(error: unknown): error is Error {
  return (
    error instanceof Error && (error as { code?: unknown }).code === 'TLS_MATERIAL_UNAVAILABLE'
  );
}

function failedTry(
  error: unknown,
  firstByteMs: number | null,
  connect: ConnectRecord | null,
): TryResult {
  const classified = classifyError(error);
  if (isOwnError(error)) classified.message = error.message;
  return {
    outcome: classified.outcome,
    status: null,
    headers: {},
    bodyBytes: Buffer.alloc(0),
    truncated: false,
    sizeBytes: 0,
    firstByteMs,
    reachedTarget: classified.reachedTarget,
    message: classified.message,
    retryAfterMs: undefined,
    connect,
  };
}

/** When the connection sets no Content-Type: JSON for JSON values and JSON text, else text. */
function contentTypeOf(body: unknown): string {
  if (typeof body !== 'string') return 'application/json';
  try {
    JSON.parse(body);
    return 'application/json';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}

function flat(headers: Array<[string, string]>): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) out.push(name, value);
  return out;
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * A target that echoes its request (httpbin, a debugging endpoint, an error page quoting the
 * request) would hand the connection's secrets back in the answer: every resolved secret
 * value is masked in the body and the headers before anything leaves the engine.
 */
function maskSecretBytes(body: Buffer, secrets: PreparedTarget['maskedSecrets']): Buffer {
  let masked = body;
  for (const { bytes: needle } of secrets) {
    let at = masked.indexOf(needle);
    if (at === -1) continue;
    const parts: Buffer[] = [];
    let from = 0;
    while (at !== -1) {
      parts.push(masked.subarray(from, at), Buffer.from(maskedValue));
      from = at + needle.length;
      at = masked.indexOf(needle, from);
    }
    parts.push(masked.subarray(from));
    masked = Buffer.concat(parts);
  }
  return masked;
}

function maskSecretText(text: string, secrets: PreparedTarget['maskedSecrets']): string {
  let masked = text;
  for (const { text: value } of secrets) {
    if (masked.includes(value)) masked = masked.replaceAll(value, maskedValue);
  }
  return masked;
}

function maskHeaders(
  headers: Record<string, string>,
  secrets: PreparedTarget['maskedSecrets'],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSensitiveHeaderName(name) ? maskedValue : maskSecretText(value, secrets);
  }
  return out;
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 100) / 100;
}
