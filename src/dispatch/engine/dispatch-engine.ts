import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type Dispatcher } from 'undici';
import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import type { FailureOutcomeCode } from '../../contracts/outcomes.ts';
import { isRetryable } from '../classify-outcome.ts';
import { EgressBlockedError } from '../egress/index.ts';
import {
  TemplateUnresolvedError,
  type RenderedRequest,
  type TemplateValues,
} from '../render/index.ts';
import { createMessageId } from '../signing/index.ts';
import { createTraceparent } from '../trace-context.ts';
import { createAgentRegistry, poolKeyOf, type PoolEntry } from './agent-registry.ts';
import { maskedValue } from './answer-masking.ts';
import {
  deliverMode,
  invokeMode,
  testMode,
  throwIfBodySecrets,
  throwIfParamsMissing,
  type CallMode,
} from './call-modes.ts';
import { createDispatchMetrics, type SeriesState } from './dispatch-metrics.ts';
import {
  defaultEngineOptions,
  type CallInput,
  type CallResult,
  type EngineOptions,
  type FailureEvent,
} from './engine-types.ts';
import {
  prepareTarget,
  type DeployedTarget,
  type ParsedTargetUrl,
  type PreparedTarget,
  type TargetSources,
} from './prepare-target.ts';
import { collectExchange } from './collect-exchange.ts';
import { toCallResult, type AnswerShown } from './call-result.ts';
import { composeHeaders } from './compose-headers.ts';
import { createDeadlineClock, type RequestDeadline } from './request-deadline.ts';
import { computeRetryWaitMs } from './retry-wait.ts';
import { parseTargetUrl } from './target-url.ts';
import { secretMarker } from '../../contracts/curl-command.ts';
import type { SecretMasker } from './secret-masker.ts';
import { createSecretMarker } from './secret-marker.ts';
import { describeSentRequest } from './sent-request.ts';
import { describeDeployedRequest } from './deployed-request.ts';
import { createConnector, type ConnectRecord } from './timed-connector.ts';
import { answeredTry, failedTry, isTlsMaterialError, type TryResult } from './try-result.ts';

export type { DeployedTarget, TargetSources, TlsMaterial } from './prepare-target.ts';
export {
  defaultEngineOptions,
  type CallInput,
  type CallResult,
  type EngineOptions,
  type FailureEvent,
  type Timings,
} from './engine-types.ts';

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** A deployed target's prepared state and metrics series, kept by the caller's target object. */
interface ReadyTarget {
  generation: number;
  target: PreparedTarget;
  /** null when its calls are not counted (Test Connection) */
  series: SeriesState | null;
}

/** How one try is sent: on a new connection or through the pool, and how much answer to keep. */
interface SendHow {
  fresh: boolean;
  /** the shown preview plus the masker's lookahead (a secret cut at the edge is still seen) */
  keepBytes: number;
}

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
  const deadlines = createDeadlineClock();
  /** prepared per deployed revision; a promise, so concurrent first calls prepare once */
  const prepared = new Map<string, Promise<PreparedTarget>>();
  /**
   * The same, once prepared, by the caller's target object: callers keep one DeployedTarget
   * per deployed revision (the invocations cache), so a call finds its prepared target
   * without building a key or awaiting, and the metrics series its tries count in (labels
   * made once per target, not per call). Entries of an older generation are stale (a retire
   * or invalidation bumps it; a WeakMap cannot be cleared).
   */
  const readyTargets = new WeakMap<DeployedTarget, ReadyTarget>();
  let generation = 0;
  const idleSweep = setInterval(() => registry.closeIdle(), Math.min(options.idleCloseMs, 60_000));
  idleSweep.unref();

  function prepare(target: DeployedTarget): Promise<PreparedTarget> {
    const key = poolKeyOf(target);
    let entry = prepared.get(key);
    if (!entry) {
      entry = prepareTarget(target, deps.sources, options);
      prepared.set(key, entry);
      entry.catch(() => prepared.delete(key));
    }
    return entry;
  }

  /** The prepared target when it is at hand, without awaiting (the hot path). */
  function readyNow(target: DeployedTarget): ReadyTarget | undefined {
    const hit = readyTargets.get(target);
    return hit && hit.generation === generation ? hit : undefined;
  }

  /** One HTTP exchange of a parsed URL, through the target's pool or, for a test, a new connection. */
  async function sendOnce(
    target: PreparedTarget,
    method: string,
    parsed: ParsedTargetUrl,
    headers: string[],
    body: Buffer | undefined,
    how: SendHow,
    startedAt: number = performance.now(),
  ): Promise<TryResult> {
    const { refused } = parsed;
    if (refused) {
      const error = new EgressBlockedError(
        parsed.hostname,
        parsed.hostname,
        refused.reason,
        refused.range,
      );
      return failedTry(error, null, null);
    }
    const request: Dispatcher.DispatchOptions = {
      origin: parsed.origin,
      path: parsed.path,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
    };
    const deadline = deadlines.start(target.target.params.requestTimeoutMs, startedAt);
    if (how.fresh) return sendOnNewConnection(target, request, deadline, how, startedAt);
    let entry: PoolEntry | null = null;
    let begun = false;
    try {
      entry = target.pool;
      if (entry === null || entry.retired) {
        entry = target.pool = registry.entryFor(
          target.target,
          target.poolSettings,
          target.staticOrigin?.origin ?? null,
        );
      }
      registry.begin(entry);
      begun = true;
      const response = await collectExchange(
        registry.dispatcherFor(entry, request.origin as string),
        request,
        how.keepBytes,
        deadline,
        startedAt,
      );
      return answeredTry(response, null);
    } catch (error) {
      return failedTry(deadline.reason ?? error, null, null);
    } finally {
      deadline.clear();
      if (begun) registry.end(entry as PoolEntry);
    }
  }

  /** Test Connection's exchange: its own client, so connect and TLS are timed and seen. */
  async function sendOnNewConnection(
    target: PreparedTarget,
    request: Dispatcher.DispatchOptions,
    deadline: RequestDeadline,
    how: SendHow,
    startedAt: number,
  ): Promise<TryResult> {
    const connect: ConnectRecord = {
      timings: { dnsMs: null, connectMs: null, tlsMs: null },
      tlsPeer: null,
    };
    let firstByteMs: number | null = null;
    const client = new Client(request.origin as string, {
      ...clientLimits(target),
      connect: createConnector(
        target.poolSettings.connect,
        target.poolSettings.connectTimeoutMs,
        connect,
      ),
    });
    try {
      const response = await collectExchange(client, request, how.keepBytes, deadline, startedAt);
      firstByteMs = response.firstByteMs;
      return answeredTry(response, connect);
    } catch (error) {
      return failedTry(deadline.reason ?? error, firstByteMs, connect);
    } finally {
      deadline.clear();
      client.destroy().catch(() => undefined);
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
      parsed: ParsedTargetUrl;
      headers: string[];
      body: Buffer | undefined;
    },
    how: SendHow,
  ): Promise<TryResult> {
    let parsed = request.parsed;
    let method = request.method;
    let headers = request.headers;
    let body = request.body;
    for (let hop = 0; ; hop += 1) {
      const result = await sendOnce(target, method, parsed, headers, body, how);
      const location = result.headers.location;
      if (
        !target.target.params.followRedirects ||
        result.status === null ||
        !redirectStatuses.has(result.status) ||
        location === undefined
      ) {
        return result;
      }
      if (hop >= options.maxRedirects) {
        return {
          ...result,
          outcome: 'HTTP_4XX',
          message: `more than ${options.maxRedirects} redirects`,
        };
      }
      let next: URL;
      try {
        next = new URL(location, parsed.href);
      } catch {
        return { ...result, message: 'the redirect Location is not a valid URL: not followed' };
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return { ...result, message: `redirect to a ${next.protocol} URL not followed` };
      }
      // like fetch: a 303, or a 301/302 after POST, continues as GET without a body
      if (
        result.status === 303 ||
        ((result.status === 301 || result.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        headers = withoutHeaders(headers, (name) => /^content-/i.test(name));
      }
      // credentials stay with the origin they were configured for: headers named like one,
      // and every configured header whose value uses a secret, whatever its name
      if (next.origin !== parsed.origin) {
        const fromSecrets = target.secretHeaderNames;
        headers = withoutHeaders(
          headers,
          (name) => isSensitiveHeaderName(name) || fromSecrets.has(name.toLowerCase()),
        );
      }
      parsed = parseTargetUrl(target, next.href);
    }
  }

  /** Renders, signs and sends one call; retries as DESIGN §2 step 6 allows when `retry`. */
  async function call(
    target: DeployedTarget,
    input: CallInput,
    mode: CallMode,
  ): Promise<CallResult> {
    const startedAt = performance.now();
    const previewBytes = input.previewBytes ?? options.previewBytes;
    const trace = createTraceparent(input.traceparent);
    const params = target.params;
    // Test Connection prepares afresh (a draft has no stable key; a test should see today's
    // secrets and certificates); invoke uses what was prepared for the deployed revision
    const hit = mode.fresh ? undefined : readyNow(target);
    let prepared = hit?.target;
    let series = hit?.series ?? null;
    if (!prepared) {
      const preparedIn = generation;
      try {
        prepared = mode.fresh
          ? await prepareTarget(target, deps.sources, options)
          : await prepare(target);
        if (mode.countInMetrics) series = metrics.seriesOf(target);
        if (!mode.fresh && preparedIn === generation) {
          readyTargets.set(target, { generation, target: prepared, series });
        }
      } catch (error) {
        if (!isTlsMaterialError(error)) throw error;
        // a certificate or key store the connection names is gone or unreadable: nothing was
        // sent, and repeating would fail the same way until the configuration is fixed
        const failed: TryResult = {
          ...failedTry(error, null, null),
          outcome: 'TLS_FAILED',
          reachedTarget: 'no',
          message: error.message,
        };
        const shown = { previewBytes, masker: null };
        return finish(target, mode, failed, trace, params.url, 1, false, startedAt, shown, true);
      }
    }
    const ready = prepared;
    const shown: AnswerShown = { previewBytes, masker: ready.masker };

    let rendered: RenderedRequest;
    let parsed: ParsedTargetUrl;
    let displayUrl: string;
    try {
      if (ready.secretsError) throw ready.secretsError;
      if (ready.signingError) throw ready.signingError;
      const values = new CallValues(ready, input.params, false);
      rendered = ready.request.render(values, input.body, ready.fixedHeaders);
      parsed = parseRenderedUrl(ready, rendered.url);
      displayUrl = ready.urlHasSecrets
        ? ready.request.render(new CallValues(ready, input.params, true), undefined).url
        : rendered.url;
    } catch (error) {
      // the caller's own mistake, refused as such (a delivery accepted with one fails instead)
      if (mode.refuseBodySecrets) throwIfBodySecrets(error);
      if (mode.refuseMissingParams) throwIfParamsMissing(error);
      const failed = failedTry(error, null, null);
      return finish(target, mode, failed, trace, params.url, 1, false, startedAt, shown, true);
    }

    const headers = composeHeaders(options, ready, rendered.headers, input, rendered.body, trace);
    // a configured or call header named like one the signer sets goes: the signer sets it
    const names = ready.signingHeaderNames;
    const sent =
      ready.signer && (input.headers !== undefined || ready.headersNameSignature)
        ? withoutHeaders(headers, (name) => names.has(name.toLowerCase()))
        : headers;
    const unsignedLength = sent.length;
    const messageId = ready.signer ? (input.messageId ?? createMessageId()) : '';
    // only a failure asks (whether a retry is safe): an OK call never scans the headers
    const hasIdempotencyKey = () =>
      params.signing.scheme === 'standard-webhooks' || hasHeader(headers, 'idempotency-key');
    const maxAttempts = mode.retry ? (params.retry?.maxAttempts ?? 1) : 1;
    const how: SendHow = {
      fresh: mode.fresh,
      keepBytes: previewBytes + (ready.masker?.lookaheadBytes ?? 0),
    };

    let attempt = 0;
    let last: TryResult;
    for (;;) {
      attempt += 1;
      // signed afresh for every attempt (a new timestamp), on the same array: undici reads
      // the headers when the request is dispatched and keeps nothing of the array
      if (ready.signer) {
        sent.length = unsignedLength;
        appendSignature(sent, ready.signer, messageId, rendered.body);
      }
      const tryStartedAt = performance.now();
      last = params.followRedirects
        ? await tryWithRedirects(
            ready,
            { method: params.method, parsed, headers: sent, body: rendered.body },
            how,
          )
        : await sendOnce(ready, params.method, parsed, sent, rendered.body, how, tryStartedAt);
      if (series) metrics.record(series, last.outcome, performance.now() - tryStartedAt);
      if (last.outcome === 'OK' || attempt >= maxAttempts) break;
      const retryable = isRetryable({
        outcome: last.outcome,
        reachedTarget: last.reachedTarget,
        method: params.method,
        hasIdempotencyKey: hasIdempotencyKey(),
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
        hasIdempotencyKey: hasIdempotencyKey(),
        status: last.status ?? undefined,
      });
    const result = finish(
      target,
      mode,
      last,
      trace,
      displayUrl,
      attempt,
      retryable,
      startedAt,
      shown,
      false,
    );
    if (input.requestExcerptBytes !== undefined) {
      result.request = describeSentRequest(
        { method: params.method, url: rendered.url, headers: sent, body: rendered.body },
        {
          marker: markerOf(ready),
          signingHeaderNames: ready.signingHeaderNames,
          excerptBytes: input.requestExcerptBytes,
        },
      );
    }
    return result;
  }

  /**
   * The answer of a call; a failure is notified, and one that ended before any try (nothing
   * prepared or rendered) is counted here, since no try was.
   */
  function finish(
    target: DeployedTarget,
    mode: { countInMetrics: boolean },
    last: TryResult,
    trace: { traceId: string },
    url: string,
    attempts: number,
    retryable: boolean,
    startedAt: number,
    shown: AnswerShown,
    beforeAnyTry: boolean,
  ): CallResult {
    const result = toCallResult(
      last,
      target,
      trace.traceId,
      url,
      attempts,
      retryable,
      startedAt,
      shown,
    );
    if (beforeAnyTry && mode.countInMetrics) {
      metrics.record(metrics.seriesOf(target), result.outcome, result.timings.totalMs);
    }
    const { outcome } = result;
    if (outcome !== 'OK') notify(target, result, outcome);
    return result;
  }

  function notify(target: DeployedTarget, result: CallResult, outcome: FailureOutcomeCode): void {
    deps.onFailure?.({
      connectionId: target.connectionId,
      connection: target.name,
      environment: target.environmentId,
      outcome,
      status: result.status,
      message: result.message,
    });
  }

  return {
    /**
     * A synchronous call of a deployed target through its pool, with safe retries. A missing
     * `{{param.*}}` throws VALIDATION_FAILED (the caller's mistake, not an outcome).
     */
    invoke: (target: DeployedTarget, input: CallInput) => call(target, input, invokeMode),

    /**
     * One attempt of a durable delivery through the deployed pool: no retries here (the
     * delivery worker schedules them, DESIGN §2 step 6), counted in the metrics, signed with
     * the delivery's own `webhook-id` (`input.messageId`).
     */
    deliver: (target: DeployedTarget, input: CallInput) => call(target, input, deliverMode),

    /**
     * Test Connection: one real try on a fresh connection (so DNS, connect and TLS are timed
     * and the peer certificate is seen), no retries, not through the pool, not counted in
     * the metrics (they describe real traffic); a failure is still notified. A missing
     * `{{param.*}}` throws VALIDATION_FAILED, as for invoke.
     */
    test: (target: DeployedTarget, input: CallInput) => call(target, input, testMode),

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
      generation += 1;
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
      generation += 1;
      for (const id of ids) registry.retireConnection(id);
    },

    /**
     * What the deployed revision would send, secrets and params as their references
     * (deployed-request.ts): Copy as curl on the connection page. Sends nothing.
     */
    describeDeployed: (target: Pick<DeployedTarget, 'params' | 'pinnedVariables'>) =>
      describeDeployedRequest(target, options),

    metrics,
    poolStats: () => registry.stats(),

    async close() {
      clearInterval(idleSweep);
      deadlines.stop();
      prepared.clear();
      generation += 1;
      await registry.close();
    },
  };
}

export type DispatchEngine = ReturnType<typeof createDispatchEngine>;

/**
 * The rendered URL, parsed once, with its egress decision. A URL that is not valid once
 * rendered (a variable or secret holding something that is not URL-safe) is a template
 * problem of the call, not a crash: TEMPLATE_UNRESOLVED.
 */
function parseRenderedUrl(ready: PreparedTarget, url: string): ParsedTargetUrl {
  try {
    return parseTargetUrl(ready, url);
  } catch {
    throw new TemplateUnresolvedError(
      [],
      [{ reference: 'url', reason: 'the rendered URL is not a valid absolute URL' }],
    );
  }
}

/**
 * The template values of one call: one object whose methods read the prepared target and
 * the call's params (a call made three closures before). `masked` shows secrets as ****.
 */
class CallValues implements TemplateValues {
  readonly #ready: PreparedTarget;
  readonly #params: CallInput['params'];
  readonly #masked: boolean;

  constructor(ready: PreparedTarget, params: CallInput['params'], masked: boolean) {
    this.#ready = ready;
    this.#params = params;
    this.#masked = masked;
  }

  variable(name: string): string | undefined {
    return this.#ready.variables.get(name);
  }

  secret(name: string): string | undefined {
    if (!this.#masked) return this.#ready.secrets.get(name);
    return this.#ready.secrets.has(name) ? maskedValue : undefined;
  }

  param(name: string): string | undefined {
    const value = this.#params?.[name];
    return value === undefined ? undefined : String(value);
  }
}

/** The target's secret marker, made on first use (only deliveries describe their requests). */
function markerOf(ready: PreparedTarget): SecretMasker | null {
  if (ready.marker === undefined) {
    const secrets = new Map(ready.secrets);
    // a whsec_ key's base64 part alone would be a leak as well (as prepareTarget masks it)
    for (const [name, value] of ready.secrets) {
      if (value.startsWith('whsec_')) secrets.set(`${name}\u0000base64`, value.slice(6));
    }
    ready.marker = createSecretMarker(secrets, (name) =>
      secretMarker(name.split('\u0000')[0] as string),
    );
  }
  return ready.marker;
}

/** Header names and values, flat (name, value, name, value…), as undici takes them. */
function hasHeader(headers: readonly string[], lowerCaseName: string): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    if ((headers[i] as string).toLowerCase() === lowerCaseName) return true;
  }
  return false;
}

function withoutHeaders(headers: readonly string[], drop: (name: string) => boolean): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    if (!drop(name)) kept.push(name, headers[i + 1] as string);
  }
  return kept;
}

/** Appends the signature's headers, signed now. */
function appendSignature(
  headers: string[],
  signer: NonNullable<PreparedTarget['signer']>,
  messageId: string,
  body: Buffer | undefined,
): void {
  for (const [name, value] of signer.sign({
    messageId,
    timestampSeconds: Math.floor(Date.now() / 1000),
    body,
  })) {
    headers.push(name, value);
  }
}
