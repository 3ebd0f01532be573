import type { OutcomeCode } from '../contracts/outcomes.ts';

/**
 * The one mapping from what happened to a try — an HTTP status, or an error from undici 8,
 * Node's net/tls/dns, or the engine itself — to an outcome code (DESIGN.md §2 step 5), and
 * whether it may be tried again (step 6). classify-outcome.test.ts has one row per code
 * recognised here; keep them in step.
 */

/**
 * Did the request reach the target's application? `no`: provably not (it failed before a
 * byte of the request could be processed: DNS, connect, TLS handshake, a refusal of our
 * own). `maybe`: it may have been processed (the connection broke or timed out after the
 * request was sent). `yes`: the target answered with a status.
 */
export type ReachedTarget = 'no' | 'maybe' | 'yes';

export interface ClassifiedError {
  outcome: Exclude<OutcomeCode, 'OK' | 'HTTP_4XX' | 'HTTP_AUTH' | 'HTTP_429' | 'HTTP_5XX'>;
  reachedTarget: 'no' | 'maybe';
  /** for users: fixed wording plus the error code, never a header value, a body or a URL */
  message: string;
  /** the underlying undici, Node or engine code (`ECONNREFUSED`), for logs; undefined if none */
  errorCode: string | undefined;
}

/**
 * The outcome of a try the target answered. 3xx lands in HTTP_4XX: redirects are not
 * followed unless the connection says so, and an unfollowed redirect means the payload did
 * not reach the resource — counting it as OK would lose a delivery silently, and like a 4xx
 * it is fixed by changing the URL, not by trying again (outcome-hints.ts says so for 3xx).
 * Statuses outside 200–499 that are not 5xx (1xx as a final answer, 600–999) are a broken
 * target: HTTP_5XX.
 */
export function classifyStatus(status: number): OutcomeCode {
  if (status >= 200 && status <= 299) return 'OK';
  if (status === 401 || status === 403) return 'HTTP_AUTH';
  if (status === 429) return 'HTTP_429';
  if (status >= 300 && status <= 499) return 'HTTP_4XX';
  return 'HTTP_5XX';
}

type Rule = Omit<ClassifiedError, 'errorCode'>;

const never = (outcome: Rule['outcome'], message: string): Rule => ({
  outcome,
  reachedTarget: 'no',
  message,
});
const maybe = (outcome: Rule['outcome'], message: string): Rule => ({
  outcome,
  reachedTarget: 'maybe',
  message,
});

const handshakeRefused =
  'The target refused the TLS handshake (no common protocol or cipher, or it requires a client certificate)';

// Node's certificate verification codes (OpenSSL X509_V_ERR_* names without the prefix) and
// the Node TLS codes; all of them end the handshake before a byte of the request is processed.
const tlsMessages: Record<string, string> = {
  CERT_HAS_EXPIRED: "The target's certificate has expired",
  CERT_NOT_YET_VALID: "The target's certificate is not valid yet (check the clocks)",
  DEPTH_ZERO_SELF_SIGNED_CERT:
    "The target's certificate is self-signed and not trusted (add it as a CA certificate of the environment)",
  SELF_SIGNED_CERT_IN_CHAIN:
    "The target's certificate chain ends in a self-signed CA that is not trusted (add that CA to the environment)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "The target's certificate could not be verified: its issuer is unknown or the chain is incomplete",
  UNABLE_TO_GET_ISSUER_CERT: "The issuer of the target's certificate is not trusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    "The issuer of the target's certificate is not trusted (the target may not send its intermediate certificate)",
  CERT_SIGNATURE_FAILURE: "The signature of the target's certificate is invalid",
  CERT_REVOKED: "The target's certificate has been revoked",
  CERT_UNTRUSTED: "The target's certificate is not trusted",
  CERT_REJECTED: "The target's certificate was rejected",
  INVALID_CA: 'A CA certificate in the chain is not valid as a CA',
  INVALID_PURPOSE: "The target's certificate may not be used for a TLS server",
  PATH_LENGTH_EXCEEDED: "The target's certificate chain is too long",
  HOSTNAME_MISMATCH: "The target's certificate does not name this host",
  ERR_TLS_CERT_ALTNAME_INVALID: "The target's certificate does not name this host",
  ERR_TLS_CERT_ALTNAME_FORMAT: "The target's certificate has a malformed subject alternative name",
  ERR_TLS_HANDSHAKE_TIMEOUT: 'The TLS handshake did not finish in time',
  ERR_TLS_INVALID_PROTOCOL_VERSION: 'The TLS protocol version is not acceptable',
  ERR_TLS_PROTOCOL_VERSION_CONFLICT: 'The TLS protocol versions configured conflict',
  ERR_TLS_RENEGOTIATION_DISABLED: 'The target asked for TLS renegotiation, which is disabled',
  ERR_INVALID_PRIVATE_KEY: 'The client key of the key store could not be used',
  // OpenSSL errors Node names ERR_SSL_<reason>; alerts are the target's word on the handshake
  ERR_SSL_WRONG_VERSION_NUMBER:
    'The target does not speak TLS on this port (should the URL start with http://?)',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    'The target requires a client certificate (configure a key store for mutual TLS)',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "The target does not trust the client certificate's issuer",
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'The target refused the client certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'The target says the client certificate has expired',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: handshakeRefused,
  'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE': handshakeRefused,
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'The target does not accept this TLS protocol version',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'The target offers only a TLS version that is not allowed',
};

// DNS answers: getaddrinfo (dns.lookup, what net.connect uses) and c-ares (dns.resolve*).
const dnsCodes = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
  'ENODATA',
  'ESERVFAIL',
  'EREFUSED',
  'ETIMEOUT',
  'EFORMERR',
  'EBADNAME',
  'EBADRESP',
  'ENOTIMP',
]);

/** Rules by code; the first code found (outermost error first, then its causes) wins. */
const rules: Record<string, Rule> = {
  // --- refusals of our own, before anything is sent (the engine sets these codes)
  EGRESS_BLOCKED: never('EGRESS_BLOCKED', 'The egress policy does not allow this target address'),
  TEMPLATE_UNRESOLVED: never(
    'TEMPLATE_UNRESOLVED',
    'A template reference has no value, so nothing was sent',
  ),
  INVALID_REQUEST: never(
    'INVALID_REQUEST',
    'The rendered request is not valid HTTP, so nothing was sent',
  ),
  POOL_EXHAUSTED: never(
    'POOL_EXHAUSTED',
    'Every connection of the pool was busy and its wait queue full, so nothing was sent',
  ),
  REQUEST_TIMEOUT: maybe('REQUEST_TIMEOUT', 'No complete answer within the request timeout'),

  // --- undici 8 (node_modules/undici/lib/core/errors.js)
  UND_ERR_CONNECT_TIMEOUT: never(
    'CONNECT_TIMEOUT',
    'The connection (TCP and TLS set-up) was not established within the connect timeout',
  ),
  UND_ERR_HEADERS_TIMEOUT: maybe(
    'REQUEST_TIMEOUT',
    'The target sent no response headers within the timeout',
  ),
  UND_ERR_BODY_TIMEOUT: maybe(
    'REQUEST_TIMEOUT',
    'The target stopped sending the response body before it was complete',
  ),
  // 'other side closed', 'closed', 'bad response' — the socket ended while a request ran
  UND_ERR_SOCKET: maybe(
    'CONNECTION_RESET',
    'The target closed the connection in the middle of its answer',
  ),
  UND_ERR_INFO: maybe('CONNECTION_RESET', 'The connection was closed before answering'),
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: maybe(
    'CONNECTION_RESET',
    'The response ended before the length its Content-Length announced',
  ),
  // an abort without our deadline's reason: the only aborts the engine makes are deadlines
  UND_ERR_ABORTED: maybe('REQUEST_TIMEOUT', 'The request was aborted before the answer completed'),
  UND_ERR_ABORT: maybe('REQUEST_TIMEOUT', 'The request was aborted before the answer completed'),
  UND_ERR_RES_EXCEEDED_MAX_SIZE: maybe(
    'RESPONSE_TOO_LARGE',
    'The response body is larger than the response size cap',
  ),
  UND_ERR_HEADERS_OVERFLOW: maybe(
    'RESPONSE_TOO_LARGE',
    'The response headers are larger than allowed',
  ),
  // dispatching on a pool that a redeploy already closed: the request was never written
  UND_ERR_CLOSED: never('CONNECTION_RESET', 'The pool was closed before the request was sent'),
  // destroy() also fails requests that were already written
  UND_ERR_DESTROYED: maybe('CONNECTION_RESET', 'The pool was shut down during the request'),

  // --- Node net
  ECONNREFUSED: never(
    'CONNECT_REFUSED',
    'The target refused the connection (nothing listens on that port)',
  ),
  EHOSTUNREACH: never('CONNECT_REFUSED', 'There is no route to the target host'),
  ENETUNREACH: never('CONNECT_REFUSED', 'The target network is unreachable'),
  EHOSTDOWN: never('CONNECT_REFUSED', 'The target host is down'),
  EADDRNOTAVAIL: never('CONNECT_REFUSED', 'No local address is available to connect from'),
  ECONNRESET: maybe('CONNECTION_RESET', 'The target reset the connection'),
  EPIPE: maybe('CONNECTION_RESET', 'The target closed the connection while the request was sent'),
  ECONNABORTED: maybe('CONNECTION_RESET', 'The connection was aborted'),
  ETIMEDOUT: maybe('REQUEST_TIMEOUT', 'The connection timed out'),
  EPROTO: never('TLS_FAILED', 'The TLS handshake failed (protocol error)'),
};

const ownCodes = new Set([
  'EGRESS_BLOCKED',
  'TEMPLATE_UNRESOLVED',
  'INVALID_REQUEST',
  'POOL_EXHAUSTED',
  'REQUEST_TIMEOUT',
]);

const tlsOtherMessage = 'The TLS handshake failed';
// Node: "Client network socket disconnected before secure TLS connection was established"
const tlsDisconnectPattern = /before secure TLS connection was established/;

/**
 * Every error code this file maps by name (not the prefixes ERR_SSL_*, ERR_OSSL_*, HPE_*);
 * classify-outcome.test.ts holds a row for each.
 */
export const recognisedErrorCodes: readonly string[] = [
  ...Object.keys(rules),
  ...Object.keys(tlsMessages),
  ...dnsCodes,
];

interface ErrorShape {
  code?: unknown;
  syscall?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  socket?: unknown;
}

const shapeOf = (value: unknown): ErrorShape | undefined =>
  typeof value === 'object' && value !== null ? (value as ErrorShape) : undefined;

/** undici's SocketError carries `socket: { bytesRead, … }` (core/util.js getSocketInfo). */
function socketBytesRead(error: ErrorShape): number | undefined {
  const socket = shapeOf(error.socket) as { bytesRead?: unknown } | undefined;
  return typeof socket?.bytesRead === 'number' ? socket.bytesRead : undefined;
}

const codeOf = (error: ErrorShape): string | undefined =>
  typeof error.code === 'string' && error.code !== '' ? error.code : undefined;

/** One error (not its causes) → a rule, or undefined when it says nothing we recognise. */
function classifyOne(error: ErrorShape): ClassifiedError | undefined {
  const code = codeOf(error);
  const syscall = typeof error.syscall === 'string' ? error.syscall : '';
  const message = typeof error.message === 'string' ? error.message : '';
  const withCode = (rule: Rule): ClassifiedError => ({
    ...rule,
    message: code ? `${rule.message} (${code})` : rule.message,
    errorCode: code,
  });

  // The engine's own codes first: an egress refusal raised inside the DNS lookup is still
  // an egress refusal.
  if (code && ownCodes.has(code)) return withCode(rules[code] as Rule);
  // A DNS failure is told by the call that failed, whatever its code (dns.CONNREFUSED is
  // 'ECONNREFUSED' too: the resolver could not reach a name server).
  if (syscall === 'getaddrinfo' || syscall.startsWith('query') || (code && dnsCodes.has(code))) {
    return withCode(never('DNS_FAILED', 'The host name could not be resolved'));
  }
  if (code === 'ETIMEDOUT' && syscall === 'connect') {
    return withCode(never('CONNECT_TIMEOUT', 'The TCP connection was not established in time'));
  }
  if (code === 'ECONNRESET' && tlsDisconnectPattern.test(message)) {
    return withCode(
      never('TLS_FAILED', 'The target closed the connection during the TLS handshake'),
    );
  }
  if (code && code in tlsMessages) {
    return withCode(never('TLS_FAILED', tlsMessages[code] as string));
  }
  // OpenSSL errors: alerts from the peer (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA, …_CERTIFICATE_REQUIRED
  // when mutual TLS wants a client certificate), WRONG_VERSION_NUMBER (plain HTTP on a TLS
  // URL), and ERR_OSSL_* (a client key or certificate that cannot be loaded).
  if (code && (code.startsWith('ERR_SSL_') || code.startsWith('ERR_OSSL_'))) {
    return withCode(never('TLS_FAILED', tlsOtherMessage));
  }
  if (code === 'UND_ERR_SOCKET' && socketBytesRead(error) === 0) {
    // TLS 1.3 targets that refuse the client certificate close this way too: undici sees the
    // end of the stream before OpenSSL reads the alert (measured with Node 24.21, undici 8.13).
    return withCode(
      maybe(
        'CONNECTION_RESET',
        'The target closed the connection without answering (with mutual TLS: it may have refused the client certificate)',
      ),
    );
  }
  // undici's HTTPParserError has no code when llhttp gives none ("Expected HTTP/")
  if ((code && code.startsWith('HPE_')) || error.name === 'HTTPParserError') {
    return withCode(
      maybe('CONNECTION_RESET', 'The target answered with something that is not valid HTTP/1.1'),
    );
  }
  const rule = code ? rules[code] : undefined;
  if (rule) return withCode(rule);

  // AbortSignal.timeout() and abort() without a reason reject with DOMExceptions.
  if (error.name === 'TimeoutError') return withCode(rules.REQUEST_TIMEOUT as Rule);
  if (error.name === 'AbortError') return withCode(rules.UND_ERR_ABORTED as Rule);
  return undefined;
}

/**
 * Classifies an error thrown by a try. Looks at the error, then down its `cause` chain and,
 * for an AggregateError (Node's happy-eyeballs connect to several addresses), at the errors
 * it holds; the first recognised one decides. Anything unrecognised is CONNECTION_RESET with
 * reachedTarget `maybe` — the safe answer for retries — and its code or name in the message.
 */
export function classifyError(error: unknown): ClassifiedError {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  // bounded: cause chains in practice are 1–3 deep; 16 guards against cycles and odd builds
  for (let steps = 0; queue.length > 0 && steps < 16; steps += 1) {
    const current = shapeOf(queue.shift());
    if (!current || seen.has(current)) continue;
    seen.add(current);
    const found = classifyOne(current);
    if (found) return found;
    if (current.cause !== undefined) queue.push(current.cause);
    if (Array.isArray(current.errors)) queue.push(...current.errors);
  }
  const first = shapeOf(error);
  const code = first ? codeOf(first) : undefined;
  const name = first && typeof first.name === 'string' ? first.name : undefined;
  const label = code ?? name;
  return {
    outcome: 'CONNECTION_RESET',
    reachedTarget: 'maybe',
    message: `The request failed${label ? ` (${label})` : ''}`,
    errorCode: code,
  };
}

// RFC 9110 §9.2.2: methods whose repetition has the same intended effect as one request.
const idempotentMethods = new Set<string>(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

// Answers that a second, identical request would only repeat: fix the configuration instead.
// 408 (the target timed out waiting for us) and 425 (Too Early) are the 4xx worth repeating.
const repeatableClientStatuses = new Set([408, 425]);

export interface RetryQuestion {
  outcome: OutcomeCode;
  reachedTarget: ReachedTarget;
  /** the HTTP method, any case: GET HEAD OPTIONS TRACE PUT DELETE are idempotent */
  method: string;
  /** the request carries a key the target deduplicates on (standard-webhooks `webhook-id`) */
  hasIdempotencyKey: boolean;
  /** the HTTP status, when the target answered */
  status?: number;
}

/**
 * May this try be made again (DESIGN.md §2 step 6)? A failure that provably never reached
 * the target always may, except our own refusals (egress, templates), which would only
 * refuse again. Otherwise only an idempotent method or an idempotency key makes a repeat
 * safe — and only where repeating can help: OK, a 4xx other than 408/425, 401/403 and
 * a too-large answer would come back the same.
 */
export function isRetryable(question: RetryQuestion): boolean {
  const { outcome, reachedTarget, status } = question;
  if (outcome === 'OK') return false;
  // refusals of our own: safe to repeat, but the same configuration refuses again — the
  // user fixes the policy, the missing value or the value HTTP does not allow, then replays
  if (
    outcome === 'EGRESS_BLOCKED' ||
    outcome === 'TEMPLATE_UNRESOLVED' ||
    outcome === 'INVALID_REQUEST'
  ) {
    return false;
  }
  if (reachedTarget === 'no') return true;
  if (outcome === 'HTTP_AUTH' || outcome === 'RESPONSE_TOO_LARGE') return false;
  if (outcome === 'HTTP_4XX' && !(status !== undefined && repeatableClientStatuses.has(status))) {
    return false;
  }
  return idempotentMethods.has(question.method.toUpperCase()) || question.hasIdempotencyKey;
}
