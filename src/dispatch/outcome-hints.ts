import type { OutcomeCode } from '../contracts/outcomes.ts';

/**
 * One actionable sentence per outcome, drawn from the troubleshooting table of the product
 * page (../shared/seed/webhook-connection.txt: "Webhook 4xx Error", "Test Connection Failed
 * and Returns 5xx", "Connection Timeout", "Authentication Failed", "Pool Exhausted") and
 * extended to the codes it does not cover. Keep in step with outcomeCodes in
 * src/contracts/outcomes.ts (classify-outcome.test.ts checks every code has a hint).
 */
const hints: Record<Exclude<OutcomeCode, 'OK'>, string> = {
  HTTP_4XX:
    "Verify the URL and HTTP method, check that the target's mandatory headers are sent, and format the payload as the target's documentation asks.",
  HTTP_AUTH:
    'Verify the credentials (Authorization or API key header and the secrets behind it), that they have not expired, that the user is active in the target system, and that it has the permissions this call needs.',
  HTTP_429:
    'The target is rate limiting: wait as long as its Retry-After header says, lower the call rate or concurrency, or ask the target for a higher limit.',
  HTTP_5XX:
    "Check the target service's health and its rate limit logs, then try again after a wait.",
  DNS_FAILED:
    "Check the host name in the URL (and any {{var.}} in it) for typos, and that this server's DNS can resolve it (internal names need the internal resolver).",
  CONNECT_REFUSED:
    'Check the port in the URL and that the target service is running and listening there, and that no firewall rejects connections from this server.',
  CONNECT_TIMEOUT:
    'Check network connectivity and firewalls between this server and the target (a dropped connection looks like this), then raise connectTimeoutMs if the target is far away.',
  REQUEST_TIMEOUT:
    "Check the target system's health and the network delay, then raise requestTimeoutMs to fit the target's real response time.",
  TLS_FAILED:
    "Verify the target's HTTPS certificate chain: add its CA to the environment if it is private, renew an expired certificate, make sure the URL's host name is in the certificate, and for mutual TLS check the client key store.",
  CONNECTION_RESET:
    "The target or a proxy closed the connection mid-exchange: check the target's logs, set idleTimeoutMs below the target's keep-alive timeout, and for mutual TLS check that the target accepts the client certificate.",
  POOL_EXHAUSTED:
    'Increase poolSize (concurrent calls × 1.5), check that the target answers promptly so connections are freed, and watch the pool metrics for traffic peaks.',
  EGRESS_BLOCKED:
    "The environment's egress policy refuses this address: use another target, or have an admin allow its CIDR in the environment (metadata, link-local and reserved addresses are never allowed).",
  TEMPLATE_UNRESOLVED:
    'Define the missing variable or secret for this environment, pass the missing parameter with the call, or correct the value the message says cannot be used (a signing secret that is not whsec_ followed by base64, or a secret shorter than 8 characters: rotate it to a longer one).',
  INVALID_REQUEST:
    'A value put into a header or the URL path makes the request invalid HTTP (a control character or one above U+00FF in a header, a . or .. path segment): give that param, variable or secret another value.',
  RESPONSE_TOO_LARGE:
    "The answer exceeds the response size cap: ask the target for a smaller answer (a filter or a HEAD request) or have an admin raise the server's response size cap.",
};

// Finer hints for statuses whose fix is specific; anything else falls back to the outcome's.
const statusHints: Record<number, string> = {
  400: "The target refused the request as malformed: format the payload and Content-Type as the target's documentation asks.",
  401: 'The target did not accept the credentials: verify the Authorization or API key header and the secret behind it, and that it has not expired.',
  403: 'The credentials were accepted but lack permission: check that the user or key is active and has the permissions this call needs in the target system.',
  404: 'Verify the URL path (and any {{param.}} in it): the target has nothing there.',
  405: 'The target does not accept this HTTP method at this URL: choose the method its documentation names.',
  408: 'The target timed out waiting for the request: check the network, then try again.',
  413: 'The payload is larger than the target accepts: send less (webhook messages below 200 KB are safest).',
  415: 'Set the Content-Type header to the format the target expects (usually application/json).',
  422: "The target understood the request but refused its content: check the payload's fields against the target's documentation.",
  502: 'A gateway in front of the target got no valid answer from it: check the target service health behind its load balancer.',
  503: 'The target is unavailable or overloaded: check its health, and wait as long as its Retry-After header says before trying again.',
  504: 'A gateway in front of the target timed out waiting for it: check the target service health and its response time.',
};

/**
 * What the user should do about an outcome, in one sentence; `status` (the target's answer,
 * if any) sharpens the hint for common 3xx/4xx/5xx statuses. Undefined for OK.
 */
export function hintFor(outcome: OutcomeCode, status?: number): string | undefined {
  if (outcome === 'OK') return undefined;
  if (status !== undefined) {
    if (outcome === 'HTTP_4XX' && status >= 300 && status <= 399) {
      return `The target redirected (${status}) instead of answering: set the URL to the final location from the Location header, or allow following redirects for this connection.`;
    }
    const specific = statusHints[status];
    if (specific) return specific;
  }
  return hints[outcome];
}
