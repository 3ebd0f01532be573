/**
 * What the retention sweep keeps (configuration): HOOKLINE_REVISION_RETENTION and
 * HOOKLINE_AUDIT_RETENTION_DAYS. Delivery retention is the delivery worker's own sweep.
 */
export interface RetentionOptions {
  /** revisions kept per connection beyond the ones still referenced; 0 keeps every revision */
  revisionRetention: number;
  /** audit records older than this are removed; null keeps them forever */
  auditRetentionMs: number | null;
  /** how often the sweep runs (as the delivery worker prunes: every 10 minutes) */
  intervalMs: number;
}

export const defaultRetentionOptions: RetentionOptions = {
  revisionRetention: 100,
  auditRetentionMs: 365 * 86_400_000,
  intervalMs: 10 * 60_000,
};

export interface RetentionSweepResult {
  revisions: number;
  auditRecords: number;
  /** stored per-minute metrics older than 7 days (the longest range the API shows) */
  metricMinutes: number;
}

/**
 * The periodic retention sweep of revisions, audit records (issue 13 §6) and stored metric
 * minutes (issue 14 §7), so a loop of
 * changes cannot grow the store without bound. Like the delivery worker's prune: it runs once
 * at start and then every `intervalMs` (an unref'd timer: it never keeps the process alive);
 * the cutoffs come from the services' injected clock, and tests call `sweep()` directly.
 */
export function createRetentionSweep(deps: {
  pruneRevisions: (keep: number) => Promise<number>;
  pruneAudit: (retentionMs: number) => Promise<number>;
  /** removes stored metric minutes past their own retention (7 days); absent: none kept */
  pruneMetrics?: () => Promise<number>;
  options?: Partial<RetentionOptions>;
  onError?: (error: unknown) => void;
}) {
  const options = { ...defaultRetentionOptions, ...deps.options };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function sweep(): Promise<RetentionSweepResult> {
    const revisions =
      options.revisionRetention > 0 ? await deps.pruneRevisions(options.revisionRetention) : 0;
    const auditRecords =
      options.auditRetentionMs === null ? 0 : await deps.pruneAudit(options.auditRetentionMs);
    const metricMinutes = (await deps.pruneMetrics?.()) ?? 0;
    return { revisions, auditRecords, metricMinutes };
  }

  function sweepInBackground(): void {
    if (running) return; // a slow sweep is not started twice
    running = sweep()
      .catch((error: unknown) => deps.onError?.(error))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    options,
    /** One sweep now: what it removed. */
    sweep,
    /** Sweeps now and every `intervalMs` until stopped (idempotent). */
    start(): void {
      if (timer) return;
      sweepInBackground();
      timer = setInterval(sweepInBackground, options.intervalMs);
      timer.unref();
    },
    /** Stops the timer and waits for a sweep under way (before the store closes). */
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export type RetentionSweep = ReturnType<typeof createRetentionSweep>;
