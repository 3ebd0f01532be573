import { runLoad, summarize, type LoadResult, type LoadSample } from './run-load.ts';

/** How many calls one comparison makes per side, and in how many alternating rounds. */
export interface PairPlan {
  /** measured calls per side, split over `rounds` */
  requests: number;
  rounds: number;
  /** unmeasured calls per side first: JIT, pool connections, TLS handshakes */
  warmUpRequests: number;
}

/** One measurement: the subject (Hookline) against its baseline, same work, same run. */
export interface PairRow {
  key: string;
  /** what is compared, e.g. "HTTPS" */
  label: string;
  concurrency: number;
  subject: LoadResult;
  baseline: LoadResult;
  /**
   * This process's CPU time (user + system) per call, in µs, when both sides run in it:
   * steadier than throughput on a shared machine, and it counts work a closed loop hides.
   */
  cpuUsPerCall?: { subject: number; baseline: number };
}

export type SendCall = (index: number) => Promise<void>;

/**
 * Measures `subject` against `baseline` at one concurrency: a warm-up of each, then rounds
 * that alternate the two (and which goes first), so a burst of load from elsewhere on the
 * machine lands on both and the ratio survives it. Call indexes run 0 … requests-1 per side.
 */
export async function measurePair(options: {
  key: string;
  label: string;
  concurrency: number;
  plan: PairPlan;
  subject: SendCall;
  baseline: SendCall;
  /** false when the calls are served by another process (the CPU here is the client's) */
  measureCpu?: boolean;
  /**
   * Called (and awaited) right before and after each measured round of a side: the process
   * that serves the calls reads its own CPU there (bench/lib/dispatch-api-load.ts).
   */
  onRound?: (side: 'subject' | 'baseline', phase: 'start' | 'end') => Promise<void>;
}): Promise<PairRow> {
  const { concurrency, plan } = options;
  const sides = { subject: options.subject, baseline: options.baseline };
  const samples: Record<keyof typeof sides, LoadSample[]> = { subject: [], baseline: [] };
  const cpuUs = { subject: 0, baseline: 0 };
  for (const side of ['baseline', 'subject'] as const) {
    await runLoad({ requests: plan.warmUpRequests, concurrency, send: sides[side] });
  }
  const rounds = Math.min(plan.rounds, plan.requests);
  for (let round = 0; round < rounds; round++) {
    const from = Math.floor((plan.requests * round) / rounds);
    const to = Math.floor((plan.requests * (round + 1)) / rounds);
    const order =
      round % 2 === 0 ? (['baseline', 'subject'] as const) : (['subject', 'baseline'] as const);
    for (const side of order) {
      await options.onRound?.(side, 'start');
      const cpuBefore = process.cpuUsage();
      samples[side].push(
        await runLoad({
          requests: to - from,
          concurrency,
          send: (index) => sides[side](from + index),
        }),
      );
      const cpu = process.cpuUsage(cpuBefore);
      cpuUs[side] += cpu.user + cpu.system;
      await options.onRound?.(side, 'end');
    }
  }
  const measured = Math.max(1, plan.requests);
  return {
    key: options.key,
    label: options.label,
    concurrency,
    subject: summarize(samples.subject),
    baseline: summarize(samples.baseline),
    ...(options.measureCpu === false
      ? {}
      : {
          cpuUsPerCall: { subject: cpuUs.subject / measured, baseline: cpuUs.baseline / measured },
        }),
  };
}
