/** Durable delivery: accepted means delivered — the queue, its workers and their attempts. */
export {
  createDeliveryService,
  idempotencyKeyTtlMs,
  type DeliveryService,
  type DeliveryServiceDeps,
} from './delivery.service.ts';
export {
  createDeliveryWorker,
  defaultDeliveryWorkerOptions,
  type DeliveryFailure,
  type DeliveryWorker,
  type CircuitEvent,
  type DeliveryWorkerOptions,
} from './delivery-worker.ts';
export { type CircuitDescription, type CircuitState } from './circuit-breaker.ts';
export { createDeliveryMetrics, type DeliveryMetrics } from './delivery-metrics.ts';
export { countQueuedDeliveries } from './queue-depth.repo.ts';
export { defaultRetryWaitsMs, nextStepAfter, type NextStep } from './delivery-schedule.ts';
export { createHeaderSeal, type HeaderSeal } from './header-seal.ts';
