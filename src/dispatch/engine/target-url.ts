import { checkUrlHost } from '../egress/index.ts';
import type { ParsedTargetUrl, PreparedTarget } from './prepare-target.ts';

/** Hosts kept per prepared target: a connection calls one host, or a few. */
const maxHostDecisions = 64;

/**
 * The rendered URL parsed, with the egress decision for an IP-literal host, cached per host
 * (params usually vary the path, not the host, so the URL itself is parsed every call).
 */
export function parseTargetUrl(target: PreparedTarget, text: string): ParsedTargetUrl {
  const url = new URL(text);
  let refused = target.hostDecisions.get(url.hostname);
  if (refused === undefined) {
    refused = refusalOf(url, target);
    if (target.hostDecisions.size >= maxHostDecisions) target.hostDecisions.clear();
    target.hostDecisions.set(url.hostname, refused);
  }
  return { url, refused };
}

/** The egress refusal of an IP-literal host (names are checked at connect time). */
export function refusalOf(url: URL, target: PreparedTarget): ParsedTargetUrl['refused'] {
  const decision = checkUrlHost(url, target.policy);
  return decision && !decision.allowed ? { reason: decision.reason, range: decision.range } : null;
}
