/** Retention: the periodic sweep that bounds revisions and audit records. */
export {
  /**
   * Creates the sweep: `sweep()` once (tests), `start()` at once and every 10 minutes
   * (`hookline serve`), `stop()` before the store closes.
   */
  createRetentionSweep,
  defaultRetentionOptions,
  type RetentionOptions,
  type RetentionSweep,
  type RetentionSweepResult,
} from './retention-sweep.ts';
