import { z } from 'zod';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * A whole number from text or a number. Digits only: z.coerce would read ' ' as 0 (a random
 * port) and '1e3' as 1000.
 */
function wholeNumber(min: number, max: number) {
  return z.preprocess(
    (value) =>
      typeof value === 'string' && /^\s*\d{1,12}\s*$/.test(value) ? Number(value) : value,
    z
      .int({ error: `must be a whole number ${min}-${max}` })
      .min(min, { error: `must be a whole number ${min}-${max}` })
      .max(max, { error: `must be a whole number ${min}-${max}` }),
  );
}

/** The server's configuration: defaults here, then a file, then HOOKLINE_* variables, then flags. */
export const serverConfigSchema = z.strictObject({
  port: wholeNumber(0, 65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  bootstrapToken: z
    .string()
    .min(32, { error: 'must be at least 32 characters' })
    .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' })
    .optional(),
  logLevel: z.enum(logLevels).default('info'),
  // 32 bytes as 64 hex characters or base64 (`openssl rand -hex 32`); without it the key lives
  // in <dataDir>/master-key. Keep in step with domains/secrets/master-key.ts (parseMasterKey).
  masterKey: z
    .string()
    .refine(isMasterKeyText, {
      error: 'must be 32 bytes written as 64 hex characters or as base64 (openssl rand -hex 32)',
    })
    .optional(),
  // The outbound runtime. A connection's poolSize 0 means this many keep-alive connections per
  // target origin (DESIGN §2: 24).
  poolSize: wholeNumber(1, 1024).default(24),
  // requests that may wait for a busy pool before POOL_EXHAUSTED
  poolQueue: wholeNumber(0, 100_000).default(1000),
  // an answer larger than this ends RESPONSE_TOO_LARGE (10 MiB); invoke shows at most 1 MiB
  maxResponseBytes: wholeNumber(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  // the embedded store's durability: FULL survives a power cut (every commit fsynced); NORMAL
  // survives a crash of Hookline but may lose the last commits on a power cut
  sqliteSynchronous: z.enum(['FULL', 'NORMAL']).default('FULL'),
  // durable delivery: succeeded deliveries are kept this many days, then pruned
  deliveryRetentionDays: wholeNumber(1, 3650).default(7),
  // failed deliveries (the dead letter) are pruned this many days after they failed; 0 keeps
  // them until they are replayed
  deliveryFailedRetentionDays: wholeNumber(0, 3650).default(0),
  // how long a worker's claim on a delivery holds; past it, a dead worker's deliveries are sent
  // again. Keep it above the longest requestTimeoutMs (≤ 60 s), or a slow attempt is repeated.
  deliveryLeaseSeconds: wholeNumber(2, 3600).default(120),
  // console sessions end after this long without a request, and at the latest after
  // sessionMaxHours however busy
  sessionIdleMinutes: wholeNumber(1, 7 * 24 * 60).default(60),
  sessionMaxHours: wholeNumber(1, 30 * 24).default(12),
  // wrong passwords allowed for one user from one client address, for one user from every
  // address together, and from one address whichever users it names, within
  // loginWindowSeconds; past one of them those logins are RATE_LIMITED until the oldest failure
  // leaves the window. A user is one user by id or by name in any case. The per-user ceiling is
  // well above the per-address one, so a guesser at one address cannot lock the user out from
  // the others (domains/access/login-throttle.ts)
  loginMaxFailures: wholeNumber(1, 10_000).default(10),
  loginMaxFailuresPerUser: wholeNumber(1, 1_000_000).default(100),
  loginMaxFailuresPerAddress: wholeNumber(1, 100_000).default(50),
  loginWindowSeconds: wholeNumber(1, 86_400).default(900),
  // management API requests per token (or per address without one) per minute that change
  // something (POST, PUT, PATCH, DELETE), and those that only read (GET, HEAD), counted apart so
  // a script polling lists cannot lock the same token out of its changes; 0 = no limit. The
  // data plane (invoke, deliveries) is bounded by pools and the queue instead.
  apiRateLimitPerMinute: wholeNumber(0, 10_000_000).default(3000),
  apiReadRateLimitPerMinute: wholeNumber(0, 10_000_000).default(30_000),
  // the whole request (headers and body) must have arrived within this long, or the socket is
  // answered 408 and closed: a client trickling a body cannot hold a socket forever. It does
  // not bound the answer: an invoke waiting on a slow target (requestTimeoutMs ≤ 60 s, times
  // its retries) is not cut by it. 30 s lets a 1 MiB body (the largest) through at ~35 KB/s
  requestTimeoutMs: wholeNumber(1000, 3_600_000).default(30_000),
  // revisions kept per connection: the newest N, plus every revision that is deployed, was the
  // last deployed to an environment, or waits in a pending approval; 0 keeps every revision
  revisionRetention: wholeNumber(0, 1_000_000).default(100),
  // audit records older than this many days are pruned (export them first: GET
  // /api/v1/audit/export); 0 keeps them forever
  auditRetentionDays: wholeNumber(0, 36_500).default(365),
  // behind a reverse proxy that ends TLS: which X-Forwarded-* headers to believe, so the
  // session cookie is Secure and login limits count the real client address. `false` (none),
  // `true` (any: only when nothing but the proxy can reach Hookline), a hop count, or a
  // comma-separated list of proxy addresses/CIDRs (`10.0.0.1, 172.16.0.0/12`)
  trustProxy: z
    .string()
    .trim()
    .regex(/^(false|true|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
      error: 'must be false, true, a hop count or a comma-separated list of addresses/CIDRs',
    })
    .default('false'),
  // a pending approval for a critical production deploy lapses after this long
  approvalExpiryHours: wholeNumber(1, 24 * 30).default(24),
  // also send the trace id in this header (e.g. X-Trace-Id); traceparent is always sent
  traceIdHeader: z
    .string()
    .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/, { error: 'must be a header name' })
    .optional(),
});

function isMasterKeyText(text: string): boolean {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return true;
  const base64 = /^[A-Za-z0-9+/]{43}=?$/.test(trimmed);
  const base64url = /^[A-Za-z0-9_-]{43}=?$/.test(trimmed);
  if (!base64 && !base64url) return false;
  return Buffer.from(trimmed, base64 ? 'base64' : 'base64url').length === 32;
}

export type ServerConfig = Readonly<z.infer<typeof serverConfigSchema>>;

/** Where each setting comes from, for error messages and `hookline config`. */
export const configSources = {
  port: { flag: '--port', env: 'HOOKLINE_PORT' },
  host: { flag: '--host', env: 'HOOKLINE_HOST' },
  dataDir: { flag: '--data', env: 'HOOKLINE_DATA_DIR' },
  databaseUrl: { flag: '--database-url', env: 'DATABASE_URL' },
  bootstrapToken: { flag: undefined, env: 'HOOKLINE_BOOTSTRAP_TOKEN' },
  logLevel: { flag: '--log-level', env: 'HOOKLINE_LOG_LEVEL' },
  // no flag: a key on the command line would sit in shell history and `ps` output
  masterKey: { flag: undefined, env: 'HOOKLINE_MASTER_KEY' },
  poolSize: { flag: undefined, env: 'HOOKLINE_POOL_SIZE' },
  poolQueue: { flag: undefined, env: 'HOOKLINE_POOL_QUEUE' },
  maxResponseBytes: { flag: undefined, env: 'HOOKLINE_MAX_RESPONSE_BYTES' },
  traceIdHeader: { flag: undefined, env: 'HOOKLINE_TRACE_ID_HEADER' },
  sqliteSynchronous: { flag: undefined, env: 'HOOKLINE_SQLITE_SYNCHRONOUS' },
  deliveryRetentionDays: { flag: undefined, env: 'HOOKLINE_DELIVERY_RETENTION_DAYS' },
  deliveryFailedRetentionDays: {
    flag: undefined,
    env: 'HOOKLINE_DELIVERY_FAILED_RETENTION_DAYS',
  },
  deliveryLeaseSeconds: { flag: undefined, env: 'HOOKLINE_DELIVERY_LEASE_SECONDS' },
  sessionIdleMinutes: { flag: undefined, env: 'HOOKLINE_SESSION_IDLE_MINUTES' },
  sessionMaxHours: { flag: undefined, env: 'HOOKLINE_SESSION_MAX_HOURS' },
  loginMaxFailures: { flag: undefined, env: 'HOOKLINE_LOGIN_MAX_FAILURES' },
  loginMaxFailuresPerUser: { flag: undefined, env: 'HOOKLINE_LOGIN_MAX_FAILURES_PER_USER' },
  loginMaxFailuresPerAddress: {
    flag: undefined,
    env: 'HOOKLINE_LOGIN_MAX_FAILURES_PER_ADDRESS',
  },
  loginWindowSeconds: { flag: undefined, env: 'HOOKLINE_LOGIN_WINDOW_SECONDS' },
  apiRateLimitPerMinute: { flag: undefined, env: 'HOOKLINE_API_RATE_LIMIT_PER_MINUTE' },
  apiReadRateLimitPerMinute: {
    flag: undefined,
    env: 'HOOKLINE_API_READ_RATE_LIMIT_PER_MINUTE',
  },
  requestTimeoutMs: { flag: undefined, env: 'HOOKLINE_REQUEST_TIMEOUT_MS' },
  revisionRetention: { flag: undefined, env: 'HOOKLINE_REVISION_RETENTION' },
  auditRetentionDays: { flag: undefined, env: 'HOOKLINE_AUDIT_RETENTION_DAYS' },
  approvalExpiryHours: { flag: undefined, env: 'HOOKLINE_APPROVAL_EXPIRY_HOURS' },
  trustProxy: { flag: undefined, env: 'HOOKLINE_TRUST_PROXY' },
} as const satisfies Record<keyof ServerConfig, { flag: string | undefined; env: string }>;

/** Settings whose values are credentials: masked wherever the configuration is shown. */
export const secretSettings: ReadonlySet<keyof ServerConfig> = new Set([
  'bootstrapToken',
  'databaseUrl',
  'masterKey',
]);

/** The configured trustProxy as Fastify takes it: boolean, hop count or address list. */
export function fastifyTrustProxy(
  text: string,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return (_address, hop) => hop < hops;
  }
  return text.split(',').map((part) => part.trim());
}
