/** Injected wherever time matters, so tests control it instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 UTC with milliseconds: the one timestamp format we store and answer. */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
