import { z } from 'zod';
import { connectionRefQuery } from './connections.ts';
import { circuitStates, defaultMetricRange, metricRanges } from './metric-ranges.ts';
import { outcomeCode } from './outcomes.ts';

/** `GET /connections/{id}/metrics?range=`. */
export const metricsQuery = connectionRefQuery.extend({
  range: z
    .enum(metricRanges)
    .default(defaultMetricRange)
    .describe(
      'the span of `history`: 1h (60 one-minute points), 24h (96 fifteen-minute points) or 7d (168 one-hour points)',
    ),
});

const latency = z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable();
const pool = z
  .object({ connected: z.int(), free: z.int(), pending: z.int(), running: z.int() })
  .nullable();

export const circuitOut = z
  .object({
    state: z.enum(circuitStates),
    consecutiveFailures: z
      .int()
      .describe('failures in a row of the kinds that mean a sick target (5xx, 429, timeouts…)'),
    failureThreshold: z.int().describe('that many failures in a row open the circuit'),
    openedAt: z
      .string()
      .nullable()
      .describe('when it last opened, ISO-8601 UTC; null while it never opened'),
    openedBy: outcomeCode
      .nullable()
      .describe('the outcome of the failure that opened it; null while closed'),
    retryAt: z
      .string()
      .nullable()
      .describe('open: when one probe delivery will be let through, ISO-8601 UTC; else null'),
    openForMs: z
      .int()
      .describe('how long it stays open before the next probe (doubles per failed probe)'),
  })
  .describe("durable delivery's circuit breaker in this process, explained")
  .meta({ id: 'CircuitDetail' });

export const metricsOut = z
  .object({
    connection: z.object({ id: z.string(), name: z.string() }),
    range: z.enum(metricRanges),
    stepMinutes: z.int().describe('minutes per point of `history`'),
    environments: z.array(
      z.object({
        environment: z.string(),
        total: z.int().describe('calls in this process since it started'),
        counts: z.partialRecord(outcomeCode, z.int()),
        timeoutRate: z.number(),
        latencyMs: latency,
        pool,
        circuit: z
          .enum(circuitStates)
          .describe(
            "durable delivery's circuit breaker in this process: open holds deliveries after repeated failures, half_open lets one probe through",
          ),
        circuitDetail: circuitOut,
        history: z
          .array(
            z.object({
              minute: z.string().describe('the start of the point, ISO-8601 UTC'),
              total: z.int(),
              failures: z.int().describe('calls whose outcome was not OK'),
              latencyMs: latency.describe(
                'within 20 % (summed per-minute histograms); null when quiet',
              ),
            }),
          )
          .describe(
            'the range as points of `stepMinutes`, oldest first, the last holding now: from the stored minutes (every process, kept 7 days) and this process’s not yet stored ones',
          ),
      }),
    ),
  })
  .meta({ id: 'ConnectionMetrics' });

export type MetricsOut = z.infer<typeof metricsOut>;
export type CircuitDetail = z.infer<typeof circuitOut>;
