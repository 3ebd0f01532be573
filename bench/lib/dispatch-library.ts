import { Pool } from 'undici';
import { environmentParams } from '../../src/contracts/connections.ts';
import { compileEgressPolicy } from '../../src/dispatch/egress/index.ts';
import {
  createDispatchEngine,
  defaultEngineOptions,
  type DeployedTarget,
  type DispatchEngine,
  type TargetSources,
} from '../../src/dispatch/engine/index.ts';
import { measurePair, type PairPlan, type PairRow } from './dispatch-compare.ts';
import { benchSecrets, benchVariables, eventBody, rawHeaders } from './dispatch-payload.ts';
import type { LocalTarget } from './dispatch-target.ts';

export type Protocol = 'http' | 'https';

/**
 * What a deployed connection with a template, a secret header and standard-webhooks signing
 * looks like in one environment (development: loopback allowed). The URL carries
 * `{{param.id}}`, headers a `{{secret.*}}` and a `{{var.*}}`.
 */
export function benchTarget(protocol: Protocol, origin: string): DeployedTarget {
  return {
    connectionId: `con_bench_${protocol}`,
    project: 'default',
    name: `bench-${protocol}`,
    enabled: true,
    revision: 1,
    environmentId: 'development',
    params: environmentParams.parse({
      method: 'POST',
      url: `${origin}/hooks/{{param.id}}`,
      headers: [
        { name: 'Authorization', value: 'Bearer {{secret.TARGET_TOKEN}}' },
        { name: 'Content-Type', value: 'application/json' },
        { name: 'X-Region', value: '{{var.REGION}}' },
      ],
      signing: { scheme: 'standard-webhooks', secret: '{{secret.SIGNING_KEY}}' },
    }),
  };
}

/** The engine's callbacks, answered from memory (the API's own lookups are part (b)). */
export function benchSources(caPem: string): TargetSources {
  const policy = compileEgressPolicy({ allowLoopback: true });
  return {
    resolveSecret: async (name) => benchSecrets.get(name),
    variableValue: async (name) => benchVariables.get(name),
    resolveTls: async (tls) => ({ ca: [caPem], rejectUnauthorized: tls.verify }),
    egressPolicy: async () => policy,
  };
}

/** One engine invoke; anything but a 200 `OK` stops the run. */
export async function invokeOrThrow(
  engine: DispatchEngine,
  target: DeployedTarget,
  index: number,
): Promise<void> {
  const result = await engine.invoke(target, { body: eventBody(index), params: { id: index } });
  if (result.outcome !== 'OK' || result.status !== 200) {
    throw new Error(`engine: ${result.outcome} ${result.status ?? ''} ${result.message ?? ''}`);
  }
}

/**
 * Part (a): the dispatch engine called as a library against raw undici `Pool.request` with
 * the same headers and body, the same pool size (the engine's server-managed 24) and the
 * same TLS trust, per protocol and concurrency.
 */
export async function measureLibrary(options: {
  target: LocalTarget;
  protocols: readonly Protocol[];
  concurrencies: readonly number[];
  plan: PairPlan;
}): Promise<PairRow[]> {
  const { target, plan } = options;
  const engine = createDispatchEngine({ sources: benchSources(target.caPem) });
  const rows: PairRow[] = [];
  try {
    for (const protocol of options.protocols) {
      const origin = protocol === 'https' ? target.httpsOrigin : target.httpOrigin;
      const deployed = benchTarget(protocol, origin);
      const pool = new Pool(origin, {
        connections: defaultEngineOptions.defaultPoolSize,
        connect: { ca: target.caPem },
        allowH2: false,
      });
      const headers = rawHeaders(defaultEngineOptions.userAgent);
      try {
        for (const concurrency of options.concurrencies) {
          rows.push(
            await measurePair({
              key: `library-${protocol}-${concurrency}`,
              label: protocol.toUpperCase(),
              concurrency,
              plan,
              subject: (index) => invokeOrThrow(engine, deployed, index),
              async baseline(index) {
                const response = await pool.request({
                  path: `/hooks/${index}`,
                  method: 'POST',
                  headers,
                  body: JSON.stringify(eventBody(index)),
                });
                const text = await response.body.text();
                if (response.statusCode !== 200) {
                  throw new Error(`raw undici: ${response.statusCode} ${text.slice(0, 200)}`);
                }
              },
            }),
          );
        }
      } finally {
        await pool.close();
      }
    }
  } finally {
    await engine.close();
  }
  return rows;
}

/**
 * Test Connection's path against invoke's, both through the engine over HTTPS: a test prepares
 * the target and opens a new connection (full TLS handshake) every time; an invoke reuses both.
 */
export async function measureEngineTestVsInvoke(options: {
  target: LocalTarget;
  concurrency: number;
  plan: PairPlan;
}): Promise<PairRow> {
  const { target } = options;
  const engine = createDispatchEngine({ sources: benchSources(target.caPem) });
  const deployed = benchTarget('https', target.httpsOrigin);
  try {
    return await measurePair({
      key: `engine-test-https-${options.concurrency}`,
      label: 'HTTPS, engine',
      concurrency: options.concurrency,
      plan: options.plan,
      subject: (index) => invokeOrThrow(engine, deployed, index),
      async baseline(index) {
        const result = await engine.test(deployed, {
          body: eventBody(index),
          params: { id: index },
        });
        if (result.outcome !== 'OK')
          throw new Error(`engine test: ${result.outcome} ${result.message ?? ''}`);
      },
    });
  } finally {
    await engine.close();
  }
}
