/**
 * The limits of a connection's retry policy and delivery settings, as plain numbers: the zod
 * schemas in connections.ts are built from them, and the console's editor (which must not
 * construct zod at import) shows and checks the same ones.
 * No zod here: the console imports it (side-effect free).
 */
export const retryLimits = {
  maxAttempts: { min: 1, max: 50 },
  waitSeconds: { min: 0, max: 86400 },
  maxWaitSeconds: { min: 0, max: 86400 },
  /** 30 days: a delivery older than this is not tried again */
  maxAgeSeconds: { min: 1, max: 30 * 86400 },
} as const;

export const deliveryLimits = {
  maxConcurrency: { min: 1, max: 1024 },
  ratePerSecond: { min: 0.01, max: 100000 },
} as const;
