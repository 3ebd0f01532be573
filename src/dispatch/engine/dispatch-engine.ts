import { setTimeout as sleep } from 'node:timers/promises';
import { Client, type Dispatcher } from 'undici';
import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import { classifyStatus, isRetryable } from '../classify-outcome.ts';
import { EgressBlockedError } from '../egress/index.ts';
import { TemplateUnresolvedError, type TemplateValues } from '../render/index.ts';
import { createMessageId } from '../signing/index.ts';
import { createTraceparent } from '../trace-context.ts';
import { createAgentRegistry } from './agent-registry.ts';
import { flattenHeaders, maskedValue } from './answer-masking.ts';
import { createDispatchMetrics } from './dispatch-metrics.ts';
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
import { toCallResult } from './call-result.ts';
import { composeHeaders } from './compose-headers.ts';
import { createDeadlineClock } from './request-deadline.ts';
import { computeRetryWaitMs, parseRetryAfterMs } from './retry-wait.ts';
import { parseTargetUrl } from './target-url.ts';
import { createConnector, type ConnectRecord } from './timed-connector.ts';
import { failedTry, isTlsMaterialError, type TryResult } from './try-result.ts';

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
    const deadline = deadlines.start(target.target.params.requestTimeoutMs);
    const connect: ConnectRecord | null = fresh
      ? { timings: { dnsMs: null, connectMs: null, tlsMs: null }, tlsPeer: null }
      : null;
    let firstByteMs: number | null = null;
    const exchange = async (dispatcher: Dispatcher): Promise<TryResult> => {
      const response = await collectExchange(
        dispatcher,
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: method as Dispatcher.HttpMethod,
          headers,
          body,
        },
        options.previewBytes,
        deadline,
      );
      firstByteMs = response.firstByteMs;
      const responseHeaders = flattenHeaders(response.headers);
      const outcome = classifyStatus(response.statusCode);
      return {
        outcome,
        status: response.statusCode,
        headers: responseHeaders,
        bodyBytes: response.bytes,
        truncated: response.truncated,
        sizeBytes: response.sizeBytes,
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
      return failedTry(deadline.reason ?? error, firstByteMs, connect);
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
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return {
          ...result,
          url,
          message: 'the redirect Location is not a valid URL: not followed',
        };
      }
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
      assertValidUrl(ready, rendered.url);
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

    const headers = composeHeaders(options, ready, rendered.headers, input, rendered.body, trace);
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
      deadlines.stop();
      prepared.clear();
      await registry.close();
    },
  };
}

export type DispatchEngine = ReturnType<typeof createDispatchEngine>;

/**
 * A URL that is not valid once rendered (a variable or secret holding something that is not
 * URL-safe) is a template problem of the call, not a crash: TEMPLATE_UNRESOLVED.
 */
function assertValidUrl(ready: PreparedTarget, url: string): void {
  try {
    parseTargetUrl(ready, url);
  } catch {
    throw new TemplateUnresolvedError(
      [],
      [{ reference: 'url', reason: 'the rendered URL is not a valid absolute URL' }],
    );
  }
}

function flat(headers: Array<[string, string]>): string[] {
  const out: string[] = [];
  for (const [name, value] of headers) out.push(name, value);
  return out;
}
