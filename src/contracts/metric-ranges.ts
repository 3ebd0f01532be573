/**
 * The time ranges of a connection's metrics (GET /connections/{id}/metrics?range=): 1 h in
 * one-minute points, 24 h in fifteen-minute points, 7 d in one-hour points (stored minutes are
 * kept 7 days). No zod here: the console imports it (side-effect free); contracts/metrics.ts
 * has the schema.
 */
export const metricRanges = ['1h', '24h', '7d'] as const;

export type MetricRange = (typeof metricRanges)[number];

export const defaultMetricRange: MetricRange = '1h';

/** Minutes per point of each range. */
export const metricRangeStepMinutes: Readonly<Record<MetricRange, number>> = {
  '1h': 1,
  '24h': 15,
  '7d': 60,
};

export const circuitStates = ['closed', 'open', 'half_open'] as const;

export type CircuitState = (typeof circuitStates)[number];
