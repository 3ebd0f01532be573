/**
 * The classified result of one HTTP try (DESIGN.md §2 step 5): one stable code per try, the
 * same in attempts, test answers, metrics labels and notifications. Codes are never renamed or
 * reused. A closed set: src/dispatch/classify-outcome.ts decides which code a try gets,
 * src/dispatch/outcome-hints.ts says what to do about it, docs/reference/outcomes.md documents
 * each, and src/contracts/codes.test.ts keeps this list, the docs and the OpenAPI enum in step.
 *
 * No zod here: the console imports it (side-effect free); contracts/outcomes.ts has the schema.
 */
export const outcomeCodes = [
  /** the target answered 2xx */
  'OK',
  /** the target answered 4xx other than 401, 403 and 429, or 3xx while redirects are not followed */
  'HTTP_4XX',
  /** the target answered 401 or 403 */
  'HTTP_AUTH',
  /** the target answered 429 (rate limited; Retry-After says when to come back) */
  'HTTP_429',
  /** the target answered 5xx */
  'HTTP_5XX',
  /** the host name could not be resolved */
  'DNS_FAILED',
  /** no TCP connection: refused, or no route to the host */
  'CONNECT_REFUSED',
  /** TCP and TLS set-up took longer than connectTimeoutMs */
  'CONNECT_TIMEOUT',
  /** no complete answer within requestTimeoutMs */
  'REQUEST_TIMEOUT',
  /** the TLS handshake failed: certificate not trusted, expired, wrong host name, protocol */
  'TLS_FAILED',
  /** the connection broke during the exchange, or the answer was not valid HTTP */
  'CONNECTION_RESET',
  /** every socket of the pool was busy and its wait queue full */
  'POOL_EXHAUSTED',
  /** the egress policy refused the target address */
  'EGRESS_BLOCKED',
  /** a {{var.}}, {{secret.}} or {{param.}} reference had no value, or one that cannot be used */
  'TEMPLATE_UNRESOLVED',
  /** the answer (headers or body) was larger than the response size cap */
  'RESPONSE_TOO_LARGE',
  /** the rendered request is not valid HTTP (a header value outside RFC 9110, a '.'/'..' segment that values made in the URL path): never sent */
  'INVALID_REQUEST',
] as const;

export type OutcomeCode = (typeof outcomeCodes)[number];

/** Every outcome but OK: what a failure (a notification, a dead letter) can carry. */
export type FailureOutcomeCode = Exclude<OutcomeCode, 'OK'>;
