import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import { hooklineVersion } from './version.ts';

/**
 * The Node process's own series into `registry`: prom-client's default metrics (CPU, memory,
 * heap, event-loop lag, GC, handles by type) prefixed `hookline_`, and `hookline_build_info` = 1 with
 * the version and the Node version as labels (join on it to tell versions apart in a rollout).
 */
export function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: 'hookline_' });
  // three gauges named like counters, which `promtool check metrics` reports ("non-counter
  // metrics should not have _total suffix"); each is the sum of its by-type twin
  // (hookline_nodejs_active_handles{type}, …), which stays
  for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) {
    registry.removeSingleMetric(`hookline_nodejs_${name}`);
  }
  new Gauge({
    name: 'hookline_build_info',
    help: 'Always 1: the running Hookline version and Node.js version as labels',
    labelNames: ['version', 'node'] as const,
    registers: [registry],
  }).set({ version: hooklineVersion, node: process.versions.node }, 1);
}
