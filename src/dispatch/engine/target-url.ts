import { checkUrlHost } from '../egress/index.ts';
import type { ParsedTargetUrl, PreparedTarget, StaticOrigin } from './prepare-target.ts';

/** Hosts kept per prepared target: a connection calls one host, or a few. */
const maxHostDecisions = 64;

/**
 * A path and query that `new URL()` would keep byte for byte: only characters it leaves
 * alone (no space, quote, `#`, `<`, `>`, backslash, backtick, braces, non-ASCII, which it
 * encodes or treats specially) ...
 */
const plainPathPattern = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@/%?]*$/;
/** ... and no dot segment in the path (`/./`, `/../`, `%2e` counts as a dot), which it resolves. */
const dotSegmentPattern = /\/(?:\.|%2e){1,2}(?:[/?]|$)/i;

/**
 * The rendered URL parsed, with the egress decision for an IP-literal host.
 *
 * When the connection's URL starts with a fixed origin (`https://host:port/` before any
 * template) and the rendered path is plain, nothing is parsed: the origin and its egress
 * decision were worked out once (prepare-target.ts) and the path is sent as rendered — what
 * `new URL()` would have given, without a URL object per call. Anything else is parsed, and
 * the egress decision cached per host (params usually vary the path, not the host).
 */
export function parseTargetUrl(target: PreparedTarget, text: string): ParsedTargetUrl {
  const fixed = target.staticOrigin;
  if (fixed !== null && text.startsWith(fixed.prefix)) {
    const path = text.slice(fixed.prefix.length);
    if (
      plainPathPattern.test(path) &&
      // tested on the query too: a false alarm there only takes the slower way
      !dotSegmentPattern.test(path) &&
      // an empty query: the parser drops the '?'
      !path.endsWith('?')
    ) {
      return {
        href: text,
        origin: fixed.origin,
        path,
        hostname: fixed.hostname,
        refused: fixed.refused,
      };
    }
  }
  const url = new URL(text);
  let refused = target.hostDecisions.get(url.hostname);
  if (refused === undefined) {
    refused = refusalOf(url, target);
    if (target.hostDecisions.size >= maxHostDecisions) target.hostDecisions.clear();
    target.hostDecisions.set(url.hostname, refused);
  }
  return {
    href: url.href,
    origin: url.origin,
    path: url.pathname + url.search,
    hostname: url.hostname,
    refused,
  };
}

/** The egress refusal of an IP-literal host (names are checked at connect time). */
export function refusalOf(
  url: URL,
  target: Pick<PreparedTarget, 'policy'>,
): ParsedTargetUrl['refused'] {
  const decision = checkUrlHost(url, target.policy);
  return decision && !decision.allowed ? { reason: decision.reason, range: decision.range } : null;
}

/**
 * The fixed origin of a URL template, when everything up to the first `/` of its path is
 * plain text (no template): `https://api.example.com:8443/v1/{{param.id}}` has one,
 * `https://{{var.HOST}}/x` has not. null when the URL has no path or is not valid.
 */
export function staticOriginOf(
  urlTemplate: string,
  target: Pick<PreparedTarget, 'policy'>,
): StaticOrigin | null {
  const templateAt = urlTemplate.indexOf('{{');
  const schemeEnd = urlTemplate.indexOf('://');
  if (schemeEnd === -1) return null;
  const pathAt = urlTemplate.indexOf('/', schemeEnd + 3);
  if (pathAt === -1 || (templateAt !== -1 && templateAt < pathAt)) return null;
  const prefix = urlTemplate.slice(0, pathAt);
  // userinfo, a query or fragment before the path: leave it to the URL parser
  if (/[@?#\\\s]/.test(prefix.slice(schemeEnd + 3))) return null;
  let url: URL;
  try {
    url = new URL(`${prefix}/`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // the prefix must be the origin exactly as the parser writes it (lower case, no default
  // port), so a rendered URL is what the parser would write
  if (prefix !== url.origin || `${url.origin}/` !== url.href) return null;
  return { prefix, origin: url.origin, hostname: url.hostname, refused: refusalOf(url, target) };
}
