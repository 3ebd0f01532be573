import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `check` until it stops throwing and answers what it returned; past `timeoutMs` the last
 * failure is thrown. Tests wait for a condition this way, never for a fixed time: on a busy
 * 2-core machine a condition may take seconds, and `check`'s own assertion message says what
 * was still wrong.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(options.intervalMs ?? 25);
    }
  }
}
